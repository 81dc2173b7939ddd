"""A shipment's moves after its label: it ships (BR023: with a tracking number), moves,
fails an attempt, is delivered (BR024: only once shipped), comes back, or is cancelled
before it ships. Each move locks the shipment's row, checks where it stands, tells the
orders agent what its units did (an outbound shipment: shipped, delivered), and publishes.
A move already made is a no-op, so a carrier's repeated scan or a retried call is harmless.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select

from mercato.agents.orders import service as orders
from mercato.agents.shipping import events
from mercato.agents.shipping.models import Shipment, ShipmentLine
from mercato.agents.shipping.problems import ShipmentNotFound, ShipmentStatusConflict
from mercato.agents.shipping.statuses import ON_THE_WAY, ShipmentKind, ShipmentStatus
from mercato.kernel import rules
from mercato.kernel.db import UnitOfWork


async def lock(uow: UnitOfWork, shipment_id: str) -> Shipment:
    found: Shipment | None = await uow.session.scalar(
        select(Shipment)
        .where(Shipment.id == shipment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if found is None:
        raise ShipmentNotFound(f"no shipment {shipment_id!r}")
    return found


async def lines_of(uow: UnitOfWork, shipment_id: str) -> dict[str, int]:
    """Order line id → units."""
    found = await uow.session.execute(
        select(ShipmentLine.order_line_id, ShipmentLine.quantity).where(
            ShipmentLine.shipment_id == shipment_id
        )
    )
    return {line_id: quantity for line_id, quantity in found}


E = TypeVar("E", bound=events.ShipmentEvent)


def _event(kind: type[E], shipment: Shipment, **more: Any) -> E:
    return kind(
        shipment_id=shipment.id,
        number=shipment.number,
        kind=shipment.kind,
        order_id=shipment.order_id,
        order_number=shipment.order_number,
        carrier=shipment.carrier,
        service=shipment.service,
        tracking_number=shipment.tracking_number,
        return_id=shipment.return_id,
        **more,
    )


async def ship(
    uow: UnitOfWork,
    shipment: Shipment,
    *,
    tracking_number: str | None,
    now: datetime,
    actor: str | None,
) -> bool:
    """label_created → shipped (False: it had shipped already). BR023: a tracking number,
    the label's or the one given (a table carrier's, from its receipt). An outbound
    shipment's units leave the order (stock committed, payment captured for them)."""
    if shipment.status in {*ON_THE_WAY, ShipmentStatus.DELIVERED}:
        return False
    if shipment.status != ShipmentStatus.LABEL_CREATED:
        raise ShipmentStatusConflict(f"a {shipment.status} shipment cannot ship")
    number = (tracking_number or "").strip() or shipment.tracking_number
    await rules.enforce(
        "BR023",
        detail="the shipment has no tracking number: give the carrier's",
        tracking_number=number,
    )
    if shipment.tracking_number and number != shipment.tracking_number and shipment.carrier_ref:
        raise ShipmentStatusConflict(
            f"the label's tracking number is {shipment.tracking_number}: it cannot change"
        )
    lines = await lines_of(uow, shipment.id)
    if shipment.kind == ShipmentKind.OUTBOUND:
        await orders.ship_lines(
            uow,
            order_id=shipment.order_id,
            shipment_id=shipment.id,
            lines=lines,
            carrier=shipment.carrier,
            tracking_number=number,
            now=now,
            actor=actor,
            location_id=shipment.location_id,
        )
    shipment.tracking_number = number
    shipment.status, shipment.shipped_at, shipment.updated_at = ShipmentStatus.SHIPPED, now, now
    uow.publish(_event(events.ShipmentShipped, shipment, lines=lines), aggregate_id=shipment.id)
    return True


async def move(
    uow: UnitOfWork, shipment: Shipment, status: ShipmentStatus, *, description: str, now: datetime
) -> bool:
    """A tracking milestone of a shipped parcel (in transit, out for delivery, an
    exception, back to the sender)."""
    if shipment.status not in ON_THE_WAY or shipment.status == status:
        return False
    shipment.status, shipment.updated_at = status, now
    kind: type[events.ShipmentEvent] = (
        events.ShipmentException
        if status in {ShipmentStatus.EXCEPTION, ShipmentStatus.RETURNED_TO_SENDER}
        else events.ShipmentInTransit
    )
    uow.publish(
        _event(kind, shipment, status=status, description=description), aggregate_id=shipment.id
    )
    return True


async def fail_attempt(
    uow: UnitOfWork, shipment: Shipment, *, description: str, now: datetime
) -> bool:
    """A delivery attempt failed; the carrier will try again (`delivery.failed`)."""
    if shipment.status not in ON_THE_WAY:
        raise ShipmentStatusConflict(
            f"a {shipment.status} shipment is not out for delivery: no attempt can fail"
        )
    shipment.failed_attempts += 1
    shipment.status, shipment.updated_at = ShipmentStatus.FAILED_ATTEMPT, now
    uow.publish(
        _event(
            events.DeliveryFailed,
            shipment,
            attempts=shipment.failed_attempts,
            description=description,
        ),
        aggregate_id=shipment.id,
    )
    return True


async def deliver(uow: UnitOfWork, shipment: Shipment, *, now: datetime, actor: str | None) -> bool:
    """→ delivered (False: it was already). BR024: only a shipment that shipped. An
    outbound shipment's units arrive in the order (the order is delivered with its last)."""
    if shipment.status == ShipmentStatus.DELIVERED:
        return False
    await rules.enforce(
        "BR024",
        detail=f"the shipment is {shipment.status}: it cannot be delivered before it ships",
        status=shipment.status,
    )
    lines = await lines_of(uow, shipment.id)
    if shipment.kind == ShipmentKind.OUTBOUND:
        await orders.deliver_lines(
            uow,
            order_id=shipment.order_id,
            shipment_id=shipment.id,
            lines=lines,
            now=now,
            actor=actor,
        )
    shipment.status, shipment.delivered_at, shipment.updated_at = (
        ShipmentStatus.DELIVERED,
        now,
        now,
    )
    uow.publish(
        _event(events.ShipmentDelivered, shipment, lines=lines),
        aggregate_id=shipment.id,
    )
    return True


async def cancel(uow: UnitOfWork, shipment: Shipment, *, now: datetime) -> bool:
    """label_created → cancelled: its units may go in another shipment. A shipped one
    cannot be (409)."""
    if shipment.status == ShipmentStatus.CANCELLED:
        return False
    if shipment.status != ShipmentStatus.LABEL_CREATED:
        raise ShipmentStatusConflict(f"a {shipment.status} shipment cannot be cancelled")
    shipment.status, shipment.updated_at = ShipmentStatus.CANCELLED, now
    uow.publish(_event(events.ShipmentCancelled, shipment), aggregate_id=shipment.id)
    return True


async def shipment_lines(uow: UnitOfWork, shipment_id: str) -> list[ShipmentLine]:
    found = await uow.session.scalars(
        select(ShipmentLine)
        .where(ShipmentLine.shipment_id == shipment_id)
        .order_by(ShipmentLine.sku)
    )
    return list(found)
