"""Shipments over HTTP: made for an order with a label, shipped, scanned, delivered; and the
fulfilment plan of an order (their papers, the manifests and carriers' webhooks are in
api_papers). Staff make and move shipments; a shopper sees their order's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Body, Depends, Query

from mercato.agents.orders import service as orders
from mercato.agents.shipping import moves, service, tracking
from mercato.agents.shipping.access import MANAGE, READ
from mercato.agents.shipping.deps import ShippingDeps
from mercato.agents.shipping.fulfilment_plan import plan_for_order
from mercato.agents.shipping.problems import (
    CarrierRefusedProblem,
    CarrierUnavailableProblem,
    InvalidShippingRequest,
    NoRates,
    NothingToRate,
    QuoteNotFound,
    ShipmentNotFound,
    ShipmentStatusConflict,
    UnitsAlreadyShipping,
)
from mercato.agents.shipping.providers.base import TrackingStatus, TrackingUpdate
from mercato.agents.shipping.schemas import (
    AttemptIn,
    PlannedOut,
    PlanOut,
    ScanIn,
    ShipIn,
    ShipmentIn,
    ShipmentLineOut,
    ShipmentOut,
    ShipmentsOut,
    TrackingEventOut,
)
from mercato.agents.shipping.statuses import ShipmentKind, ShipmentStatus
from mercato.kernel.auth import Principal, require
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor
from mercato.kernel.routes import KernelDep
from mercato.kernel.rules import RuleViolated

if TYPE_CHECKING:
    from mercato.agents.shipping.models import Shipment

router = APIRouter(tags=["shipping"])
Staff = Annotated[Principal, Depends(require(READ))]
Admin = Annotated[Principal, Depends(require(MANAGE))]
Reader = Annotated[Principal, Depends(require("orders:read"))]
MOVING = (ShipmentNotFound, ShipmentStatusConflict, RuleViolated)
ShipmentBody = Annotated[ShipmentIn, Body(default_factory=ShipmentIn)]
ShipBody = Annotated[ShipIn, Body(default_factory=ShipIn)]
AttemptBody = Annotated[AttemptIn, Body(default_factory=AttemptIn)]


async def shipment_out(uow: Any, shipment: Shipment, *, detail: bool = False) -> ShipmentOut:
    out = ShipmentOut.model_validate(
        {
            **{
                name: getattr(shipment, name)
                for name in ShipmentOut.model_fields
                if hasattr(shipment, name)
            },
            "label_url": f"/v1/shipments/{shipment.id}/label.pdf",
            "packing_slip_url": f"/v1/shipments/{shipment.id}/packing-slip.pdf",
            "lines": [],
            "tracking": [],
        }
    )
    if detail:
        out.lines = [
            ShipmentLineOut(
                line_id=x.order_line_id,
                variant_id=x.variant_id,
                sku=x.sku,
                name=x.name,
                quantity=x.quantity,
            )
            for x in await moves.shipment_lines(uow, shipment.id)
        ]
        out.tracking = [
            TrackingEventOut.model_validate(e, from_attributes=True)
            for e in await tracking.events_of(uow, shipment.id)
        ]
    return out


@router.post(
    "/orders/{order_id}/shipments",
    response_model=ShipmentOut,
    status_code=201,
    responses=problems(
        orders.OrderNotFound,
        ShipmentStatusConflict,
        UnitsAlreadyShipping,
        InvalidShippingRequest,
        NothingToRate,
        NoRates,
        QuoteNotFound,
        CarrierUnavailableProblem,
        CarrierRefusedProblem,
    ),
)
async def create_shipment(
    order_id: str, kernel: KernelDep, _: Admin, body: ShipmentBody
) -> ShipmentOut:
    """A shipment of some of a confirmed order's units (all those not yet in one when
    `lines` is absent) with its label: the carrier and service named, the option the
    shopper chose, or the cheapest. It ships with POST /v1/shipments/{id}/ship."""
    lines = None if body.lines is None else _lines(body.lines)
    shipment = await service.create_shipment(
        kernel.uow,
        kernel.deps(ShippingDeps),
        order_id=order_id,
        lines=lines,
        carrier=body.carrier,
        service=body.service,
        rate_id=body.rate_id,
        location_id=body.location_id,
        now=kernel.clock.now,
    )
    async with kernel.uow(writes=False) as uow:
        return await shipment_out(
            uow, await service.get_shipment(uow, shipment_id=shipment.id), detail=True
        )


def _lines(given: list[Any]) -> dict[str, int]:
    units: dict[str, int] = {}
    for line in given:
        units[line.line_id] = units.get(line.line_id, 0) + line.quantity
    return units


@router.get(
    "/orders/{order_id}/shipments",
    response_model=ShipmentsOut,
    responses=problems(orders.OrderNotFound),
)
async def order_shipments(order_id: str, kernel: KernelDep, principal: Reader) -> ShipmentsOut:
    """The order's shipments and their tracking (its shopper, staff)."""
    async with kernel.uow(writes=False) as uow:
        await orders.get_order(uow, order_id=order_id, principal=principal)
        found = await service.shipments_of_order(uow, order_id=order_id)
        items = [await shipment_out(uow, s, detail=True) for s in found]
    return ShipmentsOut(items=items, next_cursor=None)


