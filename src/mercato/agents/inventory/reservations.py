"""Reservations: units held for a reference (a checkout, an order) until they are committed
(the order ships or is confirmed), released, or expire (BR018, 15 minutes by default).

The checkout saga uses `reserve` (idempotent per reference), and `release` (its
compensation) and `commit` from `settlement.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from contextlib import nullcontext
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, or_, select, text

from mercato.agents.inventory import events, stock
from mercato.agents.inventory.errors import (
    InsufficientStock,
    InvalidStockRequest,
    ReservationMismatch,
)
from mercato.agents.inventory.models import Location, Movement, Reservation, StockLevel
from mercato.agents.inventory.settlement import active_of, expire, split_lapsed
from mercato.agents.inventory.statuses import ReservationStatus
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from mercato.kernel.prepared import EntityInsert
from mercato.kernel.prepared_in import PreparedIn
from mercato.kernel.store_sql import in_store

MAX_LINES = 500


class _ShortError(Exception):
    """A line could not be fully drawn (turned into `InsufficientStock` after rollback)."""


async def reserve(
    uow: UnitOfWork,
    *,
    reference: str,
    lines: Sequence[tuple[str, int]],
    now: datetime,
    ttl: timedelta | None = None,
    fresh: bool = False,
    caller_rolls_back: bool = False,
) -> list[Reservation]:
    """Hold stock for every line (variant id, quantity) of `reference`, or nothing.

    Lines are drawn in variant order, each from the active locations by priority then by
    most available, possibly split across locations; each draw is one conditional UPDATE.
    If a line cannot be fully held, `InsufficientStock` (409) names every short line and
    nothing stays held. Idempotent: a reference that already holds active reservations for
    the same lines (variant → quantity) gets them back unchanged; for other lines, 409
    `reservation_mismatch` and nothing changes. Its holds past their expiry are ended first
    (BR018). They expire at `now + ttl` (default: `uow.settings.reservation_ttl`).
    `fresh`: the caller made the reference just now (checkout's new order id), so there is
    nothing of it to look for. `caller_rolls_back`: the caller's transaction ends with a
    refusal (a saga step raising), so the lines drawn before a short one need no savepoint
    of their own to be undone (two round trips fewer).
    """
    wanted = _check(reference, lines, ttl)
    if not fresh:
        await _serialize(uow, reference)
    holding = [] if fresh else await active_of(uow, reference)
    kept, lapsed = await split_lapsed(holding, now)
    if kept:
        _same_lines(reference, kept, wanted)
        return kept
    expires_at = now + (ttl or timedelta(seconds=uow.settings.reservation_ttl))
    locked = await _lock(uow, [r.stock_level_id for r in lapsed], [v for v, _ in wanted])
    await expire(uow, lapsed, now)
    drawn: dict[str, tuple[stock.Row, int]] = {}
    try:
        if not lapsed:  # the rows as locked are as they are: every draw in one round trip
            for row, take in await stock.hold_locked(uow, _planned(locked, wanted), now):
                drawn[row.id] = (row, take)
        else:
            async with nullcontext() if caller_rolls_back else stock.atomic(uow):
                for variant_id, quantity in wanted:
                    rows = locked.get(variant_id, [])
                    for row, take in await _draw(uow, [r.id for r, _ in rows], quantity, now):
                        held = drawn.get(row.id, (row, 0))[1]
                        drawn[row.id] = (row, held + take)
    except _ShortError:
        raise await _shortage(uow, wanted) from None
    made: list[Reservation] = []
    movements: list[Movement] = []
    for row, quantity in sorted(drawn.values(), key=lambda d: (d[0].variant_id, d[0].id)):
        reservation = Reservation(
            id=new_id(),
            reference=reference,
            variant_id=row.variant_id,
            location_id=row.location_id,
            stock_level_id=row.id,
            quantity=quantity,
            status=ReservationStatus.ACTIVE,
            expires_at=expires_at,
            created_at=now,
        )
        made.append(reservation)
        movements.append(
            stock.entry(
                row, kind="reservation", reserved_delta=quantity, reference=reference, now=now
            )
        )
        uow.publish(
            events.StockReserved(
                variant_id=row.variant_id,
                sku=row.sku,
                location_id=row.location_id,
                quantity=quantity,
                reservation_id=reservation.id,
                reference=reference,
                expires_at=expires_at.isoformat(),
            ),
            aggregate_id=row.variant_id,
        )
        await stock.watch_low(uow, row, now)
    await _RESERVATIONS.add(uow, *made)
    await stock.MOVEMENTS.add(uow, *movements)
    return made


_RESERVATIONS = EntityInsert(Reservation)
_LEVELS = cast(Table, StockLevel.__table__)
_LOCATIONS = cast(Table, Location.__table__)
_LOCK_WANTED = PreparedIn(
    lambda ids: in_store(
        select(
            *(_LEVELS.c[c.key] for c in stock.COLUMNS), _LOCATIONS.c.priority, _LOCATIONS.c.active
        )
        .select_from(_LEVELS.join(_LOCATIONS, _LOCATIONS.c.id == _LEVELS.c.location_id))
        .where(_LEVELS.c.variant_id.in_(ids))
        .order_by(_LEVELS.c.variant_id, _LEVELS.c.id)
        # FOR NO KEY UPDATE OF stock_levels: the lock an UPDATE takes, on the stock rows only
        .with_for_update(key_share=True, of=_LEVELS)
    )
)
"""`_lock` of the wanted variants' rows, when there is no lapsed hold to end."""
"""Every checkout writes its holds: without the ORM's flush."""


def _same_lines(reference: str, held: list[Reservation], wanted: list[tuple[str, int]]) -> None:
    """A retry must ask for what the reference holds (per variant, however the holds are
    split across locations), or it is a different reservation under a reused reference."""
    totals: dict[str, int] = defaultdict(int)
    for reservation in held:
        totals[reservation.variant_id] += reservation.quantity
    if dict(totals) != dict(wanted):
        raise ReservationMismatch(
            f"{reference!r} already holds other lines: release it first or use a new reference",
            reference=reference,
            held=[{"variant_id": v, "quantity": q} for v, q in sorted(totals.items())],
        )


def _check(
    reference: str, lines: Sequence[tuple[str, int]], ttl: timedelta | None
) -> list[tuple[str, int]]:
    """The lines merged per variant and sorted (the fixed order rows are drawn in)."""
    if not 1 <= len(reference) <= 120:
        raise InvalidStockRequest("a reference has 1 to 120 characters")
    if ttl is not None and ttl <= timedelta(0):
        raise InvalidStockRequest("a reservation's time to live is positive")
    merged: dict[str, int] = defaultdict(int)
    for variant_id, quantity in lines:
        if not 1 <= quantity <= stock.MAX_QUANTITY:
            raise InvalidStockRequest(f"a quantity is between 1 and {stock.MAX_QUANTITY}")
        if not 1 <= len(variant_id) <= 36:
            raise InvalidStockRequest("a variant id has 1 to 36 characters")
        merged[variant_id] += quantity
    if not merged or len(merged) > MAX_LINES:
        raise InvalidStockRequest(f"a reservation has 1 to {MAX_LINES} lines")
    if any(q > stock.MAX_QUANTITY for q in merged.values()):
        raise InvalidStockRequest(f"at most {stock.MAX_QUANTITY} units of a variant")
    return sorted(merged.items())


async def _serialize(uow: UnitOfWork, reference: str) -> None:
    """Two `reserve` calls for one reference queue behind each other, so idempotency holds
    under concurrency (PostgreSQL: a transaction-scoped advisory lock; SQLite: writers are
    already serialized by the write lock)."""
    if uow.session.get_bind().dialect.name != "postgresql":
        return
    key = f"inventory.reserve:{context.current_tenant()}:{reference}"
    await uow.session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
    )


