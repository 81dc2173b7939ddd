"""The catalog's reactions to other agents' events: availability, a read model of
inventory's stock events (ADR 9)."""

from __future__ import annotations

from mercato.agents.catalog import service
from mercato.agents.inventory.events import (
    LocationChanged,
    StockAdjusted,
    StockChanged,
    StockCommitted,
    StockReceived,
    StockReleased,
    StockReserved,
    StockTransferred,
)
from mercato.kernel.bus.subscriptions import HandlerContext, on
from mercato.kernel.db import UnitOfWork


@on(StockAdjusted, StockTransferred, StockReserved, StockReleased, StockCommitted)
async def refresh_availability(event: StockChanged, ctx: HandlerContext) -> None:
    """Copy the variant's current availability (asked of inventory, not taken from the
    event), so redeliveries and reordering change nothing; once per run of events handed
    over together, for every variant they name."""
    ctx.gather("availability", event.variant_id, _refresh)


async def _refresh(uow: UnitOfWork, variant_ids: list[str]) -> None:
    await service.refresh_availability(uow, variant_ids=variant_ids)


@on(StockReceived)
async def refresh_received(event: StockReceived, ctx: HandlerContext) -> None:
    """A delivery names many variants at once: refresh them together."""
    for line in event.lines:
        ctx.gather("availability", line.variant_id, _refresh)


@on(LocationChanged)
async def refresh_location(event: LocationChanged, ctx: HandlerContext) -> None:
    """A closed (or reopened) location takes its stock out of (or back into) what is sold."""
    for variant_id in event.variant_ids:
        ctx.gather("availability", variant_id, _refresh)
