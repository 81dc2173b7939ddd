"""Putting received units away into bins.

The suggested bins are, first, storage bins already holding the variant (fewest trips to
pick it later), then empty storage bins in walk order. Units put away must be in the
location and not in a bin yet (inventory's on-hand less what the bins hold), or 409
`more_than_unlocated`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from mercato.agents.inventory import service as inventory
from mercato.agents.warehouse import layout, tasks
from mercato.agents.warehouse.layout import BinView
from mercato.agents.warehouse.models import Bin, BinStock, Zone
from mercato.agents.warehouse.problems import (
    InvalidWarehouseRequest,
    NoFreeBin,
    Unlocated,
)
from mercato.agents.warehouse.statuses import LIVE_TASK, TaskKind, TaskStatus, ZoneKind
from mercato.agents.warehouse.walk import Place, walk_order
from mercato.kernel.db import UnitOfWork


@dataclass(frozen=True)
class Suggestion:
    bin: Bin
    zone: Zone
    reason: str
    """`holds_variant` or `empty`."""
    quantity: int
    """Units of the variant the bin holds now."""


def _place(entry: tuple[Bin, Zone]) -> Place:
    b, zone = entry
    return Place(b.location_id, zone.sequence, b.aisle, b.bay, b.level, b.code)


async def suggest(
    uow: UnitOfWork, *, location_id: str, variant_id: str, limit: int = 5
) -> list[Suggestion]:
    await inventory.get_location(uow, location_id)
    found: list[Suggestion] = []
    held = await layout.holding(uow, location_id=location_id, variant_ids=[variant_id])
    storing = [(s, b, z) for s, b, z in held if z.kind is ZoneKind.STORAGE]
    for stock, b, zone in walk_order(storing, lambda row: _place((row[1], row[2]))):
        found.append(Suggestion(b, zone, "holds_variant", stock.quantity))
    if len(found) < limit:
        busy = select(BinStock.bin_id).where(BinStock.quantity > 0)
        empty = await uow.session.execute(
            select(Bin, Zone)
            .join(Zone, Zone.id == Bin.zone_id)
            .where(
                Bin.location_id == location_id,
                Zone.kind == ZoneKind.STORAGE,
                Bin.id.not_in(busy),
            )
        )
        for b, zone in walk_order([(b, z) for b, z in empty], _place):
            found.append(Suggestion(b, zone, "empty", 0))
            if len(found) >= limit:
                break
    return found[:limit]


async def put_away(
    uow: UnitOfWork,
    *,
    location_id: str,
    variant_id: str | None = None,
    sku: str | None = None,
    quantity: int,
    bin_id: str | None = None,
    task_id: str | None = None,
    now: datetime,
) -> BinView:
    """Put units into a bin (the first suggestion when none is named); the task named, a
    putaway, is done."""
    if quantity < 1:
        raise InvalidWarehouseRequest("put away at least one unit")
    variant_id, _ = await inventory.resolve_variant(uow, variant_id=variant_id, sku=sku)
    if bin_id is None:
        suggested = await suggest(uow, location_id=location_id, variant_id=variant_id, limit=1)
        if not suggested:
            raise NoFreeBin("the location has no storage bin holding the variant, nor an empty one")
        bin_id = suggested[0].bin.id
    target = await layout.get_bin(uow, bin_id)
    if target.bin.location_id != location_id:
        raise InvalidWarehouseRequest("the bin is at another location")
    on_hand = await inventory.on_hand_at(uow, location_id=location_id, variant_ids=[variant_id])
    free = on_hand.get(variant_id, 0) - await layout.located(
        uow, location_id=location_id, variant_id=variant_id
    )
    if quantity > free:
        raise Unlocated(
            f"the location has {free} unit(s) of the variant in no bin", unlocated=max(free, 0)
        )
    await layout.shift(uow, bin=target.bin, variant_id=variant_id, delta=quantity, now=now)
    if task_id is not None:
        task = await tasks.get_task(uow, task_id)
        if task.kind is not TaskKind.PUTAWAY:
            raise InvalidWarehouseRequest("the task named is not a putaway")
        if task.status in LIVE_TASK:
            task.status, task.updated_at = TaskStatus.DONE, now
    return await layout.get_bin(uow, target.bin.id)