async def _lock(
    uow: UnitOfWork, row_ids: list[str], variant_ids: list[str]
) -> dict[str, list[tuple[stock.Row, tuple[int, bool]]]]:
    """Lock, in ONE statement and in the order every inventory command uses (variant, row
    id), every stock row this reservation may change: the rows of its lapsed holds (ended
    first) and every row of the variants it wants. Taking them one group after the other
    could lock v2 (a lapsed hold) before v1 (a wanted line) while another reservation locks
    v1 then v2: a deadlock. Returns the wanted variants' rows as locked, each with its
    location's (priority, active); draws use only these, so no row is locked later out of
    order. (SQLite has no row locks: its writers are serialized by the write lock.)"""
    found = (
        await _LOCK_WANTED.all(uow, variant_ids)  # the checkout's case: no lapsed hold
        if not row_ids
        else await uow.session.execute(
            select(*stock.COLUMNS, Location.priority, Location.active)
            .join(Location, Location.id == StockLevel.location_id)
            .where(or_(StockLevel.id.in_(row_ids), StockLevel.variant_id.in_(variant_ids)))
            .order_by(StockLevel.variant_id, StockLevel.id)
            .with_for_update(key_share=True, of=StockLevel)
        )
    )
    wanted = set(variant_ids)
    rows: dict[str, list[tuple[stock.Row, tuple[int, bool]]]] = defaultdict(list)
    for *values, priority, active in found:
        row = stock.Row(*values)
        if row.variant_id in wanted:
            rows[row.variant_id].append((row, (priority, active)))
    return rows


