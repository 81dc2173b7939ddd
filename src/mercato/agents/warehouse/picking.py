"""Pick lists: what the orders' reservations hold, assigned to the bins holding it, in the
order a picker walks (`walk.py`); units no bin holds are listed last, unlocated.

A bin's units already promised to another open pick list are not promised again. Picking a
line takes its units out of the bin (a conditional update: 409 `bin_short` when the bin
no longer holds them); the last line picked finishes the pick task and opens a pack task.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from mercato.agents.catalog import service as catalog
from mercato.agents.inventory import service as inventory
from mercato.agents.orders import service as orders
from mercato.agents.warehouse import layout, tasks
from mercato.agents.warehouse.models import Bin, PickLine, PickList, Zone
from mercato.agents.warehouse.pick_views import PickListView, view_of
from mercato.agents.warehouse.problems import (
    BinShort,
    InvalidWarehouseRequest,
    OrderNotFound,
    OrderNotPickable,
    OverPick,
    PickLineNotFound,
    PickListClosed,
    PickListNotFound,
)
from mercato.agents.warehouse.statuses import LIVE_TASK, PickListStatus, TaskKind, TaskStatus
from mercato.agents.warehouse.walk import Place, walk_order
from mercato.kernel import paging
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

MAX_ORDERS = 50
LIVE = (PickListStatus.OPEN, PickListStatus.PICKING)


async def create_pick_list(
    uow: UnitOfWork, *, order_ids: Sequence[str], actor: str | None = None, now: datetime
) -> PickListView:
    """One walk for the orders' units (see the module); each order is a tote, numbered in
    the order given. 404 for an unknown order; 409 `order_not_pickable` for one that is not
    confirmed, holds no stock, or is on a pick list still open."""
    wanted = list(dict.fromkeys(order_ids))
    if not 1 <= len(wanted) <= MAX_ORDERS:
        raise InvalidWarehouseRequest(f"a pick list is for 1 to {MAX_ORDERS} orders")
    infos = await orders.briefs_of(uow, wanted)  # one query for the batch
    for order_id in wanted:
        info = infos.get(order_id)
        if info is None:
            raise OrderNotFound(f"no order {order_id!r}")
        if info.status != "confirmed":
            raise OrderNotPickable(f"{info.number} is {info.status}, not confirmed")
    await _not_listed(uow, wanted)
    holds = await inventory.holds_of(uow, wanted)
    empty = [infos[o].number for o in wanted if not any(h.reference == o for h in holds)]
    if empty:
        raise OrderNotPickable(f"no stock is held for {', '.join(empty)}")
    pick_list = PickList(
        id=new_id(),
        order_ids=wanted,
        status=PickListStatus.OPEN,
        actor=actor,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(pick_list)
    variants = await catalog.sellable_variants(uow, sorted({h.variant_id for h in holds}))
    skus = {variant_id: found.sku for variant_id, found in variants.items()}
    placed = await _assign(uow, holds, pick_list.id, {o: i + 1 for i, o in enumerate(wanted)})
    for line, _ in placed:
        line.order_number, line.sku = infos[line.order_id].number, skus.get(line.variant_id, "")
    _number_stops(placed)
    uow.session.add_all(line for line, _ in placed)
    tasks.open_task(
        uow,
        kind=TaskKind.PICK,
        reference=pick_list.id,
        now=now,
        note=", ".join(infos[o].number for o in wanted)[:500],
    )
    await uow.session.flush()
    return await get_pick_list(uow, pick_list.id)


async def _not_listed(uow: UnitOfWork, wanted: list[str]) -> None:
    listed = await uow.session.scalars(
        select(PickLine.order_id)
        .join(PickList, PickList.id == PickLine.pick_list_id)
        .where(PickLine.order_id.in_(wanted), PickList.status.in_(LIVE))
        .distinct()
    )
    taken = sorted(listed)
    if taken:
        raise OrderNotPickable(f"already on an open pick list: {', '.join(taken)}", order_ids=taken)


async def _assign(
    uow: UnitOfWork, holds: list[inventory.Hold], pick_list_id: str, totes: dict[str, int]
) -> list[tuple[PickLine, Place | None]]:
    """The holds split over the bins holding their variants, bins taken in walk order;
    each line with its bin's place on the walk (None: unlocated)."""
    by_location: dict[str, list[inventory.Hold]] = defaultdict(list)
    for hold in holds:
        by_location[hold.location_id].append(hold)
    lines: list[tuple[PickLine, Place | None]] = []
    for location_id, wanted in by_location.items():
        rows = await layout.holding(
            uow, location_id=location_id, variant_ids={h.variant_id for h in wanted}
        )
        promised = await _promised(uow, [b.id for _, b, _ in rows])
        free = {
            (b.id, s.variant_id): s.quantity - promised.get((b.id, s.variant_id), 0)
            for s, b, _ in rows
        }
        ordered = walk_order(rows, lambda r: _place(r[1], r[2]))
        for hold in wanted:
            need = hold.quantity
            for stock, b, zone in ordered:
                key = (b.id, stock.variant_id)
                if stock.variant_id != hold.variant_id or free[key] <= 0 or need == 0:
                    continue
                take = min(need, free[key])
                free[key] -= take
                need -= take
                lines.append(_line(pick_list_id, hold, totes, take, b, zone))
            if need:
                lines.append(_line(pick_list_id, hold, totes, need, None, None))
    return lines


def _place(b: Bin, zone: Zone) -> Place:
    return Place(b.location_id, zone.sequence, b.aisle, b.bay, b.level, b.code)


