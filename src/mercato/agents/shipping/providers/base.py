"""What a carrier offers Mercato, whoever it is: rates for a parcel between two addresses, a
label bought for one of them, tracking by number, and its webhooks verified and read.

Every carrier (the built-in local courier, EasyPost's REST API, …) implements `Carrier`.
Amounts are exact `Decimal`s in the quote's currency; weights are grams and sides millimetres
(a provider converts to its vendor's units). A carrier that cannot answer in time, or at all,
raises `CarrierUnavailable` (rate shopping then falls back to the table rates, EC018); one that
refuses the request raises `CarrierRefused` with its reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol, runtime_checkable


class TrackingStatus(StrEnum):
    """A tracking event's status, the same for every carrier."""

    PRE_TRANSIT = "pre_transit"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    FAILED_ATTEMPT = "failed_attempt"
    """A delivery was attempted and failed (no one home, no access): it will be tried again."""
    RETURNED_TO_SENDER = "returned_to_sender"
    EXCEPTION = "exception"
    """Lost, damaged, held: the carrier cannot deliver it as it stands."""


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    """ISO 3166-1 alpha-2."""
    line2: str | None = None
    region: str | None = None
    phone: str | None = None
    email: str | None = None
    company: str | None = None


@dataclass(frozen=True)
class Parcel:
    weight_grams: int
    length_mm: int
    width_mm: int
    height_mm: int
    value: Decimal
    """What the goods inside are worth (insurance, customs, value-based rates)."""
    currency: str


@dataclass(frozen=True)
class Quote:
    carrier: str
    """The carrier's code in Mercato (`local`, `easypost`, a table carrier's code)."""
    service: str
    """The service's code (`standard`, `express`, the vendor's service name)."""
    service_name: str
    amount: Decimal
    currency: str
    days_min: int
    days_max: int
    carrier_ref: str | None = None
    """The vendor's id for this rate (EasyPost `rate_…`), to buy its label with."""
    shipment_ref: str | None = None
    """The vendor's id for the shipment the rate belongs to (EasyPost `shp_…`)."""
    vendor_carrier: str | None = None
    """The carrier behind an aggregator (EasyPost's `USPS`, `UPS`), where there is one."""


@dataclass(frozen=True)
class LabelRequest:
    shipment_id: str
    """Mercato's shipment id (the vendor's `reference`)."""
    reference: str
    """What the label prints as the reference: the order's number."""
    origin: Address
    destination: Address
    parcel: Parcel
    service: str
    quote: Quote | None = None
    """The quote chosen at rate shopping, when the label buys that very rate."""


@dataclass(frozen=True)
class Label:
    tracking_number: str
    carrier_ref: str | None
    """The vendor's shipment id (tracking, refunds of unused labels)."""
    tracker_ref: str | None
    """The vendor's tracker id, where it keeps one (EasyPost `trk_…`)."""
    amount: Decimal
    currency: str
    pdf: bytes | None = None
    """The label as the vendor made it (a PDF), or None: Mercato renders its own, unless
    `url` is set (the vendor's file, not fetched yet)."""
    url: str | None = None
    """Where the vendor keeps the label's file (a carrier that fetches labels has one)."""


@dataclass(frozen=True)
class TrackingUpdate:
    tracking_number: str
    status: TrackingStatus
    occurred_at: datetime
    description: str
    location: str | None = None
    carrier_ref: str | None = None
    vendor_event_id: str | None = None
    """The vendor's id of the event or delivery, so a redelivered webhook is seen once."""


class CarrierUnavailable(Exception):  # noqa: N818 - the carrier's state, not ours
    """The carrier did not answer in time, answered 5xx or 429, or could not be reached."""


class CarrierRefused(Exception):  # noqa: N818 - the carrier's answer, not ours
    """The carrier answered and said no (an invalid address, an unknown service, bad
    credentials): retrying the same request will not help."""


class InvalidWebhook(Exception):  # noqa: N818 - a delivery's state, not ours
    """A webhook delivery whose signature does not verify, or that cannot be read."""


class Carrier(Protocol):
    code: str
    name: str

    async def rates(self, *, origin: Address, destination: Address, parcel: Parcel) -> list[Quote]:
        """Every service's price for the parcel, each with its delivery estimate."""
        ...

    async def buy_label(self, request: LabelRequest) -> Label:
        """Buy (or make) the label for the request's service; its tracking number is final."""
        ...

    async def track(self, tracking_number: str, *, carrier_ref: str | None) -> list[TrackingUpdate]:
        """Every tracking event the carrier has for the parcel, oldest first (polling)."""
        ...

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[TrackingUpdate]:
        """Verify a webhook delivery's signature and read its tracking events;
        `InvalidWebhook` if it does not verify or cannot be read."""
        ...

    async def close(self) -> None: ...


@runtime_checkable
class FetchesLabels(Protocol):
    """A carrier whose labels are files it keeps (its `Label.url`): a carrier without this
    gives no URLs."""

    async def fetch_label(self, url: str) -> bytes:
        """The label's file (a PDF); `CarrierUnavailable` when it cannot be fetched."""
        ...
