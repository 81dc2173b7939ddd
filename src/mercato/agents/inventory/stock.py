"""The primitives every inventory command is built from: one stock row changed by ONE
conditional UPDATE (never read-then-write), the ledger movement that records it, and the
low-stock alert it may raise.

Each change returns the row as the UPDATE left it (`RETURNING`), or None when its guard
refused: the guard is evaluated by the database on the row's current values, under the row's
lock, so concurrent writers can never take a row below what the CHECK constraints allow.

Bulk commands (a goods receipt) use `add_many`, `record_many` and `rearm_low`: one statement
each for any number of rows, rows taken in variant order like everywhere else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, bindparam, func, insert, select, update

from mercato.agents.inventory import events
from mercato.agents.inventory.models import Location, Movement, StockLevel
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.errors import TenantContextMissing
from mercato.kernel.ids import new_id
from mercato.kernel.prepared import EntityInsert, Prepared
from mercato.kernel.prepared_in import PreparedIn
from mercato.kernel.store_sql import in_store

MAX_QUANTITY = 1_000_000
"""The largest quantity one request may move, reserve, count or report."""
MAX_ON_HAND = 2_000_000_000
"""The most one stock row may hold (its columns are 32-bit integers)."""
RETRIES = 5
"""How many times a command re-reads and retries when a concurrent writer changed the row
between its read and its conditional write."""


@dataclass(frozen=True)
class Row:
    """A stock row as one statement left it."""

    id: str
    variant_id: str
    sku: str
    location_id: str
    on_hand: int
    reserved: int
    reorder_point: int | None
    low_alerted: bool

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


COLUMNS = (
    StockLevel.id,
    StockLevel.variant_id,
    StockLevel.sku,
    StockLevel.location_id,
    StockLevel.on_hand,
    StockLevel.reserved,
    StockLevel.reorder_point,
    StockLevel.low_alerted,
)


_LEVEL_TABLE = cast(Table, StockLevel.__table__)


def _row(values: Any) -> Row:
    return Row(*values)


@asynccontextmanager
async def atomic(uow: UnitOfWork) -> AsyncIterator[None]:
    """A savepoint: a command that fails half-way leaves nothing behind in the caller's
    transaction, even if the caller catches the problem and commits other work."""
    async with uow.session.begin_nested():
        yield


async def available(uow: UnitOfWork, variant_ids: Iterable[str]) -> dict[str, int]:
    """Units available per variant over the store's active locations (absent: none)."""
    rows = await _AVAILABLE.all(uow, variant_ids)
    return {row.variant_id: int(row.available or 0) for row in rows}


async def read(uow: UnitOfWork, level_id: str) -> Row | None:
    found = (await uow.session.execute(select(*COLUMNS).where(StockLevel.id == level_id))).first()
    return None if found is None else _row(found)


async def find(uow: UnitOfWork, *, variant_id: str, location_id: str) -> Row | None:
    found = (
        await uow.session.execute(
            select(*COLUMNS).where(
                StockLevel.variant_id == variant_id, StockLevel.location_id == location_id
            )
        )
    ).first()
    return None if found is None else _row(found)


def _tenant() -> str:
    tenant = context.current_tenant()
    if tenant is None:
        raise TenantContextMissing()
    return tenant


def _new_row(
    tenant: str, variant_id: str, sku: str, location_id: str, on_hand: int, now: datetime
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "tenant_id": tenant,
        "variant_id": variant_id,
        "sku": sku,
        "location_id": location_id,
        "on_hand": on_hand,
        "reserved": 0,
        "reorder_point": None,
        "low_alerted": False,
        "updated_at": now,
    }


_ROW_KEY = ["tenant_id", "variant_id", "location_id"]


async def ensure(
    uow: UnitOfWork, *, variant_id: str, sku: str, location_id: str, now: datetime
) -> Row:
    """The stock row of a variant at a location, created empty if it does not exist yet
    (`INSERT … ON CONFLICT DO NOTHING`: two first receipts at once make one row)."""
    values = _new_row(_tenant(), variant_id, sku, location_id, 0, now)
    statement = upsert_insert(uow.session)(StockLevel).values(**values)
    await uow.session.execute(statement.on_conflict_do_nothing(index_elements=_ROW_KEY))
    row = await find(uow, variant_id=variant_id, location_id=location_id)
    assert row is not None  # inserted above, or already there
    return row


