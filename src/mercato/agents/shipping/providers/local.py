"""Mercato's built-in courier: prices worked out here, labels made here, scans by webhook.

It needs no account, so a laptop store can ship from its first order. Prices follow from the
billable weight (the larger of the actual and the dimensional weight, LxWxH cm / 5000) and a
distance class: `local` (same country, same first three postal characters), `domestic` (same
country) or `international`. The tracking number is derived from the shipment's id, so buying
the same shipment's label twice gives the same label. The courier keeps no remote state:
`track` answers nothing and every scan arrives as a signed webhook (`sign` makes one).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from mercato.agents.shipping.providers.base import (
    Address,
    CarrierRefused,
    InvalidWebhook,
    Label,
    LabelRequest,
    Parcel,
    Quote,
    TrackingStatus,
    TrackingUpdate,
)
from mercato.kernel.money import round_money

SIGNATURE_HEADER = "X-Mercato-Signature"
TOLERANCE_SECONDS = 300
"""How far a webhook's signing time may be from now (replays older than this are refused)."""
MAX_WEIGHT_GRAMS = 30_000
"""The heaviest parcel the courier carries (actual weight)."""
DIM_DIVISOR = Decimal(5000)
"""cm³ per billable kg."""


@dataclass(frozen=True)
class Service:
    name: str
    days: dict[str, tuple[int, int]]
    """Delivery days (min, max) per distance class."""
    prices: dict[str, tuple[str, str]]
    """(base, per billable kg) per distance class, in the parcel's currency."""


SERVICES: dict[str, Service] = {
    "economy": Service(
        "Economy",
        days={"local": (5, 8), "domestic": (5, 8), "international": (10, 15)},
        prices={"local": ("3.90", "0.40"), "domestic": ("4.90", "0.60"),
                "international": ("12.90", "2.50")},
    ),
    "standard": Service(
        "Standard",
        days={"local": (3, 5), "domestic": (3, 5), "international": (6, 9)},
        prices={"local": ("4.90", "0.50"), "domestic": ("6.90", "0.80"),
                "international": ("17.90", "3.50")},
    ),
    "express": Service(
        "Express",
        days={"local": (1, 2), "domestic": (1, 2), "international": (2, 4)},
        prices={"local": ("8.90", "0.90"), "domestic": ("12.90", "1.40"),
                "international": ("34.90", "5.50")},
    ),
}  # fmt: skip


def billable_kg(parcel: Parcel) -> Decimal:
    """The larger of the actual weight and the dimensional weight, in kg."""
    actual = Decimal(parcel.weight_grams) / 1000
    volume_cm3 = Decimal(parcel.length_mm * parcel.width_mm * parcel.height_mm) / 1000
    return max(actual, volume_cm3 / DIM_DIVISOR)


def _postal_prefix(address: Address) -> str:
    return "".join(address.postal_code.split()).upper()[:3]


def distance_class(origin: Address, destination: Address) -> str:
    if origin.country.upper() != destination.country.upper():
        return "international"
    if _postal_prefix(origin) and _postal_prefix(origin) == _postal_prefix(destination):
        return "local"
    return "domestic"


def price(service: str, parcel: Parcel, distance: str) -> Decimal:
    base, per_kg = SERVICES[service].prices[distance]
    return round_money(Decimal(base) + Decimal(per_kg) * billable_kg(parcel), parcel.currency)


def tracking_number_for(shipment_id: str) -> str:
    """The tracking number: "MLC" + 10 digits from the shipment id's hash + a Luhn check digit."""
    digits = f"{int(hashlib.sha256(shipment_id.encode()).hexdigest(), 16) % 10**10:010d}"
    return f"MLC{digits}{_luhn_digit(digits)}"


def is_tracking_number(value: str) -> bool:
    body = value[3:-1]
    return (
        len(value) == 14
        and value.startswith("MLC")
        and value[3:].isdigit()
        and _luhn_digit(body) == value[-1]
    )


def _luhn_digit(digits: str) -> str:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return str((10 - total % 10) % 10)


def sign(secret: str, body: bytes, at: datetime) -> str:
    """The `X-Mercato-Signature` value for `body` sent at `at`: `t=<unix seconds>,v1=<hex
    HMAC-SHA256 of "<t>.<body>">`."""
    timestamp = int(at.timestamp())
    return f"t={timestamp},v1={_mac(secret, timestamp, body)}"


def _mac(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header's value whatever its case (plain dicts as well as Starlette's headers)."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


