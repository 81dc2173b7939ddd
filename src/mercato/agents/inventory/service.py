"""Inventory commands and queries: the only code that writes the inventory agent's tables.

Stock is never read-then-written: every change is one conditional UPDATE (`… WHERE on_hand -
reserved >= :quantity`, see `stock.py`), rows of one command are changed in a fixed order (by
id), and the database's CHECK constraints back it up. Functions take the caller's unit of
work and never commit.

Other agents use this module (`from mercato.agents.inventory import service as inventory`):
`available`, the reservations of the checkout saga (`reserve`, `release`, `allocate`,
`commit`) and bulk
goods receipts (`receive`), re-exported here from `reservations.py`, `settlement.py` and
`receipts.py`, as are the location commands of `locations.py`; the stock feeds live in
`sync.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from mercato.agents.catalog import service as catalog
from mercato.agents.inventory import events, stock
from mercato.agents.inventory.errors import (
    CountBelowReserved,
    InsufficientStock,
    InvalidStockRequest,
    LocationNotFound,
    ReservationNotFound,
    SameLocation,
    StockBusy,
    StockLevelNotFound,
    StockLimitExceeded,
    UnknownVariant,
)
from mercato.agents.inventory.locations import (
    LOCATION_KINDS,
    create_location,
    get_location,
    list_locations,
    update_location,
)
from mercato.agents.inventory.models import Movement, Transfer
from mercato.agents.inventory.partial import commit_units
from mercato.agents.inventory.receipts import MAX_RECEIPT_LINES, Receipt, ReceiptLine, receive
from mercato.agents.inventory.rehoming import available_at, move_hold
from mercato.agents.inventory.reservations import reserve
from mercato.agents.inventory.settlement import (
    allocate,
    commit,
    expire_due,
    release,
    reservations_of,
)
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

__all__ = [
    "ADJUSTMENT_REASONS",
    "LOCATION_KINDS",
    "MAX_RECEIPT_LINES",
    "Adjustment",
    "InsufficientStock",
    "LocationNotFound",
    "Receipt",
    "ReceiptLine",
    "ReservationNotFound",
    "adjust",
    "allocate",
    "available",
    "available_at",
    "commit",
    "commit_units",
    "create_location",
    "expire_due",
    "get_location",
    "list_locations",
    "move_hold",
    "receive",
    "release",
    "reservations_of",
    "reserve",
    "resolve_variant",
    "set_reorder_point",
    "transfer",
    "update_location",
]

ADJUSTMENT_REASONS = ("received", "damaged", "lost", "stolen", "count", "returned", "correction")


async def available(uow: UnitOfWork, variant_ids: Iterable[str]) -> dict[str, int]:
    """Units available to sell per variant, over the store's active locations (variants
    with no stock row are absent: treat them as 0)."""
    return await stock.available(uow, variant_ids)


# -- adjustments and transfers ---------------------------------------------------------


async def resolve_variant(
    uow: UnitOfWork, *, variant_id: str | None = None, sku: str | None = None
) -> tuple[str, str]:
    """(variant id, SKU) of a variant named by either, through the catalog; 404
    `unknown_variant` when the catalog has no such variant."""
    if (variant_id is None) == (sku is None):
        raise InvalidStockRequest("name the variant by exactly one of variant_id and sku")
    if sku is not None:
        found = (await catalog.variant_ids_for_skus(uow, [sku])).get(sku)
        if found is None:
            raise UnknownVariant(f"no variant has the SKU {sku!r}")
        return found, sku
    assert variant_id is not None
    variant = (await catalog.sellable_variants(uow, [variant_id])).get(variant_id)
    if variant is None:
        raise UnknownVariant(f"no variant {variant_id!r}")
    return variant_id, variant.sku


@dataclass(frozen=True)
class Adjustment:
    movement: Movement
    level: stock.Row


async def adjust(
    uow: UnitOfWork,
    *,
    variant_id: str | None = None,
    sku: str | None = None,
    location_id: str,
    delta: int | None = None,
    counted: int | None = None,
    reason: str,
    note: str | None = None,
    actor: str | None = None,
    now: datetime,
) -> Adjustment:
    """Change a variant's on-hand stock at a location by `delta` (received, damaged, …), or
    set it to what a count found (`counted`, reason `count`). A decrease never takes
    available below zero (409 `insufficient_stock`); the first receipt creates the row."""
    _check_adjustment(delta=delta, counted=counted, reason=reason)
    variant_id, sku = await resolve_variant(uow, variant_id=variant_id, sku=sku)
    await get_location(uow, location_id)
    if counted is not None:
        row = await stock.ensure(
            uow, variant_id=variant_id, sku=sku, location_id=location_id, now=now
        )
        row, change = await _set_to_count(uow, row, counted, now)
    else:
        assert delta is not None
        row, change = await _shift(uow, variant_id, sku, location_id, delta, now), delta
    movement = stock.record(
        uow,
        row,
        kind="adjustment",
        on_hand_delta=change,
        reason=reason,
        note=note,
        actor=actor,
        now=now,
    )
    if change:
        uow.publish(
            events.StockAdjusted(
                variant_id=variant_id,
                sku=sku,
                location_id=location_id,
                quantity=change,
                reason=reason,
                on_hand=row.on_hand,
            ),
            aggregate_id=variant_id,
        )
    await stock.watch_low(uow, row, now)
    return Adjustment(movement, row)


def _check_adjustment(*, delta: int | None, counted: int | None, reason: str) -> None:
    if reason not in ADJUSTMENT_REASONS:
        raise InvalidStockRequest(f"the reason is one of {', '.join(ADJUSTMENT_REASONS)}")
    if (delta is None) == (counted is None):
        raise InvalidStockRequest("give exactly one of delta and counted")
    if delta is not None and not (delta != 0 and abs(delta) <= stock.MAX_QUANTITY):
        raise InvalidStockRequest(f"delta is non-zero and at most {stock.MAX_QUANTITY} units")
    if counted is not None:
        if not 0 <= counted <= stock.MAX_QUANTITY:
            raise InvalidStockRequest(f"counted is between 0 and {stock.MAX_QUANTITY}")
        if reason != "count":
            raise InvalidStockRequest("a count (counted) has the reason 'count'")


async def _shift(
    uow: UnitOfWork, variant_id: str, sku: str, location_id: str, delta: int, now: datetime
) -> stock.Row:
    if delta > 0:
        row = await stock.ensure(
            uow, variant_id=variant_id, sku=sku, location_id=location_id, now=now
        )
    else:
        found = await stock.find(uow, variant_id=variant_id, location_id=location_id)
        if found is None:
            raise _short(variant_id, -delta, 0)
        row = found
    changed = await stock.shift_on_hand(uow, row.id, delta, now)
    if changed is not None:
        return changed
    if delta > 0:
        raise StockLimitExceeded(f"a stock row holds at most {stock.MAX_ON_HAND} units")
    current = await stock.read(uow, row.id)
    raise _short(variant_id, -delta, current.available if current else 0)


async def _set_to_count(
    uow: UnitOfWork, row: stock.Row, counted: int, now: datetime
) -> tuple[stock.Row, int]:
    """Compare-and-set on_hand to the count: retried when another writer moved the row
    between the read and the write; refused when more units are reserved than counted."""
    current: stock.Row | None = row
    for _ in range(stock.RETRIES):
        if current is None:
            break
        if current.reserved > counted:
            raise CountBelowReserved(
                f"{current.reserved} units are reserved here: a count cannot be lower",
                reserved=current.reserved,
            )
        changed = await stock.set_on_hand(
            uow, current.id, expected=current.on_hand, target=counted, now=now
        )
        if changed is not None:
            return changed, counted - current.on_hand
        current = await stock.read(uow, current.id)
    raise StockBusy("the stock row kept changing: count again")


def _short(variant_id: str, requested: int, available_now: int) -> InsufficientStock:
    return InsufficientStock(
        [{"variant_id": variant_id, "requested": requested, "available": available_now}]
    )


async def transfer(
    uow: UnitOfWork,
    *,
    variant_id: str | None = None,
    sku: str | None = None,
    from_location_id: str,
    to_location_id: str,
    quantity: int,
    note: str | None = None,
    actor: str | None = None,
    now: datetime,
) -> Transfer:
    """Move units between two locations in one transaction: the source's available stock
    must cover them (409 `insufficient_stock`), the destination row is created if missing,
    and both rows are changed in the order of their ids (no deadlock between transfers)."""
    if from_location_id == to_location_id:
        raise SameLocation("the source and destination are the same location")
    if not 1 <= quantity <= stock.MAX_QUANTITY:
        raise InvalidStockRequest(f"quantity is between 1 and {stock.MAX_QUANTITY}")
    variant_id, sku = await resolve_variant(uow, variant_id=variant_id, sku=sku)
    await get_location(uow, from_location_id)
    await get_location(uow, to_location_id)
    source = await stock.find(uow, variant_id=variant_id, location_id=from_location_id)
    if source is None:
        raise _short(variant_id, quantity, 0)
    async with stock.atomic(uow):
        target = await stock.ensure(
            uow, variant_id=variant_id, sku=sku, location_id=to_location_id, now=now
        )
        changed: dict[str, stock.Row] = {}
        for level_id in sorted((source.id, target.id)):
            delta = -quantity if level_id == source.id else quantity
            row = await stock.shift_on_hand(uow, level_id, delta, now)
            if row is None:
                if level_id == target.id:
                    raise StockLimitExceeded(f"a stock row holds at most {stock.MAX_ON_HAND}")
                current = await stock.read(uow, source.id)
                raise _short(variant_id, quantity, current.available if current else 0)
            changed[level_id] = row
    moved = Transfer(
        id=new_id(),
        variant_id=variant_id,
        sku=sku,
        from_location_id=from_location_id,
        to_location_id=to_location_id,
        quantity=quantity,
        note=note,
        actor=actor,
        created_at=now,
    )
    uow.session.add(moved)
    for row, kind, delta in (
        (changed[source.id], "transfer_out", -quantity),
        (changed[target.id], "transfer_in", quantity),
    ):
        stock.record(
            uow, row, kind=kind, on_hand_delta=delta, reference=moved.id, note=note,
            actor=actor, now=now,
        )  # fmt: skip
        await stock.watch_low(uow, row, now)
    uow.publish(
        events.StockTransferred(
            variant_id=variant_id,
            sku=sku,
            location_id=from_location_id,
            quantity=quantity,
            to_location_id=to_location_id,
            transfer_id=moved.id,
        ),
        aggregate_id=variant_id,
    )
    return moved


# -- reorder points --------------------------------------------------------------------


async def set_reorder_point(
    uow: UnitOfWork, *, level_id: str, reorder_point: int | None, now: datetime
) -> stock.Row:
    """Set (or clear, with None) the level at or below which `stock.low` is published.
    Setting a point the row is already at or below alerts at once."""
    if reorder_point is not None and not 0 <= reorder_point <= stock.MAX_QUANTITY:
        raise InvalidStockRequest(f"a reorder point is between 0 and {stock.MAX_QUANTITY}")
    row = await stock.set_reorder_point(uow, level_id, reorder_point, now)
    if row is None:
        raise StockLevelNotFound(f"no stock level {level_id!r}")
    await stock.watch_low(uow, row, now)
    return row


# -- what the warehouse agent reads ------------------------------------------------------


@dataclass(frozen=True)
class Hold:
    """Units a reference (an order id) holds of a variant at a location."""

    reference: str
    variant_id: str
    location_id: str
    quantity: int


async def holds_of(uow: UnitOfWork, references: Iterable[str]) -> list[Hold]:
    """What each reference's reservations hold (active or allocated), summed per variant
    and location, in the order of the references given, then by variant."""
    from sqlalchemy import func, select

    from mercato.agents.inventory.models import Reservation
    from mercato.agents.inventory.statuses import HOLDING

    wanted = list(dict.fromkeys(references))
    if not wanted:
        return []
    rows = await uow.session.execute(
        select(
            Reservation.reference,
            Reservation.variant_id,
            Reservation.location_id,
            func.sum(Reservation.quantity),
        )
        .where(Reservation.reference.in_(wanted), Reservation.status.in_(HOLDING))
        .group_by(Reservation.reference, Reservation.variant_id, Reservation.location_id)
    )
    rank = {reference: index for index, reference in enumerate(wanted)}
    holds = [Hold(r, v, loc, int(q)) for r, v, loc, q in rows]
    return sorted(holds, key=lambda h: (rank[h.reference], h.variant_id, h.location_id))


async def on_hand_at(
    uow: UnitOfWork, *, location_id: str, variant_ids: Iterable[str] | None = None
) -> dict[str, int]:
    """Units on hand per variant at a location (variants with none are absent), for the
    warehouse agent to place in bins; every variant there when `variant_ids` is None."""
    from sqlalchemy import select

    from mercato.agents.inventory.models import StockLevel

    query = select(StockLevel.variant_id, StockLevel.on_hand).where(
        StockLevel.location_id == location_id, StockLevel.on_hand > 0
    )
    if variant_ids is not None:
        query = query.where(StockLevel.variant_id.in_(list(variant_ids)))
    return {variant_id: int(on_hand) for variant_id, on_hand in await uow.session.execute(query)}


__all__ += ["Hold", "holds_of", "on_hand_at"]