async def add_many(
    uow: UnitOfWork,
    *,
    location_id: str,
    lines: Sequence[tuple[str, str, int]],
    now: datetime,
) -> list[Row]:
    """on_hand += quantity for every (variant id, SKU, quantity) at one location, creating
    the rows that do not exist yet, in ONE statement: a multi-row `INSERT … ON CONFLICT DO
    UPDATE SET on_hand = on_hand + excluded.on_hand … RETURNING`.

    The rows are written (and, on PostgreSQL, locked) in variant order, the order every
    inventory command locks rows in, so it never deadlocks with reservations, transfers,
    feeds or other receipts; creating a row and adding to it is one step, so no other
    writer can slip between the two. A line that would take its row past `MAX_ON_HAND` is
    not written and is absent from the answer (run it in `atomic` to undo the others).
    """
    if not lines:
        return []
    tenant = _tenant()
    statement = upsert_insert(uow.session)(StockLevel)
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=_ROW_KEY,
        set_={"on_hand": StockLevel.on_hand + excluded.on_hand, "updated_at": excluded.updated_at},
        where=StockLevel.on_hand + excluded.on_hand <= MAX_ON_HAND,
    ).returning(*COLUMNS)
    rows = [_new_row(tenant, v, sku, location_id, q, now) for v, sku, q in sorted(lines)]
    return [_row(found) for found in await uow.session.execute(statement, rows)]


async def record_many(
    uow: UnitOfWork,
    changes: Sequence[tuple[Row, int]],
    *,
    kind: str,
    now: datetime,
    reason: str | None = None,
    reference: str | None = None,
    note: str | None = None,
    actor: str | None = None,
) -> None:
    """The ledger lines of many on-hand changes (row, delta) of one command, as ONE
    multi-row INSERT."""
    if not changes:
        return
    tenant = _tenant()
    await uow.session.execute(
        insert(Movement).returning(Movement.id),
        [
            {
                "id": new_id(),
                "tenant_id": tenant,
                "variant_id": row.variant_id,
                "sku": row.sku,
                "location_id": row.location_id,
                "kind": kind,
                "on_hand_delta": delta,
                "reserved_delta": 0,
                "reason": reason,
                "reference": reference,
                "note": note,
                "actor": actor,
                "created_at": now,
            }
            for row, delta in changes
        ],
    )


async def rearm_low(uow: UnitOfWork, rows: Iterable[Row]) -> None:
    """After stock rose: clear the `stock.low` flag of the rows now above their reorder
    point, in one conditional UPDATE (only for rows that can need it)."""
    ids = [
        row.id
        for row in rows
        if row.low_alerted and row.reorder_point is not None and row.available > row.reorder_point
    ]
    if not ids:
        return
    await uow.session.execute(
        update(StockLevel)
        .where(
            StockLevel.id.in_(ids),
            StockLevel.low_alerted.is_(True),
            StockLevel.on_hand - StockLevel.reserved > StockLevel.reorder_point,
        )
        .values(low_alerted=False)
        .execution_options(synchronize_session=False)
    )


async def _update(
    uow: UnitOfWork,
    level_id: str,
    values: dict[str, Any],
    *guards: ColumnElement[bool],
) -> Row | None:
    result = await uow.session.execute(
        update(StockLevel)
        .where(StockLevel.id == level_id, *guards)
        .values(**values)
        .returning(*COLUMNS)
        .execution_options(synchronize_session=False)
    )
    found = result.first()
    return None if found is None else _row(found)


async def shift_on_hand(uow: UnitOfWork, level_id: str, delta: int, now: datetime) -> Row | None:
    """on_hand += delta, unless that takes available below zero (or past the row's
    maximum)."""
    return await _update(
        uow,
        level_id,
        {"on_hand": StockLevel.on_hand + delta, "updated_at": now},
        StockLevel.on_hand - StockLevel.reserved + delta >= 0,
        StockLevel.on_hand + delta <= MAX_ON_HAND,
    )


async def set_on_hand(
    uow: UnitOfWork, level_id: str, *, expected: int, target: int, now: datetime
) -> Row | None:
    """on_hand := target, only if on_hand is still `expected` (compare-and-set) and the
    units reserved still fit in `target`."""
    return await _update(
        uow,
        level_id,
        {"on_hand": target, "updated_at": now},
        StockLevel.on_hand == expected,
        StockLevel.reserved <= target,
    )


async def hold(uow: UnitOfWork, level_id: str, quantity: int, now: datetime) -> Row | None:
    """reserved += quantity, only if that many units are available (a prepared statement:
    every checkout sends one per line)."""
    found = await _HOLD.first(uow, id=level_id, quantity=quantity, now=now)
    return None if found is None else _row(found)


async def hold_locked(
    uow: UnitOfWork, draws: Sequence[tuple[Row, int]], now: datetime
) -> list[tuple[Row, int]]:
    """reserved += quantity on each of `draws`' rows, all in one executemany (one round trip
    for a whole checkout): the rows are locked by this transaction (`FOR NO KEY UPDATE`, or
    SQLite's write lock) and the draws planned from them as read under that lock, so each
    fits. Unconditional, so no draw can be skipped unseen; the table's CHECK
    (`reserved <= on_hand`) refuses one that would not fit. Each row as left, with its draw."""
    rows = [{"id": row.id, "quantity": take, "now": now} for row, take in draws]
    await _HOLD_LOCKED.run_many(uow, rows)
    return [(replace(row, reserved=row.reserved + take), take) for row, take in draws]


