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


@on(StockAdjusted, StockTransferred, StockReserved, StockReleased, StockCommitted)
async def refresh_availability(event: StockChanged, ctx: HandlerContext) -> None:
    """Copy the variant's current availability (asked of inventory, not taken from the
    event), so redeliveries and reordering change nothing."""
    await service.refresh_availability(ctx.uow, variant_ids=[event.variant_id])


@on(StockReceived)
async def refresh_received(event: StockReceived, ctx: HandlerContext) -> None:
    """A delivery names many variants at once: refresh them together."""
    await service.refresh_availability(
        ctx.uow, variant_ids=sorted({line.variant_id for line in event.lines})
    )


@on(LocationChanged)
async def refresh_location(event: LocationChanged, ctx: HandlerContext) -> None:
    """A closed (or reopened) location takes its stock out of (or back into) what is sold."""
    await service.refresh_availability(ctx.uow, variant_ids=event.variant_ids)
