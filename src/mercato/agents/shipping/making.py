"""Making a shipment: some of an order's units, from one location, with a carrier's label.

Three steps, so the carrier's call holds no database transaction (ADR 4): `prepare` reads
the order and works out the units, the location, the parcel, the addresses and the service;
`buy` gets the label from the carrier (a table carrier's label is Mercato's own, its tracking
number given when it ships); `record` writes the shipment after checking again, with the
order's shipments queued behind one another, that no other shipment took the same units
meanwhile (then the label is refused: nothing is written, and the caller is told).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from mercato.agents.inventory import service as inventory
from mercato.agents.orders import service as orders
from mercato.agents.shipping import origins, rating
from mercato.agents.shipping.deps import ShippingDeps
from mercato.agents.shipping.events import ShipmentCreated
from mercato.agents.shipping.models import Quote, Shipment, ShipmentLine
from mercato.agents.shipping.numbers import shipment_number
from mercato.agents.shipping.problems import (
    CarrierRefusedProblem,
    CarrierUnavailableProblem,
    InvalidShippingRequest,
    NoRates,
    NothingToRate,
    QuoteNotFound,
    ShipmentStatusConflict,
    UnitsAlreadyShipping,
)
from mercato.agents.shipping.providers.base import (
    Address,
    Carrier,
    CarrierRefused,
    CarrierUnavailable,
    Label,
    LabelRequest,
    Parcel,
)
from mercato.agents.shipping.providers.base import Quote as CarrierQuote
from mercato.agents.shipping.statuses import ShipmentKind, ShipmentStatus
from mercato.agents.warehouse import service as warehouse
from mercato.kernel.advisory import serialize
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id


@dataclass(frozen=True)
class Plan:
    """A shipment about to be made."""

    order: orders.OrderFulfilment
    units: dict[str, int]
    """Order line id → units."""
    location_id: str | None
    origin: Address
    destination: Address
    parcel: Parcel
    packages: list[dict[str, int | str]]
    carrier: str
    carrier_name: str
    service: str
    service_name: str
    cost: Decimal
    provider: Carrier | None
    """The carrier's API, or None for a table carrier (Mercato makes the label)."""
    quote: CarrierQuote | None
    kind: ShipmentKind = ShipmentKind.OUTBOUND
    return_id: str | None = None


async def taken_units(uow: UnitOfWork, order_id: str) -> dict[str, int]:
    """Order line id → units in the order's outbound shipments that are not cancelled."""
    found = await uow.session.execute(
        select(ShipmentLine.order_line_id, ShipmentLine.quantity)
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .where(
            Shipment.order_id == order_id,
            Shipment.kind == ShipmentKind.OUTBOUND,
            Shipment.status != ShipmentStatus.CANCELLED,
        )
    )
    taken: dict[str, int] = {}
    for line_id, quantity in found:
        taken[line_id] = taken.get(line_id, 0) + quantity
    return taken


def units_left(order: orders.OrderFulfilment, taken: Mapping[str, int]) -> dict[str, int]:
    """What of the order's shipping lines no shipment holds yet."""
    return {
        line.id: line.quantity - taken.get(line.id, 0)
        for line in order.lines
        if line.requires_shipping and line.quantity > taken.get(line.id, 0)
    }


def _units(
    order: orders.OrderFulfilment, wanted: Mapping[str, int] | None, left: Mapping[str, int]
) -> dict[str, int]:
    if wanted is None:
        if not any(line.requires_shipping for line in order.lines):
            raise NothingToRate("nothing in the order ships (downloads, gift cards)")
        if not left:
            raise UnitsAlreadyShipping("every unit of the order is in a shipment already")
        return dict(left)
    for line_id, quantity in wanted.items():
        line = order.line(line_id)
        if line is None:
            raise InvalidShippingRequest(f"the order has no line {line_id!r}", line_id=line_id)
        if not line.requires_shipping:
            raise InvalidShippingRequest(f"line {line_id} does not ship", line_id=line_id)
        if quantity > left.get(line_id, 0):
            raise UnitsAlreadyShipping(
                f"line {line_id} has {left.get(line_id, 0)} unit(s) not in a shipment yet, "
                f"not {quantity}",
                line_id=line_id,
            )
    return {line_id: quantity for line_id, quantity in wanted.items() if quantity}


async def held_for(uow: UnitOfWork, order_id: str) -> dict[str, dict[str, int]]:
    """Location -> variant -> units the order's reservations hold (active or allocated)."""
    held: dict[str, dict[str, int]] = {}
    for hold in await inventory.holds_of(uow, [order_id]):
        held.setdefault(hold.location_id, {})[hold.variant_id] = hold.quantity
    return held


