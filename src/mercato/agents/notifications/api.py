"""The notifications agent's routes, gathered: a shopper's own (api_me), staff's (api_admin),
the public ones that carry their own proof (api_public), and the live inbox (ws)."""

from __future__ import annotations

from fastapi import APIRouter

from mercato.agents.notifications import api_admin, api_me, api_public, ws

router = APIRouter()
for part in (api_me.router, api_admin.router, api_public.router, ws.router):
    router.include_router(part)