class LocalCarrier:
    """The built-in courier (`local`)."""

    code = "local"
    name = "Mercato Local Courier"

    def __init__(self, *, webhook_secret: str | None, now: Callable[[], datetime]) -> None:
        self._secret = webhook_secret
        self._now = now

    async def rates(self, *, origin: Address, destination: Address, parcel: Parcel) -> list[Quote]:
        self._check(parcel)
        distance = distance_class(origin, destination)
        return [
            Quote(
                carrier=self.code,
                service=code,
                service_name=service.name,
                amount=price(code, parcel, distance),
                currency=parcel.currency,
                days_min=service.days[distance][0],
                days_max=service.days[distance][1],
            )
            for code, service in SERVICES.items()
        ]

    async def buy_label(self, request: LabelRequest) -> Label:
        """The same label for the same shipment, however often it is bought."""
        if request.service not in SERVICES:
            raise CarrierRefused(f"the local courier has no service {request.service!r}")
        self._check(request.parcel)
        distance = distance_class(request.origin, request.destination)
        return Label(
            tracking_number=tracking_number_for(request.shipment_id),
            carrier_ref=None,
            tracker_ref=None,
            amount=price(request.service, request.parcel, distance),
            currency=request.parcel.currency,
        )

    async def track(self, tracking_number: str, *, carrier_ref: str | None) -> list[TrackingUpdate]:
        return []

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[TrackingUpdate]:
        self._verify(header(headers, SIGNATURE_HEADER), body)
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise InvalidWebhook("the body is not JSON") from exc
        events = payload.get("events") if isinstance(payload, dict) else None
        if isinstance(payload, dict) and "events" in payload:
            if not isinstance(events, list) or not events:
                raise InvalidWebhook("`events` must be a non-empty list")
            return [_update(event) for event in events]
        return [_update(payload)]

    async def close(self) -> None:
        return None

    def _check(self, parcel: Parcel) -> None:
        if parcel.weight_grams <= 0:
            raise CarrierRefused("a parcel must weigh something")
        if parcel.weight_grams > MAX_WEIGHT_GRAMS:
            raise CarrierRefused(f"the local courier carries parcels up to {MAX_WEIGHT_GRAMS} g")

    def _verify(self, value: str | None, body: bytes) -> None:
        if self._secret is None:
            raise InvalidWebhook("no webhook secret is configured for the local courier")
        if not value:
            raise InvalidWebhook(f"no {SIGNATURE_HEADER} header")
        parts = [part.strip().partition("=") for part in value.split(",")]
        stamps = [v for k, _, v in parts if k == "t"]
        signatures = [v for k, _, v in parts if k == "v1"]
        if len(stamps) != 1 or not stamps[0].isdigit() or not signatures:
            raise InvalidWebhook(f"a malformed {SIGNATURE_HEADER} header")
        timestamp = int(stamps[0])
        if abs(self._now().timestamp() - timestamp) > TOLERANCE_SECONDS:
            raise InvalidWebhook("the signature is too old or from the future")
        expected = _mac(self._secret, timestamp, body).encode()
        if not any(hmac.compare_digest(expected, s.encode()) for s in signatures):
            raise InvalidWebhook("the signature does not verify")


def _update(event: Any) -> TrackingUpdate:
    """One scan from the webhook's JSON, every field checked."""
    if not isinstance(event, dict):
        raise InvalidWebhook("an event must be an object")
    number, status, occurred, description = (
        event.get(k) for k in ("tracking_number", "status", "occurred_at", "description")
    )
    location, event_id = event.get("location"), event.get("event_id")
    if not isinstance(number, str) or not number:
        raise InvalidWebhook("an event needs its tracking_number")
    if status not in set(TrackingStatus):
        raise InvalidWebhook(f"unknown status {status!r}")
    if not isinstance(description, str):
        raise InvalidWebhook("an event needs its description")
    if not all(v is None or isinstance(v, str) for v in (location, event_id)):
        raise InvalidWebhook("location and event_id must be strings")
    try:
        when = datetime.fromisoformat(occurred) if isinstance(occurred, str) else None
    except ValueError:
        when = None
    if when is None:
        raise InvalidWebhook("occurred_at must be an ISO 8601 time")
    return TrackingUpdate(
        tracking_number=number,
        status=TrackingStatus(status),
        occurred_at=when if when.tzinfo else when.replace(tzinfo=UTC),
        description=description,
        location=location,
        vendor_event_id=event_id,
    )
