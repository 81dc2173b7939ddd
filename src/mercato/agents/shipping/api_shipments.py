"""Shipments over HTTP: made for an order with a label, shipped, scanned, delivered; their
papers (label, packing slip, a carrier's manifest of the day); carriers' webhooks; and the
fulfilment plan of an order. Staff make and move shipments; a shopper sees their order's."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response

from mercato.agents.orders import service as orders
from mercato.agents.shipping import moves, paperwork, service, tracking, webhooks
from mercato.agents.shipping.access import MANAGE, READ
from mercato.agents.shipping.deps import ShippingDeps
from mercato.agents.shipping.fulfilment_plan import plan_for_order
from mercato.agents.shipping.problems import (
    CarrierRefusedProblem,
    CarrierUnavailableProblem,
    InvalidCarrierWebhook,
    InvalidShippingRequest,
    LabelForStaff,
    NoRates,
    NothingToRate,
    QuoteNotFound,
    ShipmentNotFound,
    ShipmentStatusConflict,
    UnitsAlreadyShipping,
    UnknownCarrier,
)
from mercato.agents.shipping.providers.base import TrackingStatus, TrackingUpdate
from mercato.agents.shipping.schemas import (
    AttemptIn,
    ManifestOut,
    PlannedOut,
    PlanOut,
    ScanIn,
    ShipIn,
    ShipmentIn,
    ShipmentLineOut,
    ShipmentOut,
    ShipmentsOut,
    TrackingEventOut,
    WebhookOut,
)
from mercato.agents.shipping.statuses import ShipmentKind, ShipmentStatus
from mercato.kernel.auth import Principal, public, require
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor
from mercato.kernel.routes import KernelDep
from mercato.kernel.rules import RuleViolated

if TYPE_CHECKING:
    from mercato.agents.shipping.models import Shipment

router = APIRouter(tags=["shipping"])
Staff = Annotated[Principal, Depends(require(READ))]
Admin = Annotated[Principal, Depends(require(MANAGE))]
Anyone = Annotated[Principal, Depends(public())]
Reader = Annotated[Principal, Depends(require("orders:read"))]
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "A PDF"}
}
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


@router.get(
    "/shipments/{shipment_id}/label.pdf",
    response_class=Response,
    responses={**PDF, **problems(ShipmentNotFound, LabelForStaff)},
)
async def label(shipment_id: str, kernel: KernelDep, principal: Reader) -> Response:
    """The shipping label: the carrier's, or Mercato's 4x6 with the tracking barcode.
    Staff print any; a shopper prints their own return's (404 for anything else)."""
    async with kernel.uow(writes=False) as uow:
        shipment = await service.get_shipment(uow, shipment_id=shipment_id)
        if not principal.can(READ):
            try:
                await orders.get_order(uow, order_id=shipment.order_id, principal=principal)
            except orders.OrderNotFound:
                raise ShipmentNotFound(f"no shipment {shipment_id!r}") from None
            if shipment.kind != ShipmentKind.RETURN:
                raise LabelForStaff("the order's parcels are labelled by staff")
    body = await asyncio.to_thread(paperwork.label_pdf, shipment)  # ~25 ms of drawing
    return _pdf(body, f"{shipment.number}-label.pdf")


@router.get(
    "/shipments/{shipment_id}/packing-slip.pdf",
    response_class=Response,
    responses={**PDF, **problems(ShipmentNotFound)},
)
async def packing_slip(shipment_id: str, kernel: KernelDep, _: Staff) -> Response:
    async with kernel.uow(writes=False) as uow:
        shipment = await service.get_shipment(uow, shipment_id=shipment_id)
        body = await paperwork.packing_slip(uow, shipment)
    return _pdf(body, f"{shipment.number}-packing-slip.pdf")


def _pdf(body: bytes, name: str) -> Response:
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


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


@router.post(
    "/shipping/webhooks/{carrier}",
    response_model=WebhookOut,
    responses=problems(UnknownCarrier, InvalidCarrierWebhook),
)
async def webhook(carrier: str, request: Request, kernel: KernelDep, _: Anyone) -> WebhookOut:
    """A carrier's tracking events (signed as the carrier signs them: EasyPost's
    `X-Hmac-Signature`, the local courier's `X-Mercato-Signature`). Each event is applied
    once, however often it is delivered."""
    body = await request.body()
    outcomes = await webhooks.receive(
        kernel, carrier=carrier, headers=dict(request.headers), body=body
    )
    return WebhookOut(
        received=len(outcomes),
        applied=sum(1 for o in outcomes if o == "moved"),
        outcomes=outcomes,
    )


@router.get("/shipping/manifests", response_model=ManifestOut, responses=problems(UnknownCarrier))
async def manifest(
    kernel: KernelDep,
    _: Staff,
    carrier: Annotated[str, Query(max_length=40)],
    day: date,
) -> ManifestOut:
    """A carrier's parcels that shipped on `day` (UTC): what its driver takes away."""
    async with kernel.uow(writes=False) as uow:
        rows = await paperwork.manifest_rows(uow, carrier=carrier, day=day)
        items = [await shipment_out(uow, s) for s in rows]
    return ManifestOut(
        carrier=carrier,
        day=day,
        parcels=len(rows),
        weight_grams=sum(s.weight_grams for s in rows),
        items=items,
        next_cursor=None,
    )


@router.get(
    "/shipping/manifests.pdf",
    response_class=Response,
    responses={**PDF, **problems(UnknownCarrier)},
)
async def manifest_pdf(
    kernel: KernelDep,
    _: Staff,
    carrier: Annotated[str, Query(max_length=40)],
    day: date,
) -> Response:
    """The manifest as a PDF for the driver to sign."""
    async with kernel.uow(writes=False) as uow:
        rows = await paperwork.manifest_rows(uow, carrier=carrier, day=day)
    name = rows[0].carrier_name if rows else carrier
    return _pdf(
        paperwork.manifest_pdf(rows, carrier_name=name, day=day), f"manifest-{carrier}-{day}.pdf"
    )