_LOCATIONS = cast(Table, Location.__table__)
_AVAILABLE = PreparedIn(
    lambda ids: in_store(
        select(
            _LEVEL_TABLE.c.variant_id,
            func.sum(_LEVEL_TABLE.c.on_hand - _LEVEL_TABLE.c.reserved).label("available"),
        )
        .select_from(_LEVEL_TABLE.join(_LOCATIONS, _LOCATIONS.c.id == _LEVEL_TABLE.c.location_id))
        .where(_LEVEL_TABLE.c.variant_id.in_(ids), _LOCATIONS.c.active.is_(True))
        .group_by(_LEVEL_TABLE.c.variant_id)
    )
)
"""Units available per variant over the active locations (a cart's lines, one stock event)."""
MOVEMENTS = EntityInsert(Movement)
"""The ledger lines of a hot path, written without the ORM's flush (checkout's holds)."""
_HOLD = Prepared(
    in_store(
        update(_LEVEL_TABLE)
        .where(
            _LEVEL_TABLE.c.id == bindparam("id"),
            _LEVEL_TABLE.c.on_hand - _LEVEL_TABLE.c.reserved >= bindparam("quantity"),
        )
        .values(
            reserved=_LEVEL_TABLE.c.reserved + bindparam("quantity"), updated_at=bindparam("now")
        )
        .returning(*(_LEVEL_TABLE.c[column.key] for column in COLUMNS))
    )
)

_HOLD_LOCKED = Prepared(
    in_store(
        update(_LEVEL_TABLE)
        .where(_LEVEL_TABLE.c.id == bindparam("id"))
        .values(
            reserved=_LEVEL_TABLE.c.reserved + bindparam("quantity"), updated_at=bindparam("now")
        )
    )
)


async def unhold(
    uow: UnitOfWork, level_id: str, quantity: int, now: datetime, *, ship: bool
) -> Row | None:
    """reserved -= quantity; with `ship`, the units also leave on_hand (committed)."""
    values: dict[str, Any] = {"reserved": StockLevel.reserved - quantity, "updated_at": now}
    if ship:
        values["on_hand"] = StockLevel.on_hand - quantity
    return await _update(uow, level_id, values, StockLevel.reserved >= quantity)


def record(uow: UnitOfWork, row: Row, **details: Any) -> Movement:
    """Write the ledger line of one change of `row` (`details`: as `entry` takes them)."""
    movement = entry(row, **details)
    uow.session.add(movement)
    return movement


def entry(
    row: Row,
    *,
    kind: str,
    now: datetime,
    on_hand_delta: int = 0,
    reserved_delta: int = 0,
    reason: str | None = None,
    reference: str | None = None,
    note: str | None = None,
    actor: str | None = None,
) -> Movement:
    """The ledger line of one change of `row`, not yet written."""
    return Movement(
        id=new_id(),
        variant_id=row.variant_id,
        sku=row.sku,
        location_id=row.location_id,
        kind=kind,
        on_hand_delta=on_hand_delta,
        reserved_delta=reserved_delta,
        reason=reason,
        reference=reference,
        note=note,
        actor=actor,
        created_at=now,
    )


async def watch_low(uow: UnitOfWork, row: Row, now: datetime) -> None:
    """Publish `stock.low` once when a change leaves the row at or below its reorder point;
    re-arm the alert when it rises above the point again. Both flips are conditional
    UPDATEs, so concurrent changes alert once."""
    point = row.reorder_point
    if point is None:
        return
    if row.available <= point and not row.low_alerted:
        flipped = await _update(
            uow,
            row.id,
            {"low_alerted": True},
            StockLevel.low_alerted.is_(False),
            StockLevel.reorder_point.is_not(None),
            StockLevel.on_hand - StockLevel.reserved <= StockLevel.reorder_point,
        )
        if flipped is not None and flipped.reorder_point is not None:
            uow.publish(
                events.StockLow(
                    variant_id=flipped.variant_id,
                    sku=flipped.sku,
                    location_id=flipped.location_id,
                    quantity=flipped.available,
                    available=flipped.available,
                    reorder_point=flipped.reorder_point,
                ),
                aggregate_id=flipped.variant_id,
            )
    elif row.available > point and row.low_alerted:
        await _update(
            uow,
            row.id,
            {"low_alerted": False},
            StockLevel.low_alerted.is_(True),
            StockLevel.on_hand - StockLevel.reserved > StockLevel.reorder_point,
        )


async def set_reorder_point(
    uow: UnitOfWork, level_id: str, reorder_point: int | None, now: datetime
) -> Row | None:
    """Set the row's reorder point; clearing it also clears the alert flag (`watch_low`
    re-evaluates the flag against a new point)."""
    values: dict[str, Any] = {"reorder_point": reorder_point, "updated_at": now}
    if reorder_point is None:
        values["low_alerted"] = False
    return await _update(uow, level_id, values)
