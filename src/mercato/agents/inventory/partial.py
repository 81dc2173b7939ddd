"""Part of an order's held stock leaves in one shipment (a split shipment): some units of
some variants, from one location or any.

A reservation holding more than the shipment takes is split: it keeps the units still held,
and a new reservation of the units shipped is recorded as committed, so the ledger and the
reservations keep adding up (`reserved` drops by what left, `on_hand` too). The held row is
claimed by a conditional UPDATE on its status and quantity, like every other settlement, so
two shipments of the same units never both take them: the second is refused (409
`reservation_not_active`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from mercato.agents.inventory import events, stock
from mercato.agents.inventory.errors import ReservationNotActive
from mercato.agents.inventory.models import Reservation
from mercato.agents.inventory.settlement import active_of
from mercato.agents.inventory.statuses import ReservationStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id


async def commit_units(
    uow: UnitOfWork,
    *,
    reference: str,
    units: Mapping[str, int],
    now: datetime,
    location_id: str | None = None,
) -> dict[str, int]:
    """`units` (variant → quantity) of `reference`'s allocated stock leave the building;
    the units of each variant are taken from `location_id`'s holds first (any location's
    when None or short). Returns variant → units taken from each location as
    "variant@location" keys. 409 `reservation_not_active` when the reference no longer holds
    that many units (nothing changed: the caller's transaction rolls back)."""
    held = await active_of(uow, reference)
    taken: dict[str, int] = {}
    for variant_id in sorted(units):
        wanted = units[variant_id]
        if wanted <= 0:
            continue
        candidates = [r for r in held if r.variant_id == variant_id]
        candidates.sort(key=lambda r: (r.location_id != location_id, r.stock_level_id, r.id))
        for reservation in candidates:
            if wanted == 0:
                break
            part = min(wanted, reservation.quantity)
            await _take(uow, reservation, part, now=now)
            key = f"{variant_id}@{reservation.location_id}"
            taken[key] = taken.get(key, 0) + part
            wanted -= part
        if wanted:
            raise ReservationNotActive(
                f"{reference!r} holds {units[variant_id] - wanted} of the {units[variant_id]} "
                f"units of variant {variant_id} to ship",
                rule="BR018",
                reference=reference,
            )
    return taken


async def _take(uow: UnitOfWork, reservation: Reservation, quantity: int, *, now: datetime) -> None:
    """Move `quantity` units of a holding reservation to a committed one."""
    left = reservation.quantity - quantity
    values: dict[str, object] = (
        {"quantity": left} if left else {"status": ReservationStatus.COMMITTED, "ended_at": now}
    )
    claimed = await uow.session.execute(
        update(Reservation)
        .where(
            Reservation.id == reservation.id,
            Reservation.status == reservation.status,
            Reservation.quantity == reservation.quantity,
        )
        .values(**values)
        .returning(Reservation.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.first() is None:
        raise ReservationNotActive(
            f"reservation {reservation.id} changed while it was being shipped",
            rule="BR018",
            reference=reservation.reference,
        )
    if left:
        uow.session.add(
            Reservation(
                id=new_id(),
                reference=reservation.reference,
                variant_id=reservation.variant_id,
                location_id=reservation.location_id,
                stock_level_id=reservation.stock_level_id,
                quantity=quantity,
                status=ReservationStatus.COMMITTED,
                expires_at=reservation.expires_at,
                created_at=now,
                ended_at=now,
            )
        )
        set_committed_value(reservation, "quantity", left)
    else:
        set_committed_value(reservation, "status", ReservationStatus.COMMITTED)
        set_committed_value(reservation, "ended_at", now)
    row = await stock.unhold(uow, reservation.stock_level_id, quantity, now, ship=True)
    if row is None:
        raise RuntimeError(
            f"stock row {reservation.stock_level_id} holds fewer reserved units than "
            f"reservation {reservation.id}: the ledger is inconsistent"
        )
    stock.record(
        uow,
        row,
        kind="commit",
        on_hand_delta=-quantity,
        reserved_delta=-quantity,
        reference=reservation.reference,
        now=now,
    )
    uow.publish(
        events.StockCommitted(
            variant_id=row.variant_id,
            sku=row.sku,
            location_id=row.location_id,
            quantity=quantity,
            reservation_id=reservation.id,
            reference=reservation.reference,
        ),
        aggregate_id=row.variant_id,
    )
    await stock.watch_low(uow, row, now)
