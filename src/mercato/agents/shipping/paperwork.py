"""A shipment's papers as PDF: its label (the carrier's own when it made one, else Mercato's
4x6 with the tracking number's barcode; a table carrier's parcel carries the shipment's
number until the carrier's tracking number is known), its packing slip, and a carrier's
manifest of the day: every parcel handed to it that day, for its driver to sign.

A carrier's label whose file could not be fetched when it was bought is fetched from the
carrier (its `label_url`) when it is first asked for, and kept; until then it is
unavailable, never replaced by Mercato's (that would not be valid postage)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import structlog
from sqlalchemy import select

from mercato.agents.shipping import origins
from mercato.agents.shipping.deps import ShippingDeps
from mercato.agents.shipping.documents import (
    LabelData,
    ManifestData,
    ManifestRow,
    PackingSlipData,
    PackingSlipLine,
    render_label,
    render_manifest,
    render_packing_slip,
)
from mercato.agents.shipping.models import Shipment, ShipmentLine
from mercato.agents.shipping.problems import LabelFileUnavailable
from mercato.agents.shipping.providers.base import Address, CarrierUnavailable, FetchesLabels
from mercato.agents.shipping.statuses import ShipmentKind, ShipmentStatus
from mercato.kernel.db import UnitOfWork

log = structlog.get_logger(__name__)


def _address(data: dict[str, object]) -> Address:
    found = origins.address_of(dict(data))
    return found or Address(name="", line1="", city="", postal_code="", country="")


def label_data(shipment: Shipment) -> LabelData:
    return LabelData(
        ship_from=_address(shipment.ship_from),
        ship_to=_address(shipment.ship_to),
        carrier_name=shipment.carrier_name,
        service_name=shipment.service_name,
        tracking_number=shipment.tracking_number or shipment.number,
        order_number=shipment.order_number,
        shipment_id=shipment.number,
        weight_grams=shipment.weight_grams,
        shipped_on=(shipment.shipped_at or shipment.created_at).date(),
        package=f"1 of {len(shipment.packages)}" if len(shipment.packages) > 1 else None,
    )


def label_pdf(shipment: Shipment) -> bytes:
    """The carrier's label, or Mercato's for a parcel whose carrier made none (a table
    carrier's). 503 `label_file_unavailable` for a carrier's label not fetched yet."""
    if shipment.label_pdf:
        return shipment.label_pdf
    if shipment.label_url:
        raise LabelFileUnavailable(
            f"{shipment.carrier_name}'s label file has not been fetched: try again later"
        )
    return render_label(label_data(shipment))


def label_to_fetch(shipment: Shipment) -> str | None:
    """The URL of the carrier's label file when the shipment does not hold it yet."""
    return shipment.label_url if not shipment.label_pdf else None


async def fetch_label_file(deps: ShippingDeps, shipment: Shipment, url: str) -> bytes:
    """The carrier's label file from where the carrier keeps it (call it outside any
    transaction); 503 `label_file_unavailable` when it cannot be fetched now."""
    provider = deps.carriers.get(shipment.carrier)
    if not isinstance(provider, FetchesLabels):
        raise LabelFileUnavailable(
            f"{shipment.carrier_name} is not configured to fetch its label file from"
        )
    seconds = deps.settings.shipping_carrier_timeout * 2
    try:
        return await asyncio.wait_for(provider.fetch_label(url), seconds)
    except (TimeoutError, CarrierUnavailable) as exc:
        log.warning(
            "shipping.label_file_unavailable",
            shipment=shipment.id,
            carrier=shipment.carrier,
            error=str(exc) or "timeout",
        )
        raise LabelFileUnavailable(
            f"{shipment.carrier_name}'s label file could not be fetched "
            f"({exc or 'timeout'}): try again later"
        ) from None


async def keep_label_file(uow: UnitOfWork, shipment_id: str, pdf: bytes) -> None:
    """Keep the fetched file on the shipment, so it is fetched once (the caller commits)."""
    shipment = await uow.session.get(Shipment, shipment_id)
    if shipment is not None and not shipment.label_pdf:
        shipment.label_pdf = pdf


async def packing_slip(uow: UnitOfWork, shipment: Shipment) -> bytes:
    lines = await uow.session.scalars(
        select(ShipmentLine)
        .where(ShipmentLine.shipment_id == shipment.id)
        .order_by(ShipmentLine.sku)
    )
    boxes = ", ".join(str(p.get("box")) for p in shipment.packages if p.get("box"))
    return render_packing_slip(
        PackingSlipData(
            order_number=shipment.order_number,
            shipment_id=shipment.number,
            ship_to=_address(shipment.ship_to),
            lines=[PackingSlipLine(sku=x.sku, name=x.name, quantity=x.quantity) for x in lines],
            box_code=boxes or None,
            note="Return items within 30 days of delivery"
            if shipment.kind == ShipmentKind.OUTBOUND
            else None,
        )
    )


async def manifest_rows(uow: UnitOfWork, *, carrier: str, day: date) -> list[Shipment]:
    """The carrier's parcels that shipped on `day` (UTC)."""
    begin = datetime.combine(day, time(0), tzinfo=UTC)
    found = await uow.session.scalars(
        select(Shipment)
        .where(
            Shipment.carrier == carrier,
            Shipment.shipped_at >= begin,
            Shipment.shipped_at < begin + timedelta(days=1),
            Shipment.status != ShipmentStatus.CANCELLED,
        )
        .order_by(Shipment.shipped_at, Shipment.id)
    )
    return list(found)


def manifest_pdf(shipments: list[Shipment], *, carrier_name: str, day: date) -> bytes:
    origin = shipments[0].ship_from.get("name") if shipments else ""
    return render_manifest(
        ManifestData(
            carrier_name=carrier_name,
            day=day,
            origin_name=str(origin or ""),
            rows=[
                ManifestRow(
                    tracking_number=s.tracking_number or s.number,
                    order_number=s.order_number,
                    destination_city=str(s.ship_to.get("city", "")),
                    destination_country=str(s.ship_to.get("country", "")),
                    service=s.service_name,
                    weight_grams=s.weight_grams,
                )
                for s in shipments
            ],
        )
    )