async def location_holding(
    uow: UnitOfWork, order: orders.OrderFulfilment, units: Mapping[str, int]
) -> str | None:
    """The location holding most of `units` for the order (its reservation)."""
    variants = {order.line(line_id).variant_id for line_id in units if order.line(line_id)}  # type: ignore[union-attr]
    held: dict[str, int] = {}
    for location_id, at in (await held_for(uow, order.id)).items():
        wanted = [quantity for variant_id, quantity in at.items() if variant_id in variants]
        if wanted:
            held[location_id] = sum(wanted)
    return max(sorted(held), key=lambda loc: held[loc]) if held else None


async def prepare(
    uow: UnitOfWork,
    deps: ShippingDeps,
    *,
    order_id: str,
    lines: Mapping[str, int] | None,
    carrier: str | None,
    service: str | None,
    rate_id: str | None = None,
    location_id: str | None = None,
) -> Plan:
    order = await orders.fulfilment_of(uow, order_id=order_id)
    if order is None:
        raise orders.OrderNotFound(f"no order {order_id!r}")
    if order.status != "confirmed":
        raise ShipmentStatusConflict(
            f"a {order.status} order has nothing to ship (it must be confirmed)"
        )
    units = _units(order, lines, units_left(order, await taken_units(uow, order.id)))
    location_id = location_id or await location_holding(uow, order, units)
    destination = origins.address_of(order.shipping_address)
    if destination is None:
        raise InvalidShippingRequest("the order has no shipping address to ship to")
    origin = await origins.origin_for(uow, location_id)
    if origin is None:
        raise InvalidShippingRequest(
            "no ship-from address: set one for the location (PUT /v1/shipping/origins/{id})"
        )
    items = [(order.line(line_id).variant_id, n) for line_id, n in units.items()]  # type: ignore[union-attr]
    packages = await warehouse.choose_packages(uow, items=items)
    value = order.worth(units, already={})
    parcel = parcel_of(packages, value, order.currency)
    chosen_carrier, chosen_service = await _service(
        uow, carrier or order.shipping_carrier, service or order.shipping_service, rate_id
    )
    return Plan(
        order=order,
        units=units,
        location_id=location_id,
        origin=origin,
        destination=destination,
        parcel=parcel,
        packages=[
            {
                "box": p.box_code,
                "length_mm": p.length_mm,
                "width_mm": p.width_mm,
                "height_mm": p.height_mm,
                "weight_grams": p.weight_grams,
            }
            for p in packages
        ],
        carrier=chosen_carrier,
        carrier_name="",
        service=chosen_service,
        service_name="",
        cost=Decimal(0),
        provider=None,
        quote=None,
    )


def parcel_of(packages: list[warehouse.Package], value: Decimal, currency: str) -> Parcel:
    """One parcel for the carrier: the packages' weight, the largest package's box."""
    if not packages:
        raise NothingToRate("none of these units ships")
    largest = max(packages, key=lambda p: p.length_mm * p.width_mm * p.height_mm)
    return Parcel(
        weight_grams=sum(p.weight_grams for p in packages),
        length_mm=largest.length_mm,
        width_mm=largest.width_mm,
        height_mm=largest.height_mm,
        value=value,
        currency=currency,
    )


async def _service(
    uow: UnitOfWork, carrier: str | None, service: str | None, rate_id: str | None
) -> tuple[str, str]:
    """(carrier, service) asked for: a quote's, the named ones, or "" for the cheapest."""
    if rate_id is not None:
        quote = await uow.session.get(Quote, rate_id)
        if quote is None:
            raise QuoteNotFound(f"no shipping rate {rate_id!r}")
        return quote.carrier, quote.service
    return carrier or "", service or ""


