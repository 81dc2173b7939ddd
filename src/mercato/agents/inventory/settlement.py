"""How reservations end: committed (the units leave the building), released (given back),
or expired (BR018, by the sweeper or when the reference reserves again); and how they stop
expiring: allocated to a confirmed order (held until it ships or is cancelled).

Each reservation is claimed with a conditional UPDATE on its status (`WHERE status =
'active'`) before its stock row is touched, so concurrent callers and the sweepers of several
processes never apply one twice. Stock rows are changed in (variant, row id) order, the order
every inventory command uses.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from mercato.agents.inventory import events, stock
from mercato.agents.inventory.errors import (
    InvalidStockRequest,
    ReservationNotActive,
    ReservationNotFound,
)
from mercato.agents.inventory.models import Reservation
from mercato.agents.inventory.statuses import HOLDING, ReservationStatus
from mercato.kernel import context, paging, rules
from mercato.kernel.db import UnitOfWork
from mercato.kernel.events import Event


async def split_lapsed(
    active: list[Reservation], now: datetime
) -> tuple[list[Reservation], list[Reservation]]:
    """(the reservations still holding, those past their expiry (BR018) the sweeper has not
    reached yet), each in lock order."""
    kept: list[Reservation] = []
    lapsed: list[Reservation] = []
    for reservation in active:
        (kept if await _still_holds(reservation, now) else lapsed).append(reservation)
    return kept, lapsed


async def expire(uow: UnitOfWork, lapsed: list[Reservation], now: datetime) -> None:
    """End reservations past their expiry, in lock order, for a caller that already holds
    their stock rows' locks (`reserve`). A reservation another transaction is ending at this
    moment (the sweeper, a release) is left to it: the sweeper claims a reservation, then
    its stock row, so waiting for the claim while holding the row would deadlock. (SQLite
    has no row locks: its writers are serialized, nothing is skipped.)"""
    if not lapsed:
        return
    free = set(
        await uow.session.scalars(
            select(Reservation.id)
            .where(
                Reservation.id.in_([r.id for r in lapsed]),
                Reservation.status == ReservationStatus.ACTIVE,
            )
            .order_by(Reservation.id)
            .with_for_update(key_share=True, skip_locked=True)
        )
    )
    for reservation in _lock_order(lapsed):
        if reservation.id in free:
            await _finish(
                uow, reservation, status=ReservationStatus.EXPIRED, reason="expired", now=now
            )


async def _still_holds(reservation: Reservation, now: datetime) -> bool:
    return await rules.holds(
        "BR018", status=reservation.status, expires_at=reservation.expires_at, now=now
    )


async def release(
    uow: UnitOfWork, *, reference: str, now: datetime, reason: str = "released"
) -> list[Reservation]:
    """Give back the stock held for `reference` (a cancelled checkout, a failed payment).
    Idempotent: what was already released, committed or expired is left alone; returns the
    reservations this call released.

    The holds are read again until none is left: fulfilment planning may have moved some to
    another location meanwhile (`move_hold` shrinks or ends the old reservation and makes a
    new one, in a transaction that commits while this one waits on the old row), and the
    new hold is released too rather than left holding stock for a reference that gave it
    back."""
    if not 1 <= len(reason) <= 32:
        raise InvalidStockRequest("a release reason has 1 to 32 characters")
    released = []
    for _ in range(RELEASE_READS):
        holding = await active_of(uow, reference)
        if not holding:
            break
        for reservation in holding:
            if await _finish(
                uow, reservation, status=ReservationStatus.RELEASED, reason=reason, now=now
            ):
                released.append(reservation)
    return released


RELEASE_READS = 5
"""Reads of a reference's holds by one release: a move can only come between two of them
once per hold, so the last read finds nothing."""


async def allocate(uow: UnitOfWork, *, reference: str, now: datetime) -> list[Reservation]:
    """The order of `reference` was confirmed: its reservations stop expiring and hold the
    stock until `commit` (shipped) or `release` (cancelled). One UPDATE … RETURNING of the
    reservations still holding (BR018: allocated, or active and unexpired); the caller
    checks they cover its order (a lapsed one is not among them). 404 when none holds.
    Allocating again is a no-op."""
    held = list(
        await uow.session.scalars(
            update(Reservation)
            .where(
                Reservation.reference == reference,
                or_(
                    Reservation.status == ReservationStatus.ALLOCATED,
                    and_(
                        Reservation.status == ReservationStatus.ACTIVE, Reservation.expires_at > now
                    ),
                ),
            )
            .values(status=ReservationStatus.ALLOCATED)
            .returning(Reservation)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
    )
    if not held:
        raise ReservationNotFound(f"no reservation holds stock for {reference!r}")
    return _lock_order(held)


async def commit(uow: UnitOfWork, *, reference: str, now: datetime) -> list[Reservation]:
    """The held units leave the building (the order shipped or was confirmed): on_hand and
    reserved both drop. 404 when the reference never reserved anything; 409
    `reservation_not_active` (BR018) when its reservations expired or were released, or
    are past their expiry. Committing again returns the committed reservations unchanged."""
    every = await reservations_of(uow, reference=reference, limit=None)
    if not every:
        raise ReservationNotFound(f"no reservation for {reference!r}")
    active = [r for r in every if r.status in HOLDING]
    if not active:
        committed = [r for r in every if r.status == ReservationStatus.COMMITTED]
        if committed:
            return committed
    for reservation in active or every:
        if not await _still_holds(reservation, now):
            raise _not_active(reservation, reference)
    ended: list[tuple[Event, stock.Row]] = []
    async with stock.atomic(uow):
        for reservation in _lock_order(active):
            outcome = await _claim(
                uow,
                reservation,
                status=ReservationStatus.COMMITTED,
                now=now,
                guard=or_(
                    Reservation.status == ReservationStatus.ALLOCATED, Reservation.expires_at > now
                ),
            )
            if outcome is None:  # a concurrent release or the sweeper got there first
                raise _not_active(reservation, reference)
            ended.append(outcome)
    for event, row in ended:
        uow.publish(event, aggregate_id=row.variant_id)
        await stock.watch_low(uow, row, now)
    return active


def _not_active(reservation: Reservation, reference: str) -> ReservationNotActive:
    return ReservationNotActive(
        f"reservation {reservation.id} of {reference!r} is {reservation.status}, "
        f"expiring at {reservation.expires_at.isoformat()}",
        rule="BR018",
        reference=reference,
    )


async def expire_due(uow: UnitOfWork, *, now: datetime, limit: int = 200) -> int:
    """The sweeper: end the active reservations of every store whose expiry has passed,
    returning their stock (`stock.released`, reason `expired`). Safe in several processes at
    once: each reservation is claimed by a conditional UPDATE. Returns how many it ended."""
    due = await uow.session.scalars(
        select(Reservation)
        .where(Reservation.status == ReservationStatus.ACTIVE, Reservation.expires_at <= now)
        .order_by(Reservation.expires_at, Reservation.id)
        .limit(limit)
        .execution_options(all_tenants=True)
    )
    ended = 0
    for reservation in sorted(due, key=lambda r: (r.tenant_id, *_lock_key(r))):
        with context.bind(tenant_id=reservation.tenant_id):
            if await _still_holds(reservation, now):
                continue
            if await _finish(
                uow, reservation, status=ReservationStatus.EXPIRED, reason="expired", now=now
            ):
                ended += 1
    return ended


async def any_due(uow: UnitOfWork, *, now: datetime) -> bool:
    """Whether any store has a reservation past its expiry (a cheap read before sweeping)."""
    found = await uow.session.scalar(
        select(Reservation.id)
        .where(Reservation.status == ReservationStatus.ACTIVE, Reservation.expires_at <= now)
        .limit(1)
        .execution_options(all_tenants=True)
    )
    return found is not None


async def _finish(
    uow: UnitOfWork,
    reservation: Reservation,
    *,
    status: ReservationStatus,
    reason: str,
    now: datetime,
) -> bool:
    """Release or expire one reservation, if this call is the one that claims it."""
    outcome = await _claim(uow, reservation, status=status, now=now, reason=reason)
    if outcome is None:
        return False
    event, row = outcome
    uow.publish(event, aggregate_id=row.variant_id)
    await stock.watch_low(uow, row, now)
    return True


_KINDS = {
    ReservationStatus.RELEASED: "release",
    ReservationStatus.EXPIRED: "expiry",
    ReservationStatus.COMMITTED: "commit",
}


async def _claim(
    uow: UnitOfWork,
    reservation: Reservation,
    *,
    status: ReservationStatus,
    now: datetime,
    reason: str | None = None,
    guard: ColumnElement[bool] | None = None,
) -> tuple[Event, stock.Row] | None:
    """Move an active reservation to `status` (claimed by a conditional UPDATE on its status)
    and apply it to its stock row; None when another caller claimed it first. Returns the
    event to publish and the row as left."""
    claim = (
        update(Reservation)
        .where(Reservation.id == reservation.id, Reservation.status.in_(HOLDING))
        .values(status=status, ended_at=now)
        .returning(Reservation.quantity)
        .execution_options(synchronize_session=False)
    )
    if guard is not None:
        claim = claim.where(guard)
    claimed = (await uow.session.execute(claim)).first()
    if claimed is None:
        return None
    # the units it holds as claimed: a move to another location may have shrunk it since read
    quantity, shipped = int(claimed.quantity), status == ReservationStatus.COMMITTED
    set_committed_value(reservation, "status", status)
    set_committed_value(reservation, "ended_at", now)
    set_committed_value(reservation, "quantity", quantity)
    row = await stock.unhold(uow, reservation.stock_level_id, quantity, now, ship=shipped)
    if row is None:
        raise RuntimeError(
            f"stock row {reservation.stock_level_id} holds fewer reserved units than "
            f"reservation {reservation.id}: the ledger is inconsistent"
        )
    stock.record(
        uow,
        row,
        kind=_KINDS[status],
        on_hand_delta=-quantity if shipped else 0,
        reserved_delta=-quantity,
        reason=reason,
        reference=reservation.reference,
        now=now,
    )
    common = {
        "variant_id": row.variant_id,
        "sku": row.sku,
        "location_id": row.location_id,
        "quantity": quantity,
        "reservation_id": reservation.id,
        "reference": reservation.reference,
    }
    event: Event = (
        events.StockCommitted(**common)
        if shipped
        else events.StockReleased(**common, reason=reason or status)
    )
    return event, row


def _lock_key(reservation: Reservation) -> tuple[str, str, str]:
    return reservation.variant_id, reservation.stock_level_id, reservation.id


def _lock_order(reservations: list[Reservation]) -> list[Reservation]:
    """Stock rows are changed in (variant, row id) order by every command."""
    return sorted(reservations, key=_lock_key)


async def active_of(uow: UnitOfWork, reference: str) -> list[Reservation]:
    found = await uow.session.scalars(
        select(Reservation)
        .where(Reservation.reference == reference, Reservation.status.in_(HOLDING))
        .execution_options(populate_existing=True)
    )
    return _lock_order(list(found))


async def reservations_of(
    uow: UnitOfWork,
    *,
    reference: str | None = None,
    status: ReservationStatus | None = None,
    after: tuple[datetime, str] | None = None,
    limit: int | None = 500,
) -> list[Reservation]:
    """Reservations of a reference (oldest first), or the store's latest ones (newest
    first): those after the (created_at, id) key `after` in that order."""
    query = select(Reservation).execution_options(populate_existing=True)
    order = (Reservation.created_at, Reservation.id)
    newest_first = reference is None
    query = query.where(paging.beyond(order, after, descending=newest_first))
    if reference is not None:
        query = query.where(Reservation.reference == reference).order_by(*order)
    else:
        query = query.order_by(*(column.desc() for column in order))
    if status is not None:
        query = query.where(Reservation.status == status)
    if limit is not None:
        query = query.limit(limit)
    return list(await uow.session.scalars(query))
