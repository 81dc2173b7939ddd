"""The pricing routes under /v1/intelligence."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["intelligence"])