async def priced(uow: UnitOfWork, deps: ShippingDeps, plan: Plan) -> Plan:
    """The plan with its carrier and service settled and priced: the named ones, or the
    cheapest option when none was named (rate shopping, outside any write)."""
    request, _ = await rating.prepare(
        uow,
        deps,
        origin=plan.origin,
        destination=plan.destination,
        parcel=plan.parcel,
        currency=plan.order.currency,
    )
    options, _warnings = await rating.ask(request, seconds=deps.settings.shipping_carrier_timeout)
    if plan.carrier:
        options = [o for o in options if o.carrier == plan.carrier]
        if plan.service:
            options = [o for o in options if o.service == plan.service]
    if not options:
        named = f"{plan.carrier} {plan.service}".strip() or "any carrier"
        raise NoRates(f"{named} does not ship this parcel to {plan.destination.country}")
    best = options[0]
    provider = request.carriers.get(best.carrier)
    quote = (
        CarrierQuote(
            carrier=best.carrier,
            service=best.service,
            service_name=best.service_name,
            amount=best.amount,
            currency=best.currency,
            days_min=best.days_min,
            days_max=best.days_max,
            carrier_ref=best.carrier_ref,
            shipment_ref=best.shipment_ref,
        )
        if best.source == "carrier"
        else None
    )
    return replace(
        plan,
        carrier=best.carrier,
        carrier_name=best.carrier_name,
        service=best.service,
        service_name=best.service_name,
        cost=best.amount,
        provider=provider if best.source == "carrier" else None,
        quote=quote,
    )


async def buy(plan: Plan, *, shipment_id: str, seconds: float) -> Label | None:
    """The carrier's label for the plan (None for a table carrier: Mercato makes it). 503
    `carrier_unavailable`, 422 `carrier_refused`: nothing was bought."""
    if plan.provider is None:
        return None
    request = LabelRequest(
        shipment_id=shipment_id,
        reference=plan.order.number,
        origin=plan.origin,
        destination=plan.destination,
        parcel=plan.parcel,
        service=plan.service,
        quote=plan.quote,
    )
    try:
        return await asyncio.wait_for(plan.provider.buy_label(request), seconds * 2)
    except (TimeoutError, CarrierUnavailable) as exc:
        raise CarrierUnavailableProblem(
            f"{plan.carrier_name} could not be reached for the label ({exc or 'timeout'}): "
            "nothing was bought, try again"
        ) from None
    except CarrierRefused as exc:
        raise CarrierRefusedProblem(f"{plan.carrier_name} refused the label: {exc}") from None


async def record(
    uow: UnitOfWork,
    plan: Plan,
    label: Label | None,
    *,
    shipment_id: str,
    now: datetime,
) -> Shipment:
    """Write the shipment (its units checked again, the order's shipments queued behind one
    another) and `shipment.created`."""
    await serialize(uow, f"shipping.order:{plan.order.id}")
    if plan.kind == ShipmentKind.OUTBOUND:
        left = units_left(plan.order, await taken_units(uow, plan.order.id))
        for line_id, quantity in plan.units.items():
            if quantity > left.get(line_id, 0):
                raise UnitsAlreadyShipping(
                    f"another shipment took line {line_id}'s units meanwhile", line_id=line_id
                )
    shipment = Shipment(
        id=shipment_id,
        number=shipment_number(shipment_id, now),
        kind=plan.kind,
        order_id=plan.order.id,
        order_number=plan.order.number,
        return_id=plan.return_id,
        location_id=plan.location_id,
        status=ShipmentStatus.LABEL_CREATED,
        carrier=plan.carrier,
        carrier_name=plan.carrier_name,
        service=plan.service,
        service_name=plan.service_name,
        tracking_number=label.tracking_number if label else None,
        carrier_ref=label.carrier_ref if label else None,
        tracker_ref=label.tracker_ref if label else None,
        ship_from=origins.data_of(plan.origin),
        ship_to=origins.data_of(plan.destination),
        packages=plan.packages,
        weight_grams=plan.parcel.weight_grams,
        cost=label.amount if label else plan.cost,
        currency=label.currency if label else plan.order.currency,
        label_pdf=label.pdf if label else None,
        label_url=label.url if label else None,
        failed_attempts=0,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(shipment)
    for line_id, quantity in plan.units.items():
        line = plan.order.line(line_id)
        assert line is not None
        uow.session.add(
            ShipmentLine(
                id=new_id(),
                shipment_id=shipment.id,
                order_line_id=line_id,
                variant_id=line.variant_id,
                sku=line.sku,
                name=line.name,
                quantity=quantity,
            )
        )
    uow.publish(
        ShipmentCreated(
            shipment_id=shipment.id,
            number=shipment.number,
            kind=shipment.kind,
            order_id=shipment.order_id,
            order_number=shipment.order_number,
            carrier=shipment.carrier,
            service=shipment.service,
            tracking_number=shipment.tracking_number,
            return_id=shipment.return_id,
            lines=dict(plan.units),
        ),
        aggregate_id=shipment.id,
    )
    await uow.session.flush()
    return shipment
