"""A shipment's papers over HTTP (its label, its packing slip), a carrier's manifest of the
day, and carriers' webhooks. Staff print the papers; a shopper prints their own return's
label."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from mercato.agents.orders import service as orders
from mercato.agents.shipping import paperwork, service, webhooks
from mercato.agents.shipping.access import READ
from mercato.agents.shipping.api_shipments import shipment_out
from mercato.agents.shipping.deps import ShippingDeps
from mercato.agents.shipping.problems import (
    InvalidCarrierWebhook,
    LabelFileUnavailable,
    LabelForStaff,
    ShipmentNotFound,
    UnknownCarrier,
)
from mercato.agents.shipping.schemas import ManifestOut, WebhookOut
from mercato.agents.shipping.statuses import ShipmentKind
from mercato.kernel.auth import Principal, public, require
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

router = APIRouter(tags=["shipping"])
Staff = Annotated[Principal, Depends(require(READ))]
Anyone = Annotated[Principal, Depends(public())]
Reader = Annotated[Principal, Depends(require("orders:read"))]
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "A PDF"}
}


@router.get(
    "/shipments/{shipment_id}/label.pdf",
    response_class=Response,
    responses={**PDF, **problems(ShipmentNotFound, LabelForStaff, LabelFileUnavailable)},
)
async def label(shipment_id: str, kernel: KernelDep, principal: Reader) -> Response:
    """The shipping label: the carrier's, or Mercato's 4x6 with the tracking barcode for a
    parcel whose carrier made none. A carrier's label whose file could not be fetched when
    it was bought is fetched now and kept; 503 `label_file_unavailable` while the carrier
    cannot give it. Staff print any; a shopper prints their own return's (404 for anything
    else)."""
    async with kernel.uow(writes=False) as uow:
        shipment = await service.get_shipment(uow, shipment_id=shipment_id)
        if not principal.can(READ):
            try:
                await orders.get_order(uow, order_id=shipment.order_id, principal=principal)
            except orders.OrderNotFound:
                raise ShipmentNotFound(f"no shipment {shipment_id!r}") from None
            if shipment.kind != ShipmentKind.RETURN:
                raise LabelForStaff("the order's parcels are labelled by staff")
    url = paperwork.label_to_fetch(shipment)
    if url is not None:
        fetched = await paperwork.fetch_label_file(kernel.deps(ShippingDeps), shipment, url)
        async with kernel.uow() as uow:
            await paperwork.keep_label_file(uow, shipment.id, fetched)
            await uow.commit()
        return _pdf(fetched, f"{shipment.number}-label.pdf")
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