def _line(
    pick_list_id: str,
    hold: inventory.Hold,
    totes: dict[str, int],
    quantity: int,
    b: Bin | None,
    zone: Zone | None,
) -> tuple[PickLine, Place | None]:
    line = PickLine(
        id=new_id(),
        pick_list_id=pick_list_id,
        stop=0,
        order_id=hold.reference,
        order_number="",
        tote=totes[hold.reference],
        location_id=hold.location_id,
        variant_id=hold.variant_id,
        sku="",
        bin_id=b.id if b else None,
        bin_code=b.code if b else None,
        quantity=quantity,
        picked=0,
    )
    return line, _place(b, zone) if b is not None and zone is not None else None


def _number_stops(placed: list[tuple[PickLine, Place | None]]) -> None:
    """Stops numbered along the walk (one per bin and variant), unlocated units last."""
    located: list[tuple[PickLine, Place]] = [
        (line, place) for line, place in placed if place is not None
    ]
    unlocated = sorted(
        (line for line, place in placed if place is None),
        key=lambda line: (line.location_id, line.sku, line.variant_id),
    )
    walked = [line for line, _ in walk_order(located, lambda entry: entry[1])]
    stops: dict[tuple[str, str], int] = {}
    for line in [*walked, *unlocated]:
        key = (line.bin_id or f"none:{line.location_id}", line.variant_id)
        line.stop = stops.setdefault(key, len(stops) + 1)


async def _promised(uow: UnitOfWork, bin_ids: list[str]) -> dict[tuple[str, str], int]:
    """Units of each bin and variant that open pick lists will take and have not yet."""
    if not bin_ids:
        return {}
    rows = await uow.session.execute(
        select(PickLine.bin_id, PickLine.variant_id, func.sum(PickLine.quantity - PickLine.picked))
        .join(PickList, PickList.id == PickLine.pick_list_id)
        .where(PickLine.bin_id.in_(bin_ids), PickList.status.in_(LIVE))
        .group_by(PickLine.bin_id, PickLine.variant_id)
    )
    return {(bin_id, variant_id): int(left) for bin_id, variant_id, left in rows if bin_id}


async def get_pick_list(uow: UnitOfWork, pick_list_id: str) -> PickListView:
    pick_list = await uow.session.get(PickList, pick_list_id, populate_existing=True)
    if pick_list is None:
        raise PickListNotFound(f"no pick list {pick_list_id!r}")
    lines = await uow.session.scalars(
        select(PickLine)
        .where(PickLine.pick_list_id == pick_list.id)
        .order_by(PickLine.stop, PickLine.tote, PickLine.id)
        .execution_options(populate_existing=True)
    )
    return view_of(pick_list, list(lines))


async def list_pick_lists(
    uow: UnitOfWork,
    *,
    status: PickListStatus | None = None,
    after: tuple[datetime, str] | None = None,
    limit: int = 50,
) -> list[PickList]:
    order = (PickList.created_at, PickList.id)
    query = select(PickList).where(paging.beyond(order, after, descending=True))
    if status is not None:
        query = query.where(PickList.status == status)
    return list(await uow.session.scalars(query.order_by(*(c.desc() for c in order)).limit(limit)))


async def pick(
    uow: UnitOfWork,
    *,
    pick_list_id: str,
    lines: Sequence[tuple[str, int]] | None = None,
    now: datetime,
) -> PickListView:
    """Confirm units picked: (line id, units) each, or every unit still to pick (None)."""
    view = await get_pick_list(uow, pick_list_id)
    if view.pick_list.status not in LIVE:
        raise PickListClosed(f"the pick list is {view.pick_list.status}")
    by_id = {line.id: line for line in view.lines}
    everything = [(line.id, line.quantity - line.picked) for line in view.lines]
    asked = everything if lines is None else lines
    for line_id, quantity in asked:
        line = by_id.get(line_id)
        if line is None:
            raise PickLineNotFound(f"no line {line_id!r} on this pick list")
        if quantity <= 0 and lines is None:
            continue
        if not 1 <= quantity <= line.quantity - line.picked:
            raise OverPick(f"line {line_id} has {line.quantity - line.picked} unit(s) to pick")
        if line.bin_id is not None:
            taken_from = await layout.get_bin(uow, line.bin_id)
            if not await layout.shift(
                uow, bin=taken_from.bin, variant_id=line.variant_id, delta=-quantity, now=now
            ):
                raise BinShort(f"bin {line.bin_code} holds fewer than {quantity} unit(s)")
        line.picked += quantity
    done = all(line.picked == line.quantity for line in view.lines)
    view.pick_list.status = PickListStatus.PICKED if done else PickListStatus.PICKING
    view.pick_list.updated_at = now
    if done:
        await tasks.finish(uow, kind=TaskKind.PICK, reference=pick_list_id, now=now)
        tasks.open_task(uow, kind=TaskKind.PACK, reference=pick_list_id, now=now)
    await uow.session.flush()
    return await get_pick_list(uow, pick_list_id)


async def cancel_pick_list(uow: UnitOfWork, *, pick_list_id: str, now: datetime) -> PickListView:
    """Close a list still open or being picked (units picked stay out of their bins)."""
    view = await get_pick_list(uow, pick_list_id)
    if view.pick_list.status not in LIVE:
        raise PickListClosed(f"the pick list is {view.pick_list.status}")
    view.pick_list.status, view.pick_list.updated_at = PickListStatus.CANCELLED, now
    for task in await tasks.list_tasks(uow, kind=TaskKind.PICK, reference=pick_list_id):
        if task.status in LIVE_TASK:
            task.status, task.updated_at = TaskStatus.CANCELLED, now
    await uow.session.flush()
    return view
