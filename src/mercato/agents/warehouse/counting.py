"""Cycle counts: some bins (or a whole zone) of a location counted, each difference booked
in inventory's ledger and in the bin.

Units move while a count is open (a pick, a putaway), so a difference is taken at the moment
each line is counted: recording a count refreshes the line's `expected` to what the bin
holds right then, and completing books `counted - expected` as a *delta* — to the bin's
contents and, through `inventory.adjust` (reason `count`), to the location's on-hand. A
pick made between counting and completing has already left the bin and stays booked once;
the count never sets a level outright, so nothing that moved meanwhile is undone or counted
twice. A bin that lost units since its line was counted, so that the delta would take it
below zero, is 409 `cycle_count_stale` (count that line again); nothing is booked then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from mercato.agents.inventory import service as inventory
from mercato.agents.warehouse import layout, tasks
from mercato.agents.warehouse.models import Bin, BinStock, CycleCount, CycleCountLine
from mercato.agents.warehouse.problems import (
    CountClosed,
    CountNotFound,
    CountStale,
    InvalidWarehouseRequest,
)
from mercato.agents.warehouse.statuses import CountStatus, TaskKind
from mercato.kernel import paging
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

MAX_BINS = 500
REASON = "count"
"""Inventory's adjustment reason for a count (its reasons are fixed: `ADJUSTMENT_REASONS`)."""

CountedLine = tuple[str, str | None, str | None, int]
"""(bin id, variant id, SKU, units counted): the variant named by exactly one of the two."""


@dataclass(frozen=True)
class CountView:
    count: CycleCount
    lines: list[CycleCountLine]


async def create_count(
    uow: UnitOfWork,
    *,
    location_id: str,
    zone_id: str | None = None,
    bin_ids: Sequence[str] | None = None,
    actor: str | None = None,
    now: datetime,
) -> CountView:
    """A count of a zone's bins or of the bins named (all at the location), one line per
    variant each holds, and a count task."""
    await inventory.get_location(uow, location_id)
    if (zone_id is None) == (not bin_ids):
        raise InvalidWarehouseRequest("count a zone (zone_id) or some bins (bin_ids)")
    query = select(Bin).where(Bin.location_id == location_id)
    if zone_id is not None:
        zone = await layout.get_zone(uow, zone_id)
        if zone.location_id != location_id:
            raise InvalidWarehouseRequest("the zone is at another location")
        query = query.where(Bin.zone_id == zone_id)
    else:
        query = query.where(Bin.id.in_(list(bin_ids or [])))
    bins = {b.id: b for b in await uow.session.scalars(query.order_by(Bin.code))}
    if bin_ids and len(bins) != len(set(bin_ids)):
        raise InvalidWarehouseRequest("every bin counted is a bin of the location")
    if not bins or len(bins) > MAX_BINS:
        raise InvalidWarehouseRequest(f"a count covers 1 to {MAX_BINS} bins")
    count = CycleCount(
        id=new_id(),
        location_id=location_id,
        zone_id=zone_id,
        bin_ids=list(bins),
        status=CountStatus.OPEN,
        actor=actor,
        created_at=now,
    )
    uow.session.add(count)
    held = await layout.contents_of(uow, bins)
    uow.session.add_all(
        _line(count.id, bins[bin_id], variant_id, quantity)
        for bin_id in bins
        for variant_id, quantity in held.get(bin_id, [])
    )
    tasks.open_task(
        uow, kind=TaskKind.COUNT, reference=count.id, now=now, note=f"{len(bins)} bin(s)"
    )
    await uow.session.flush()
    return await get_count(uow, count.id)


def _line(count_id: str, b: Bin, variant_id: str, expected: int) -> CycleCountLine:
    return CycleCountLine(
        id=new_id(),
        count_id=count_id,
        bin_id=b.id,
        bin_code=b.code,
        variant_id=variant_id,
        expected=expected,
    )


