"""What the warehouse's routes share: the permission they declare, and a cursor parameter."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from mercato.agents.warehouse.access import MANAGE
from mercato.kernel.auth import Principal, require

Manager = Annotated[Principal, Depends(require(MANAGE))]
"""Admins and integrations' system keys (`warehouse:manage`)."""
Cursor = Annotated[str | None, Query(max_length=300)]
Limit = Annotated[int, Query(ge=1, le=200)]
