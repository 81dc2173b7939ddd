"""The shipping agent's request and answer models (the API's contract)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, Field, StringConstraints

from mercato.kernel.money import MoneyStr
from mercato.kernel.schemas import RequestModel

Code = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")
]
ServiceCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Country = Annotated[str, StringConstraints(to_upper=True, pattern=r"^[A-Za-z]{2}$")]
Region = Annotated[str, StringConstraints(to_upper=True, pattern=r"^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$")]
Postcode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=12)]
Price = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=4)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Units = Annotated[int, Field(ge=1, le=100_000)]
TrackingNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9 -]{2,63}$")
]


class OptionOut(BaseModel):
    id: str = Field(description="Choose it by this id (a cart's shipping option, a shipment)")
    carrier: str
    carrier_name: str
    service: str
    service_name: str
    price: MoneyStr
    currency: str
    days_min: int
    days_max: int
    estimated_delivery: tuple[date, date] = Field(
        description="Earliest and latest day (business days)"
    )
    source: Literal["carrier", "table"] = Field(
        description="The carrier's own answer, or the store's rate table (a table carrier, or "
        "a carrier that did not answer in time)"
    )
    tags: list[Literal["cheapest", "fastest", "best_value"]]


class ParcelOut(BaseModel):
    weight_grams: int
    length_mm: int
    width_mm: int
    height_mm: int


class RatesOut(BaseModel):
    options: list[OptionOut]
    warnings: list[str] = Field(description="Carriers that did not answer, and why")
    parcel: ParcelOut
    zone: str | None = Field(description="The destination's zone (the store's rate tables)")
    destination_country: str


class ChoiceIn(RequestModel):
    rate_id: str | None = Field(
        description="An option's id from GET /v1/shipping/rates?cart_id=…; null: the store's "
        "standard shipping"
    )


class ChoiceOut(BaseModel):
    cart_id: str
    shipping_option: OptionOut | None
    shipping_total: MoneyStr
    total: MoneyStr


class ServiceOut(BaseModel):
    code: str
    name: str
    enabled: bool


class CarrierOut(BaseModel):
    code: str
    name: str
    kind: Literal["api", "table"]
    enabled: bool
    services: list[ServiceOut]


class CarriersOut(BaseModel):
    items: list[CarrierOut]
    next_cursor: str | None


class CarrierPatch(RequestModel):
    enabled: bool | None = None
    disabled_services: list[ServiceCode] | None = Field(default=None, max_length=100)


class ZoneIn(RequestModel):
    code: Code
    name: Name
    countries: list[Country] = Field(default_factory=list, max_length=250)
    regions: list[Region] = Field(default_factory=list, max_length=500)
    postal_ranges: list[tuple[Postcode, Postcode]] = Field(default_factory=list, max_length=500)
    position: int = Field(default=0, ge=0, le=10_000)


class ZonePatch(RequestModel):
    name: Name | None = None
    countries: list[Country] | None = Field(default=None, max_length=250)
    regions: list[Region] | None = Field(default=None, max_length=500)
    postal_ranges: list[tuple[Postcode, Postcode]] | None = Field(default=None, max_length=500)
    position: int | None = Field(default=None, ge=0, le=10_000)


class ZoneOut(BaseModel):
    id: str
    code: str
    name: str
    countries: list[str]
    regions: list[str]
    postal_ranges: list[list[str]]
    position: int


class ZonesOut(BaseModel):
    items: list[ZoneOut]
    next_cursor: str | None


class Bracket(RequestModel):
    up_to_grams: Annotated[int, Field(ge=1, le=1_000_000)]
    price: Price


class RateTableIn(RequestModel):
    carrier: Code
    carrier_name: Name
    service: ServiceCode
    service_name: Name
    zone_id: str
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    brackets: list[Bracket] = Field(min_length=1, max_length=100)
    per_kg_over: Price = Decimal(0)
    value_percent: Annotated[Decimal, Field(ge=0, le=100, decimal_places=4)] = Decimal(0)
    free_over: Price | None = None
    max_length_mm: Annotated[int, Field(ge=1, le=10_000)] | None = None
    days_min: Annotated[int, Field(ge=0, le=120)]
    days_max: Annotated[int, Field(ge=0, le=120)]


class RateTablePatch(RequestModel):
    nullable: ClassVar[frozenset[str]] = frozenset({"free_over", "max_length_mm"})
    """What a null clears; a null for anything else leaves it as it is."""

    carrier_name: Name | None = None
    service_name: Name | None = None
    zone_id: str | None = None
    brackets: list[Bracket] | None = Field(default=None, min_length=1, max_length=100)
    per_kg_over: Price | None = None
    value_percent: Annotated[Decimal, Field(ge=0, le=100, decimal_places=4)] | None = None
    free_over: Price | None = None
    max_length_mm: Annotated[int, Field(ge=1, le=10_000)] | None = None
    days_min: Annotated[int, Field(ge=0, le=120)] | None = None
    days_max: Annotated[int, Field(ge=0, le=120)] | None = None
    active: bool | None = None


class RateTableOut(BaseModel):
    id: str
    carrier: str
    carrier_name: str
    service: str
    service_name: str
    zone_id: str
    currency: str
    brackets: list[dict[str, Any]]
    per_kg_over: MoneyStr
    value_percent: Decimal
    free_over: MoneyStr | None
    max_length_mm: int | None
    days_min: int
    days_max: int
    active: bool


class RateTablesOut(BaseModel):
    items: list[RateTableOut]
    next_cursor: str | None


class AddressIn(RequestModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    company: Text | None = None
    line1: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    line2: Text | None = None
    city: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    region: Annotated[str, StringConstraints(strip_whitespace=True, max_length=8)] | None = None
    postal_code: Postcode
    country: Country
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] | None = None
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=320)] | None = None


class OriginOut(BaseModel):
    location_id: str
    address: dict[str, Any]


class OriginsOut(BaseModel):
    items: list[OriginOut]
    next_cursor: str | None


class ShipmentIn(RequestModel):
    lines: list[ShipmentLineIn] | None = Field(
        default=None, description="Units of the order's lines; absent: every unit not yet shipping"
    )
    carrier: Code | None = Field(
        default=None, description="Absent: the option chosen at checkout, else the cheapest"
    )
    service: ServiceCode | None = None
    rate_id: str | None = Field(
        default=None, description="An option from GET /v1/shipping/rates?order_id="
    )
    location_id: str | None = Field(
        default=None, description="Absent: where the order's stock is held"
    )


class ShipmentLineIn(RequestModel):
    line_id: str
    quantity: Units


class ShipIn(RequestModel):
    tracking_number: TrackingNumber | None = Field(
        default=None,
        description="The carrier's tracking number (BR023); absent: the label's",
    )


class AttemptIn(RequestModel):
    description: Text = "Delivery attempted: no one available"


class ScanIn(RequestModel):
    status: Literal[
        "in_transit",
        "out_for_delivery",
        "delivered",
        "failed_attempt",
        "returned_to_sender",
        "exception",
    ]
    description: Text = ""
    location: Text | None = None
    occurred_at: datetime | None = None


class ShipmentLineOut(BaseModel):
    line_id: str
    variant_id: str
    sku: str
    name: str
    quantity: int


class TrackingEventOut(BaseModel):
    status: str
    occurred_at: datetime
    description: str
    location: str | None
    source: str


class ShipmentOut(BaseModel):
    id: str
    number: str
    kind: str
    order_id: str
    order_number: str
    return_id: str | None
    location_id: str | None
    status: str
    carrier: str
    carrier_name: str
    service: str
    service_name: str
    tracking_number: str | None
    weight_grams: int
    packages: list[dict[str, Any]]
    cost: MoneyStr
    currency: str
    ship_to: dict[str, Any]
    failed_attempts: int
    label_url: str
    packing_slip_url: str
    created_at: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None
    lines: list[ShipmentLineOut] = Field(default_factory=list)
    tracking: list[TrackingEventOut] = Field(default_factory=list)


class ShipmentsOut(BaseModel):
    items: list[ShipmentOut]
    next_cursor: str | None


class PlannedOut(BaseModel):
    location_id: str
    lines: dict[str, int]


class PlanOut(BaseModel):
    order_id: str
    shipments: list[PlannedOut]
    unplanned: dict[str, int] = Field(description="Units no location holds (line id → units)")


class WebhookOut(BaseModel):
    received: int
    applied: int
    outcomes: list[str]


class ManifestOut(BaseModel):
    carrier: str
    day: date
    parcels: int
    weight_grams: int
    items: list[ShipmentOut]
    next_cursor: str | None


ShipmentIn.model_rebuild()
