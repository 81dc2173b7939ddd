"""EasyPost's objects read and written: Mercato's addresses and parcels as EasyPost's (inches,
ounces), its Rates as quotes, its Trackers' details as tracking updates, and the signature
of its webhooks. Pure functions, no I/O; a malformed object raises KeyError, TypeError or
ValueError for the caller to report."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from mercato.agents.shipping.providers.base import (
    Address,
    Parcel,
    Quote,
    TrackingStatus,
    TrackingUpdate,
)

MM_PER_INCH = Decimal("25.4")
GRAMS_PER_OUNCE = Decimal("28.349523125")

STATUSES: dict[str, TrackingStatus] = {
    "pre_transit": TrackingStatus.PRE_TRANSIT,
    "in_transit": TrackingStatus.IN_TRANSIT,
    "out_for_delivery": TrackingStatus.OUT_FOR_DELIVERY,
    "available_for_pickup": TrackingStatus.OUT_FOR_DELIVERY,
    "delivered": TrackingStatus.DELIVERED,
    "return_to_sender": TrackingStatus.RETURNED_TO_SENDER,
    "failure": TrackingStatus.EXCEPTION,
    "error": TrackingStatus.EXCEPTION,
    "cancelled": TrackingStatus.EXCEPTION,
}
"""EasyPost's Tracker statuses; `unknown` (nothing from the carrier yet) is left out, and
`available_for_pickup` (held at the carrier's counter for the shopper to collect) counts as
the last leg."""

FAILED_ATTEMPT_DETAIL = "delivery_exception"
"""EasyPost keeps a parcel whose delivery failed and will be retried `in_transit` (or
`out_for_delivery`) and says so in `status_detail`; only when the carrier gives up does the
status itself change (return_to_sender, available_for_pickup, failure)."""


def tracking_status(status: str, status_detail: str | None) -> TrackingStatus | None:
    """EasyPost's status and status_detail as Mercato's status; None for `unknown`."""
    mapped = STATUSES.get(status)
    moving = mapped in (TrackingStatus.IN_TRANSIT, TrackingStatus.OUT_FOR_DELIVERY)
    if moving and status_detail == FAILED_ATTEMPT_DETAIL:
        return TrackingStatus.FAILED_ATTEMPT
    return mapped


def webhook_signature(secret: str, body: bytes) -> str:
    """What EasyPost puts in `X-Hmac-Signature`: HMAC-SHA256 of the raw body, keyed by the
    webhook secret normalised to NFKD and encoded as UTF-8 (as its client libraries do)."""
    key = unicodedata.normalize("NFKD", secret).encode()
    return "hmac-sha256-hex=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def tracker_updates(tracker: dict[str, Any]) -> list[TrackingUpdate]:
    """A Tracker's tracking_details as updates, oldest first, `unknown` ones left out. Each
    gets a stable id from its content, so polling and webhooks report one scan once."""
    code, tracker_id = tracker["tracking_code"], tracker.get("id")
    updates = []
    for detail in tracker.get("tracking_details") or []:
        if not isinstance(detail, dict):
            raise TypeError(f"a tracking detail that is not an object: {detail!r}")
        status = tracking_status(detail.get("status", ""), detail.get("status_detail"))
        if status is None:
            continue
        when = _datetime(detail["datetime"])
        fingerprint = "|".join(
            str(detail.get(k)) for k in ("datetime", "status", "status_detail", "message")
        )
        updates.append(
            TrackingUpdate(
                tracking_number=code,
                status=status,
                occurred_at=when,
                description=detail.get("message") or detail.get("status_detail") or status.value,
                location=_location(detail.get("tracking_location")),
                carrier_ref=tracker_id,
                vendor_event_id=f"{tracker_id}:{hashlib.sha256(fingerprint.encode()).hexdigest()[:16]}",
            )
        )
    return sorted(updates, key=lambda update: update.occurred_at)


def quote_of(rate: dict[str, Any], shipment_id: str) -> Quote:
    days = rate.get("delivery_days") or rate.get("est_delivery_days")
    return Quote(
        carrier="easypost",
        service=service_of(rate),
        service_name=f"{rate['carrier']} {rate['service']}",
        amount=amount_of(rate.get("rate")),
        currency=rate.get("currency") or "USD",
        days_min=int(days) if days else 1,
        days_max=int(days) if days else 7,
        carrier_ref=rate["id"],
        shipment_ref=shipment_id,
        vendor_carrier=rate["carrier"],
    )


def service_of(rate: dict[str, Any]) -> str:
    return f"{rate.get('carrier')}:{rate.get('service')}"


def address_object(address: Address) -> dict[str, Any]:
    return {
        "name": address.name,
        "company": address.company,
        "street1": address.line1,
        "street2": address.line2,
        "city": address.city,
        "state": address.region,
        "zip": address.postal_code,
        "country": address.country,
        "phone": address.phone,
        "email": address.email,
    }


def parcel_object(parcel: Parcel) -> dict[str, float]:
    """Inches and ounces to a tenth (EasyPost's floats), never below 0.1."""

    def tenth(value: Decimal) -> float:
        return float(max(value.quantize(Decimal("0.1")), Decimal("0.1")))

    return {
        "length": tenth(parcel.length_mm / MM_PER_INCH),
        "width": tenth(parcel.width_mm / MM_PER_INCH),
        "height": tenth(parcel.height_mm / MM_PER_INCH),
        "weight": tenth(parcel.weight_grams / GRAMS_PER_OUNCE),
    }


def _location(place: Any) -> str | None:
    if not isinstance(place, dict):
        return None
    parts = [place.get(k) for k in ("city", "state", "zip", "country")]
    return ", ".join(str(p) for p in parts if p) or None


def _datetime(value: str) -> datetime:
    when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def amount_of(value: Any) -> Decimal:
    """An amount as EasyPost writes it (a string: "7.47")."""
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"an unreadable amount {value!r}") from exc
