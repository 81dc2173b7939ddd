"""The shipping agent's tables: zones and rate tables (the store's own prices), ship-from
addresses per inventory location, the quotes rate shopping gave, and shipments with their
lines and tracking events."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.shipping.providers.base import TrackingStatus
from mercato.agents.shipping.statuses import QuoteSource, ShipmentKind, ShipmentStatus
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime
from mercato.kernel.money import Amount


class Zone(TenantScoped, Base):
    """Where a rate table applies: countries, regions (ISO 3166-2 like "US-CA"), and postal
    code ranges (inclusive, compared as upper-case text of the same length). The most
    specific zone that matches an address is its zone (postal ranges, then regions, then
    countries); `position` breaks ties."""

    __tablename__ = "shipping_zones"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    postal_ranges: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "code"),)


class RateTable(TenantScoped, Base):
    """One carrier service's prices to one zone: by weight brackets (the first bracket the
    billable weight fits), plus `per_kg_over` beyond the last, plus `value_percent` of the
    goods' value (insurance), free above `free_over`. Its carrier is a table carrier of the
    store's (a postal service it has a contract with) or stands in for a carrier that does
    not answer (EC018)."""

    __tablename__ = "shipping_rate_tables"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    carrier: Mapped[str] = mapped_column(String(40))
    carrier_name: Mapped[str] = mapped_column(String(100))
    service: Mapped[str] = mapped_column(String(60))
    service_name: Mapped[str] = mapped_column(String(100))
    zone_id: Mapped[str] = mapped_column(ForeignKey("shipping_zones.id", ondelete="CASCADE"))
    currency: Mapped[str] = mapped_column(String(3))
    brackets: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """[{"up_to_grams": 500, "price": "4.90"}, …], ascending."""
    per_kg_over: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    value_percent: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    free_over: Mapped[Decimal | None] = mapped_column(Amount)
    max_length_mm: Mapped[int | None] = mapped_column(Integer)
    """The longest side the service takes (None: any)."""
    days_min: Mapped[int] = mapped_column(Integer)
    days_max: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "carrier", "service", "zone_id"),
        Index("ix_shipping_rate_tables_zone", "tenant_id", "zone_id"),
    )


class Origin(TenantScoped, Base):
    """The address an inventory location ships from (labels, rates, the nearest location)."""

    __tablename__ = "shipping_origins"

    location_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CarrierSetting(TenantScoped, Base):
    """A store's choice about one carrier: off (rate shopping skips it), or some of its
    services off."""

    __tablename__ = "shipping_carrier_settings"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_services: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Quote(TenantScoped, Base):
    """An option rate shopping offered, kept so choosing it (by id) gets that price."""

    __tablename__ = "shipping_quotes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    cart_id: Mapped[str | None] = mapped_column(String(36))
    order_id: Mapped[str | None] = mapped_column(String(36))
    carrier: Mapped[str] = mapped_column(String(40))
    carrier_name: Mapped[str] = mapped_column(String(100))
    service: Mapped[str] = mapped_column(String(80))
    service_name: Mapped[str] = mapped_column(String(120))
    amount: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    days_min: Mapped[int] = mapped_column(Integer)
    days_max: Mapped[int] = mapped_column(Integer)
    source: Mapped[QuoteSource] = mapped_column(StrEnumColumn(QuoteSource, 8))
    carrier_ref: Mapped[str | None] = mapped_column(String(120))
    shipment_ref: Mapped[str | None] = mapped_column(String(120))
    fingerprint: Mapped[str] = mapped_column(String(64))
    """What was quoted (items, destination): a choice is honoured only for the same."""
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_shipping_quotes_cart", "tenant_id", "cart_id"),
        Index("ix_shipping_quotes_expiry", "expires_at"),
    )


class Shipment(TenantScoped, Base):
    """A parcel (or several, one label each is the carrier's business) of an order's units
    from one location, with its label and tracking; or a return's parcel coming back."""

    __tablename__ = "shipments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    kind: Mapped[ShipmentKind] = mapped_column(StrEnumColumn(ShipmentKind, 8))
    order_id: Mapped[str] = mapped_column(String(36))
    order_number: Mapped[str] = mapped_column(String(32))
    return_id: Mapped[str | None] = mapped_column(String(36))
    location_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[ShipmentStatus] = mapped_column(StrEnumColumn(ShipmentStatus, 20))
    carrier: Mapped[str] = mapped_column(String(40))
    carrier_name: Mapped[str] = mapped_column(String(100))
    service: Mapped[str] = mapped_column(String(80))
    service_name: Mapped[str] = mapped_column(String(120))
    tracking_number: Mapped[str | None] = mapped_column(String(64))
    carrier_ref: Mapped[str | None] = mapped_column(String(120))
    tracker_ref: Mapped[str | None] = mapped_column(String(120))
    ship_from: Mapped[dict[str, Any]] = mapped_column(JSON)
    ship_to: Mapped[dict[str, Any]] = mapped_column(JSON)
    packages: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """[{"box": "M", "length_mm": …, "width_mm": …, "height_mm": …, "weight_grams": …}]"""
    weight_grams: Mapped[int] = mapped_column(Integer)
    cost: Mapped[Decimal] = mapped_column(Amount)
    """What the label cost the store (the carrier's price)."""
    currency: Mapped[str] = mapped_column(String(3))
    label_pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    """The carrier's own label, when it made one; None: Mercato renders it, unless
    `label_url` is set."""
    label_url: Mapped[str | None] = mapped_column(String(1000))
    """Where the carrier keeps the label's file: fetched from there (and kept in
    `label_pdf`) when it could not be at purchase. Mercato never renders a carrier's label."""
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        Index("ix_shipments_order", "tenant_id", "order_id"),
        Index("ix_shipments_status", "tenant_id", "status", "created_at", "id"),
        Index("ix_shipments_created", "tenant_id", "created_at", "id"),
        Index("ix_shipments_tracking", "carrier", "tracking_number"),
        Index("ix_shipments_manifest", "tenant_id", "carrier", "shipped_at"),
    )


class ShipmentLine(TenantScoped, Base):
    __tablename__ = "shipment_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shipment_id: Mapped[str] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    order_line_id: Mapped[str] = mapped_column(String(36))
    variant_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_shipment_lines_shipment", "tenant_id", "shipment_id"),)


class TrackingEvent(TenantScoped, Base):
    """One scan or status of a shipment, from the carrier's webhook, a poll, or staff."""

    __tablename__ = "shipment_tracking_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shipment_id: Mapped[str] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    status: Mapped[TrackingStatus] = mapped_column(StrEnumColumn(TrackingStatus, 24))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    description: Mapped[str] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(12))
    """webhook, poll, staff"""
    dedupe_key: Mapped[str] = mapped_column(String(200))
    """The vendor's event id, or status and time: a redelivered webhook records nothing."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "shipment_id", "dedupe_key"),
        Index("ix_shipment_tracking_events_shipment", "tenant_id", "shipment_id", "occurred_at"),
    )