async def get_count(uow: UnitOfWork, count_id: str) -> CountView:
    count = await uow.session.get(CycleCount, count_id, populate_existing=True)
    if count is None:
        raise CountNotFound(f"no cycle count {count_id!r}")
    lines = await uow.session.scalars(
        select(CycleCountLine)
        .where(CycleCountLine.count_id == count_id)
        .order_by(CycleCountLine.bin_code, CycleCountLine.variant_id)
        .execution_options(populate_existing=True)
    )
    return CountView(count, list(lines))


async def list_counts(
    uow: UnitOfWork,
    *,
    status: CountStatus | None = None,
    after: tuple[datetime, str] | None = None,
    limit: int = 50,
) -> list[CycleCount]:
    order = (CycleCount.created_at, CycleCount.id)
    query = select(CycleCount).where(paging.beyond(order, after, descending=True))
    if status is not None:
        query = query.where(CycleCount.status == status)
    return list(await uow.session.scalars(query.order_by(*(c.desc() for c in order)).limit(limit)))


async def record(
    uow: UnitOfWork, *, count_id: str, lines: Sequence[CountedLine], now: datetime
) -> CountView:
    """What was found in the bins; a variant the count did not expect in a counted bin gets
    a line of its own. Each line's `expected` becomes what its bin holds now."""
    view = await _open(uow, count_id)
    if not lines:
        raise InvalidWarehouseRequest("record at least one line")
    by_key = {(line.bin_id, line.variant_id): line for line in view.lines}
    for bin_id, variant_id, sku, counted in lines:
        if bin_id not in view.count.bin_ids:
            raise InvalidWarehouseRequest(f"bin {bin_id!r} is not in this count")
        if counted < 0:
            raise InvalidWarehouseRequest("a count is 0 or more units")
        found, _ = await inventory.resolve_variant(uow, variant_id=variant_id, sku=sku)
        line = by_key.get((bin_id, found))
        if line is None:
            line = _line(count_id, (await layout.get_bin(uow, bin_id)).bin, found, 0)
            uow.session.add(line)
            by_key[(bin_id, found)] = line
        line.expected = await _in_bin(uow, bin_id, found)
        line.counted, line.counted_at = counted, now
    await uow.session.flush()
    return await get_count(uow, count_id)


async def _in_bin(uow: UnitOfWork, bin_id: str, variant_id: str) -> int:
    held = await uow.session.scalar(
        select(BinStock.quantity)
        .where(BinStock.bin_id == bin_id, BinStock.variant_id == variant_id)
        .execution_options(populate_existing=True)
    )
    return int(held or 0)


async def _open(uow: UnitOfWork, count_id: str) -> CountView:
    view = await get_count(uow, count_id)
    if view.count.status is not CountStatus.OPEN:
        raise CountClosed(f"the cycle count is {view.count.status}")
    return view


async def complete(
    uow: UnitOfWork, *, count_id: str, actor: str | None = None, now: datetime
) -> CountView:
    """Book every counted line's difference (see the module); lines never counted are left
    as they were. All or nothing."""
    view = await _open(uow, count_id)
    for line in view.lines:
        delta = 0 if line.counted is None else line.counted - line.expected
        if not delta:
            continue
        b = (await layout.get_bin(uow, line.bin_id)).bin
        if not await layout.shift(uow, bin=b, variant_id=line.variant_id, delta=delta, now=now):
            raise CountStale(
                f"bin {line.bin_code} changed since it was counted: count again",
                bin_id=line.bin_id,
                variant_id=line.variant_id,
            )
        await inventory.adjust(
            uow,
            variant_id=line.variant_id,
            location_id=view.count.location_id,
            delta=delta,
            reason=REASON,
            note=f"cycle count {count_id}, bin {line.bin_code}",
            actor=actor,
            now=now,
        )
    view.count.status, view.count.completed_at = CountStatus.COMPLETED, now
    await tasks.finish(uow, kind=TaskKind.COUNT, reference=count_id, now=now)
    await uow.session.flush()
    return await get_count(uow, count_id)


async def cancel_count(uow: UnitOfWork, *, count_id: str, now: datetime) -> CountView:
    view = await _open(uow, count_id)
    view.count.status, view.count.completed_at = CountStatus.CANCELLED, now
    return view