def _ranked(rows: list[tuple[stock.Row, tuple[int, bool]]]) -> list[stock.Row]:
    """The locked rows a draw may take from, in drawing order (as `_candidates`)."""
    usable = [(row, priority) for row, (priority, active) in rows if active and row.available > 0]
    usable.sort(key=lambda r: (r[1], -r[0].available, r[0].id))
    return [row for row, _ in usable]


def _planned(
    locked: dict[str, list[tuple[stock.Row, tuple[int, bool]]]], wanted: list[tuple[str, int]]
) -> list[tuple[stock.Row, int]]:
    """Every line drawn from its variant's rows as locked, in drawing order (`_ranked`),
    from as many locations as it takes; `_ShortError` (before anything is written) if a
    line cannot be."""
    planned: list[tuple[stock.Row, int]] = []
    for variant_id, quantity in wanted:
        remaining = quantity
        for row in _ranked(locked.get(variant_id, [])):
            take = min(remaining, row.available)
            planned.append((row, take))
            remaining -= take
            if remaining == 0:
                break
        if remaining:
            raise _ShortError()
    return planned


async def _draw(
    uow: UnitOfWork, row_ids: list[str], quantity: int, now: datetime
) -> list[tuple[stock.Row, int]]:
    """Hold `quantity` units of a variant from its (locked) rows, from as many locations as
    it takes, each draw a conditional UPDATE (after lapsed holds were ended, the rows are
    read again)."""
    remaining, taken = quantity, []
    for _ in range(stock.RETRIES):
        candidates = await _candidates(uow, row_ids)
        if sum(row.available for row in candidates) < remaining:
            raise _ShortError()
        for row in candidates:
            take = min(remaining, row.available)
            changed = await stock.hold(uow, row.id, take, now)
            if changed is None:
                continue  # a concurrent writer took it first: re-read the rows
            taken.append((changed, take))
            remaining -= take
            if remaining == 0:
                return taken
    raise _ShortError()


async def _candidates(uow: UnitOfWork, row_ids: list[str]) -> list[stock.Row]:
    """Of a variant's rows, those with stock at active locations, in drawing order: by
    location priority, then most available."""
    if not row_ids:
        return []
    found = await uow.session.execute(
        select(*stock.COLUMNS, Location.priority)
        .join(Location, Location.id == StockLevel.location_id)
        .where(
            StockLevel.id.in_(row_ids),
            Location.active.is_(True),
            StockLevel.on_hand - StockLevel.reserved > 0,
        )
    )
    ranked = sorted(found, key=lambda r: (r[-1], -(r[4] - r[5]), r[0]))
    return [stock.Row(*r[:-1]) for r in ranked]


async def _shortage(uow: UnitOfWork, wanted: list[tuple[str, int]]) -> InsufficientStock:
    """Every line the store cannot serve now, with what it could."""
    levels = await stock.available(uow, [variant_id for variant_id, _ in wanted])
    short = [
        {"variant_id": v, "requested": q, "available": levels.get(v, 0)}
        for v, q in wanted
        if levels.get(v, 0) < q
    ]
    if not short:  # stock arrived since the draw: report the lines as they were asked
        short = [
            {"variant_id": v, "requested": q, "available": levels.get(v, 0)} for v, q in wanted
        ]
    return InsufficientStock(short)
