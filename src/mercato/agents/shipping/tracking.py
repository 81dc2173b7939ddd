"""Tracking events, from a carrier's webhook, a poll of its API, or staff: each recorded
once (the vendor's event id, or its status and time, is unique per shipment) and moving the
shipment where it says.

The first scan of a parcel whose label was bought but that was never marked shipped ships it:
the carrier has it, with the label's tracking number (BR023 holds). A "delivered" for a
parcel the carrier never scanned is recorded and refused (BR024): it moves nothing, and staff
see it on the shipment's timeline. Events that arrive out of order (a late "in transit" after
"delivered") are recorded and move nothing back. A move refused part-way (the order
refusing the units a first scan would ship) is undone whole: the event stays on record.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mercato.agents.shipping import moves
from mercato.agents.shipping.deps import ShippingDeps
from mercato.agents.shipping.models import Shipment, TrackingEvent
from mercato.agents.shipping.providers.base import (
    CarrierRefused,
    CarrierUnavailable,
    TrackingStatus,
    TrackingUpdate,
)
from mercato.agents.shipping.statuses import ON_THE_WAY, ShipmentStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Problem
from mercato.kernel.ids import new_id

log = structlog.get_logger(__name__)

MILESTONES = {
    TrackingStatus.IN_TRANSIT: ShipmentStatus.IN_TRANSIT,
    TrackingStatus.OUT_FOR_DELIVERY: ShipmentStatus.OUT_FOR_DELIVERY,
    TrackingStatus.EXCEPTION: ShipmentStatus.EXCEPTION,
    TrackingStatus.RETURNED_TO_SENDER: ShipmentStatus.RETURNED_TO_SENDER,
}


@dataclass(frozen=True)
class Applied:
    shipment_id: str | None
    recorded: bool
    """False: a repeat of an event already recorded (or no shipment has the number)."""
    outcome: str
    """moved | recorded | refused | duplicate | unknown_shipment"""


async def find(uow: UnitOfWork, carrier: str, tracking_number: str) -> Shipment | None:
    found: Shipment | None = await uow.session.scalar(
        select(Shipment)
        .where(Shipment.carrier == carrier, Shipment.tracking_number == tracking_number)
        .order_by(Shipment.created_at.desc())
        .limit(1)
    )
    return found


async def apply(
    uow: UnitOfWork,
    shipment: Shipment,
    update: TrackingUpdate,
    *,
    source: str,
    now: datetime,
) -> Applied:
    """Record `update` for the shipment (once) and move the shipment by it."""
    key = update.vendor_event_id or f"{update.status}@{update.occurred_at.isoformat()}"
    event = TrackingEvent(
        id=new_id(),
        shipment_id=shipment.id,
        status=update.status,
        occurred_at=update.occurred_at,
        description=update.description[:300],
        location=(update.location or None) and update.location[:200],
        source=source,
        dedupe_key=key[:200],
        created_at=now,
    )
    try:
        async with uow.session.begin_nested():
            uow.session.add(event)
            await uow.session.flush()
    except IntegrityError:
        return Applied(shipment.id, recorded=False, outcome="duplicate")
    locked = await moves.lock(uow, shipment.id)
    try:
        async with uow.savepoint():  # refused part-way: nothing of the move stays
            moved = await _move(uow, locked, update, now=now)
    except Problem as refused:  # BR024 and the like: the event stays on record
        log.warning(
            "shipping.tracking_refused",
            shipment=shipment.id,
            status=update.status,
            problem=refused.code,
        )
        return Applied(shipment.id, recorded=True, outcome="refused")
    return Applied(shipment.id, recorded=True, outcome="moved" if moved else "recorded")


async def _move(
    uow: UnitOfWork, shipment: Shipment, update: TrackingUpdate, *, now: datetime
) -> bool:
    status = update.status
    if status == TrackingStatus.PRE_TRANSIT:
        return False
    if shipment.status == ShipmentStatus.LABEL_CREATED and status != TrackingStatus.DELIVERED:
        await moves.ship(uow, shipment, tracking_number=None, now=now, actor="carrier")
    if status == TrackingStatus.DELIVERED:
        return await moves.deliver(uow, shipment, now=now, actor="carrier")
    if status == TrackingStatus.FAILED_ATTEMPT:
        return await moves.fail_attempt(uow, shipment, description=update.description, now=now)
    if shipment.status == ShipmentStatus.DELIVERED:
        return False  # a late scan: on record, nothing moves back
    return await moves.move(
        uow, shipment, MILESTONES[status], description=update.description, now=now
    )


async def events_of(uow: UnitOfWork, shipment_id: str) -> list[TrackingEvent]:
    found = await uow.session.scalars(
        select(TrackingEvent)
        .where(TrackingEvent.shipment_id == shipment_id)
        .order_by(TrackingEvent.occurred_at, TrackingEvent.created_at, TrackingEvent.id)
    )
    return list(found)


async def due_for_poll(
    uow: UnitOfWork, *, carriers: Sequence[str], now: datetime, every: float, limit: int = 100
) -> list[Shipment]:
    """Shipments on their way with a carrier that can be polled, not polled for `every`
    seconds, across stores (the poll sets each one's store)."""
    since = now - timedelta(seconds=every)
    found = await uow.session.scalars(
        select(Shipment)
        .where(
            Shipment.status.in_([*ON_THE_WAY, ShipmentStatus.LABEL_CREATED]),
            Shipment.carrier.in_(list(carriers)),
            Shipment.tracking_number.is_not(None),
            (Shipment.polled_at.is_(None)) | (Shipment.polled_at < since),
        )
        .order_by(Shipment.polled_at.nulls_first(), Shipment.id)
        .limit(limit)
        .execution_options(all_tenants=True)
    )
    return list(found)


async def poll_one(deps: ShippingDeps, shipment: Shipment) -> list[TrackingUpdate]:
    """The carrier's events for one shipment (none when it cannot be reached: next time)."""
    carrier = deps.carriers[shipment.carrier]
    assert shipment.tracking_number is not None
    try:
        return await asyncio.wait_for(
            carrier.track(shipment.tracking_number, carrier_ref=shipment.tracker_ref),
            deps.settings.shipping_carrier_timeout,
        )
    except (TimeoutError, CarrierUnavailable, CarrierRefused) as exc:
        log.warning("shipping.poll_failed", shipment=shipment.id, error=str(exc) or "timeout")
        return []
