"""Shipping's commands and queries: the only code that writes the shipping agent's tables.

Other agents use this module (`from mercato.agents.shipping import service as shipping`):
the returns agent makes a return's label with `create_return_shipment`; everything else is
the API's. Commands that call a carrier take `units` (a unit-of-work factory, the kernel's
`uow`) and open their own short transactions around the call (ADR 4); the others take the
caller's unit of work and never commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from mercato.agents.orders import service as orders
from mercato.agents.shipping import making, moves, origins
from mercato.agents.shipping.deps import ShippingDeps
from mercato.agents.shipping.making import Plan
from mercato.agents.shipping.models import Shipment, ShipmentLine
from mercato.agents.shipping.problems import InvalidShippingRequest, ShipmentNotFound
from mercato.agents.shipping.providers.base import Address
from mercato.agents.shipping.statuses import ShipmentKind, ShipmentStatus
from mercato.agents.warehouse import service as warehouse
from mercato.kernel import paging
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

__all__ = [
    "ShipmentStatus",
    "ShippingDeps",
    "cancel_open_shipments",
    "create_return_shipment",
    "create_shipment",
    "get_shipment",
    "last_delivery",
    "line_deliveries",
    "list_shipments",
    "receiving_location",
    "shipments_of_order",
]

Units = Callable[..., UnitOfWork]


async def create_shipment(
    units: Units,
    deps: ShippingDeps,
    *,
    order_id: str,
    lines: Mapping[str, int] | None,
    carrier: str | None,
    service: str | None,
    rate_id: str | None = None,
    location_id: str | None = None,
    now: Callable[[], datetime],
) -> Shipment:
    """A shipment of `lines` (order line id → units; None: every unit not yet in one) with
    its label bought from the carrier (the one named, the order's chosen option, or the
    cheapest). 404 order, 409 `shipment_status_conflict` (the order is not confirmed),
    409 `fulfilment_quantity_conflict` (units in another shipment), 422 bad lines, no
    rates, no addresses; 503 `carrier_unavailable` (nothing bought, nothing written)."""
    async with units(writes=False) as uow:
        plan = await making.prepare(
            uow,
            deps,
            order_id=order_id,
            lines=lines,
            carrier=carrier,
            service=service,
            rate_id=rate_id,
            location_id=location_id,
        )
        plan = await making.priced(uow, deps, plan)
    return await _label_and_record(units, deps, plan, now=now)


async def _label_and_record(
    units: Units, deps: ShippingDeps, plan: Plan, *, now: Callable[[], datetime]
) -> Shipment:
    shipment_id = new_id()
    label = await making.buy(
        plan, shipment_id=shipment_id, seconds=deps.settings.shipping_carrier_timeout
    )
    async with units() as uow:
        shipment = await making.record(uow, plan, label, shipment_id=shipment_id, now=now())
        await uow.commit()
    return shipment


async def create_return_shipment(
    units: Units,
    deps: ShippingDeps,
    *,
    order_id: str,
    return_id: str,
    lines: Mapping[str, int],
    now: Callable[[], datetime],
) -> Shipment:
    """A return's label: from the order's shipping address back to the location that sent
    the units (the store's first ship-from address otherwise), with the cheapest carrier
    service. Its tracking reaches the returns agent as `shipment.*` events of kind
    "return"."""
    async with units(writes=False) as uow:
        order = await orders.fulfilment_of(uow, order_id=order_id)
        if order is None:
            raise orders.OrderNotFound(f"no order {order_id!r}")
        sender = origins.address_of(order.shipping_address)
        sent_from = await _sent_from(uow, order_id)
        home = await origins.origin_for(uow, sent_from)
        if sender is None or home is None:
            raise InvalidShippingRequest("a return label needs the order's and a ship-from address")
        items = []
        for line_id, quantity in lines.items():
            line = order.line(line_id)
            if line is None:
                raise InvalidShippingRequest(f"the order has no line {line_id!r}")
            items.append((line.variant_id, quantity))
        packages = await warehouse.choose_packages(uow, items=items)
        plan = Plan(
            order=order,
            units=dict(lines),
            location_id=sent_from,
            origin=sender,
            destination=home,
            parcel=making.parcel_of(packages, order.worth(lines, already={}), order.currency),
            packages=[{"box": p.box_code, "weight_grams": p.weight_grams} for p in packages],
            carrier="",
            carrier_name="",
            service="",
            service_name="",
            cost=Decimal(0),
            provider=None,
            quote=None,
            kind=ShipmentKind.RETURN,
            return_id=return_id,
        )
        plan = await making.priced(uow, deps, plan)
    return await _label_and_record(units, deps, replace(plan, kind=ShipmentKind.RETURN), now=now)


async def receiving_location(uow: UnitOfWork, *, order_id: str, return_id: str) -> str | None:
    """Where a return's units come back to: the location its label is addressed to, else
    the one that sent the order's first parcel (None: the order never shipped a parcel)."""
    labelled: str | None = await uow.session.scalar(
        select(Shipment.location_id)
        .where(Shipment.return_id == return_id, Shipment.kind == ShipmentKind.RETURN)
        .order_by(Shipment.created_at.desc())
        .limit(1)
    )
    return labelled or await _sent_from(uow, order_id)


async def _sent_from(uow: UnitOfWork, order_id: str) -> str | None:
    found: str | None = await uow.session.scalar(
        select(Shipment.location_id)
        .where(Shipment.order_id == order_id, Shipment.kind == ShipmentKind.OUTBOUND)
        .order_by(Shipment.created_at)
        .limit(1)
    )
    return found


async def get_shipment(uow: UnitOfWork, *, shipment_id: str) -> Shipment:
    found = await uow.session.get(Shipment, shipment_id)
    if found is None:
        raise ShipmentNotFound(f"no shipment {shipment_id!r}")
    return found


async def shipments_of_order(uow: UnitOfWork, *, order_id: str) -> list[Shipment]:
    found = await uow.session.scalars(
        select(Shipment).where(Shipment.order_id == order_id).order_by(Shipment.created_at)
    )
    return list(found)


async def list_shipments(
    uow: UnitOfWork,
    *,
    status: ShipmentStatus | None,
    kind: ShipmentKind | None,
    carrier: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Shipment], str | None]:
    """Newest first."""
    key = paging.decode(cursor, datetime, str)
    order = (Shipment.created_at, Shipment.id)
    query = select(Shipment).where(paging.beyond(order, key, descending=True))
    if status is not None:
        query = query.where(Shipment.status == status)
    if kind is not None:
        query = query.where(Shipment.kind == kind)
    if carrier is not None:
        query = query.where(Shipment.carrier == carrier)
    rows = list(
        await uow.session.scalars(
            query.order_by(*(column.desc() for column in order)).limit(limit + 1)
        )
    )
    return paging.cut(rows, limit, lambda s: (s.created_at, s.id))


