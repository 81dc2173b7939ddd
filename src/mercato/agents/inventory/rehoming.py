"""Moving part of a reference's hold from one location to another (fulfilment planning: an
order's units held at several locations are gathered where one parcel can leave from).

The new location's row takes the units by the same conditional UPDATE a checkout's draw
uses (never more than it has available); only then is the old row's hold given back, and
the reservation rows follow: the moved units' reservation at the new location (same
status, same expiry), the old one shrunk or ended. The ledger records both sides with the
reason "rehomed". Nothing moves when the new location is short (409 `insufficient_stock`,
the caller's transaction rolls back).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from mercato.agents.inventory import stock
from mercato.agents.inventory.errors import InsufficientStock, ReservationNotActive
from mercato.agents.inventory.models import Location, Reservation, StockLevel
from mercato.agents.inventory.settlement import active_of
from mercato.agents.inventory.statuses import ReservationStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

REASON = "rehomed"


async def move_hold(
    uow: UnitOfWork,
    *,
    reference: str,
    variant_id: str,
    from_location: str,
    to_location: str,
    quantity: int,
    now: datetime,
) -> None:
    """`quantity` held units of `variant_id` for `reference` move from one location to
    another. 409 `reservation_not_active` when the reference holds fewer there; 409
    `insufficient_stock` when the other location has fewer available."""
    held = [
        r
        for r in await active_of(uow, reference)
        if r.variant_id == variant_id and r.location_id == from_location
    ]
    if sum(r.quantity for r in held) < quantity:
        raise ReservationNotActive(
            f"{reference!r} holds fewer than {quantity} units of {variant_id} there",
            rule="BR018",
            reference=reference,
        )
    target = await stock.find(uow, variant_id=variant_id, location_id=to_location)
    taken = None if target is None else await stock.hold(uow, target.id, quantity, now)
    if target is None or taken is None:
        raise InsufficientStock(
            [{"variant_id": variant_id, "requested": quantity}],
            f"the location has fewer than {quantity} units of {variant_id} available",
        )
    stock.record(
        uow,
        taken,
        kind="reserve",
        reserved_delta=quantity,
        reason=REASON,
        reference=reference,
        now=now,
    )
    first = held[0]
    uow.session.add(
        Reservation(
            id=new_id(),
            reference=reference,
            variant_id=variant_id,
            location_id=to_location,
            stock_level_id=target.id,
            quantity=quantity,
            status=first.status,
            expires_at=first.expires_at,
            created_at=now,
        )
    )
    left = quantity
    for reservation in held:
        if not left:
            break
        part = min(left, reservation.quantity)
        await _shrink(uow, reservation, part, now)
        given = await stock.unhold(uow, reservation.stock_level_id, part, now, ship=False)
        if given is None:
            raise RuntimeError(f"stock row {reservation.stock_level_id} holds too few units")
        stock.record(
            uow,
            given,
            kind="release",
            reserved_delta=-part,
            reason=REASON,
            reference=reference,
            now=now,
        )
        left -= part


async def _shrink(uow: UnitOfWork, reservation: Reservation, part: int, now: datetime) -> None:
    remaining = reservation.quantity - part
    values: dict[str, object] = (
        {"quantity": remaining}
        if remaining
        else {"status": ReservationStatus.RELEASED, "ended_at": now}
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
            f"reservation {reservation.id} changed while it was being moved",
            rule="BR018",
            reference=reservation.reference,
        )
    for name, value in values.items():
        set_committed_value(reservation, name, value)


async def available_at(uow: UnitOfWork, variant_ids: Sequence[str]) -> dict[tuple[str, str], int]:
    """(variant, location) → units available there, at the store's active locations."""
    found = await uow.session.execute(
        select(
            StockLevel.variant_id, StockLevel.location_id, StockLevel.on_hand - StockLevel.reserved
        )
        .join(Location, Location.id == StockLevel.location_id)
        .where(StockLevel.variant_id.in_(list(variant_ids)), Location.active.is_(True))
    )
    return {(variant, location): max(int(units), 0) for variant, location, units in found}