@router.get(
    "/orders/{order_id}/fulfilment-plan",
    response_model=PlanOut,
    responses=problems(orders.OrderNotFound),
)
async def fulfilment_plan(order_id: str, kernel: KernelDep, _: Staff) -> PlanOut:
    """Which location ships which units: fewest shipments, then the nearest location."""
    async with kernel.uow(writes=False) as uow:
        planned, unplanned = await plan_for_order(uow, order_id=order_id)
    return PlanOut(
        order_id=order_id,
        shipments=[PlannedOut(location_id=p.location_id, lines=p.lines) for p in planned],
        unplanned=unplanned,
    )


@router.get("/shipments", response_model=ShipmentsOut, responses=problems(InvalidCursor))
async def list_shipments(
    kernel: KernelDep,
    _: Staff,
    status: ShipmentStatus | None = None,
    kind: ShipmentKind | None = None,
    carrier: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ShipmentsOut:
    """Every shipment, newest first."""
    async with kernel.uow(writes=False) as uow:
        rows, next_cursor = await service.list_shipments(
            uow, status=status, kind=kind, carrier=carrier, cursor=cursor, limit=limit
        )
        items = [await shipment_out(uow, s) for s in rows]
    return ShipmentsOut(items=items, next_cursor=next_cursor)


@router.get(
    "/shipments/{shipment_id}", response_model=ShipmentOut, responses=problems(ShipmentNotFound)
)
async def get_shipment(shipment_id: str, kernel: KernelDep, principal: Reader) -> ShipmentOut:
    """A shipment with its lines and tracking events (staff; the order's shopper)."""
    async with kernel.uow(writes=False) as uow:
        shipment = await service.get_shipment(uow, shipment_id=shipment_id)
        if not principal.can(READ):
            try:
                await orders.get_order(uow, order_id=shipment.order_id, principal=principal)
            except orders.OrderNotFound:
                raise ShipmentNotFound(f"no shipment {shipment_id!r}") from None
        return await shipment_out(uow, shipment, detail=True)


async def _move(kernel: KernelDep, shipment_id: str, step: Any) -> ShipmentOut:
    async with kernel.uow() as uow:
        shipment = await moves.lock(uow, shipment_id)
        await step(uow, shipment)
        out = await shipment_out(uow, shipment, detail=True)
        await uow.commit()
    return out


@router.post(
    "/shipments/{shipment_id}/ship",
    response_model=ShipmentOut,
    responses=problems(*MOVING, orders.OrderNotPaid, orders.OrderUnderReview),
)
async def ship(shipment_id: str, kernel: KernelDep, who: Admin, body: ShipBody) -> ShipmentOut:
    """Handed to the carrier: the units leave the order's stock, and payments captures what
    they are worth. BR023: a tracking number (the label's, or the one given)."""
    now = kernel.clock.now()
    return await _move(
        kernel,
        shipment_id,
        lambda uow, s: moves.ship(
            uow, s, tracking_number=body.tracking_number, now=now, actor=who.id
        ),
    )


@router.post(
    "/shipments/{shipment_id}/deliver", response_model=ShipmentOut, responses=problems(*MOVING)
)
async def deliver(shipment_id: str, kernel: KernelDep, who: Admin) -> ShipmentOut:
    """Delivered (a delivery confirmed by staff; carriers confirm through their webhook).
    BR024: only a shipment that shipped. The order is delivered with its last shipment."""
    now = kernel.clock.now()
    return await _move(
        kernel, shipment_id, lambda uow, s: moves.deliver(uow, s, now=now, actor=who.id)
    )


@router.post(
    "/shipments/{shipment_id}/attempt-failed",
    response_model=ShipmentOut,
    responses=problems(*MOVING),
)
async def attempt_failed(
    shipment_id: str, kernel: KernelDep, _: Admin, body: AttemptBody
) -> ShipmentOut:
    """A delivery attempt failed (`delivery.failed`): the carrier tries again."""
    now = kernel.clock.now()
    return await _move(
        kernel,
        shipment_id,
        lambda uow, s: moves.fail_attempt(uow, s, description=body.description, now=now),
    )


@router.post(
    "/shipments/{shipment_id}/cancel", response_model=ShipmentOut, responses=problems(*MOVING)
)
async def cancel(shipment_id: str, kernel: KernelDep, _: Admin) -> ShipmentOut:
    """A shipment not yet shipped is cancelled: its units may go in another."""
    now = kernel.clock.now()
    return await _move(kernel, shipment_id, lambda uow, s: moves.cancel(uow, s, now=now))


@router.post(
    "/shipments/{shipment_id}/tracking", response_model=ShipmentOut, responses=problems(*MOVING)
)
async def scan(shipment_id: str, body: ScanIn, kernel: KernelDep, _: Admin) -> ShipmentOut:
    """A tracking event staff record (a courier's call, a scan seen on the carrier's site):
    it moves the shipment as a carrier's would."""
    now = kernel.clock.now()

    async def step(uow: Any, shipment: Shipment) -> None:
        update = TrackingUpdate(
            tracking_number=shipment.tracking_number or shipment.number,
            status=TrackingStatus(body.status),
            occurred_at=body.occurred_at or now,
            description=body.description or body.status.replace("_", " "),
            location=body.location,
        )
        applied = await tracking.apply(uow, shipment, update, source="staff", now=now)
        if applied.outcome == "refused":
            raise ShipmentStatusConflict(
                f"a {shipment.status} shipment cannot be {body.status.replace('_', ' ')}"
            )

    return await _move(kernel, shipment_id, step)