async def cancel_open_shipments(uow: UnitOfWork, *, order_id: str, now: datetime) -> int:
    """The order was cancelled: its shipments not yet shipped are cancelled too."""
    cancelled = 0
    for shipment in await shipments_of_order(uow, order_id=order_id):
        if shipment.status == ShipmentStatus.LABEL_CREATED:
            cancelled += await moves.cancel(uow, await moves.lock(uow, shipment.id), now=now)
    return cancelled


async def destination_of(data: Mapping[str, object] | None, *, country: str) -> Address:
    """Where rates are asked for: the address given, or the country alone."""
    found = origins.address_of(dict(data or {}))
    return found or Address(name="", line1="", city="", postal_code="", country=country)


async def last_delivery(uow: UnitOfWork, *, order_id: str) -> datetime | None:
    """When the order's last outbound shipment was delivered (None: none was)."""
    found: datetime | None = await uow.session.scalar(
        select(Shipment.delivered_at)
        .where(
            Shipment.order_id == order_id,
            Shipment.kind == ShipmentKind.OUTBOUND,
            Shipment.delivered_at.is_not(None),
        )
        .order_by(Shipment.delivered_at.desc())
        .limit(1)
    )
    return found


async def line_deliveries(uow: UnitOfWork, *, order_id: str) -> dict[str, datetime]:
    """Order line id -> when its last unit was delivered: the latest delivery among the
    order's delivered outbound shipments that carry the line. A line no delivered shipment
    carries is absent (not delivered, or delivered without a shipment record)."""
    found = await uow.session.execute(
        select(ShipmentLine.order_line_id, func.max(Shipment.delivered_at))
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .where(
            Shipment.order_id == order_id,
            Shipment.kind == ShipmentKind.OUTBOUND,
            Shipment.delivered_at.is_not(None),
        )
        .group_by(ShipmentLine.order_line_id)
    )
    return {line_id: delivered for line_id, delivered in found if delivered is not None}
