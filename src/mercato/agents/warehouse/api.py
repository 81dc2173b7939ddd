"""The warehouse agent's routes, gathered: the layout and boxes (api_layout), receiving and
putaway (api_receiving), pick lists and packing (api_picking), cycle counts and tasks
(api_work). Every route is staff's: `warehouse:manage`."""

from __future__ import annotations

from fastapi import APIRouter

from mercato.agents.warehouse import api_layout, api_picking, api_receiving, api_work

router = APIRouter()
for part in (api_layout.router, api_receiving.router, api_picking.router, api_work.router):
    router.include_router(part)
