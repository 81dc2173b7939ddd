"""The pricing part's tables: competitors' observed prices (the history per competitor
product, with the promotions read from them), the store's own price history, alerts on
competitors' price moves, the merchant's costs and minimum margins (per product, per
category), and the suggestions made and accepted."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.intelligence.pricing.statuses import SuggestionStatus
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime
from mercato.kernel.money import Amount

TABLES = (
    "intel_pricing_observations",
    "intel_pricing_store_prices",
    "intel_pricing_alerts",
    "intel_pricing_costs",
    "intel_pricing_floors",
    "intel_pricing_suggestions",
)


class Observation(TenantScoped, Base):
    """One competitor product's price as seen at `observed_at`, matched to a store product:
    its history is these rows in time order. Seen twice at one instant, it is kept once."""

    __tablename__ = "intel_pricing_observations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(36))
    competitor: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(1000))
    price: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    availability: Mapped[str | None] = mapped_column(String(40))
    promotion_text: Mapped[str | None] = mapped_column(Text)
    promotions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """[{kind, terms, text}] read from `promotion_text` (`promotions.extract`)."""
    match_confidence: Mapped[float] = mapped_column(Float)
    source_record_id: Mapped[str | None] = mapped_column(String(64))
    """The ingested record it came from (lineage)."""
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint(
            "tenant_id",
            "product_id",
            "competitor",
            "url",
            "observed_at",
            name="uq_intel_pricing_observations_seen",
        ),
        Index("ix_intel_pricing_observations_product", "tenant_id", "product_id", "observed_at"),
    )


class StorePrice(TenantScoped, Base):
    """The store's own listed price of a product from `observed_at` on (a row per change).
    `seq` numbers a product's rows: two writers recording the same change concurrently
    cannot both add it (one meets the unique key and finds it recorded)."""

    __tablename__ = "intel_pricing_store_prices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "product_id", "seq"),
        Index("ix_intel_pricing_store_prices_product", "tenant_id", "product_id", "observed_at"),
    )


class Alert(TenantScoped, Base):
    """A competitor's price moved by the alert threshold or more."""

    __tablename__ = "intel_pricing_alerts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(36))
    observation_id: Mapped[str] = mapped_column(String(36))
    competitor: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(1000))
    old_price: Mapped[Decimal] = mapped_column(Amount)
    new_price: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    change_percent: Mapped[Decimal] = mapped_column(Amount)
    threshold_percent: Mapped[Decimal] = mapped_column(Amount)
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "observation_id"),
        Index("ix_intel_pricing_alerts_product", "tenant_id", "product_id", "observed_at"),
    )


class Cost(TenantScoped, Base):
    """What a product costs the merchant, and its own minimum margin (else its category's,
    else the store's default)."""

    __tablename__ = "intel_pricing_costs"

    product_id: Mapped[str] = mapped_column(String(36))
    cost: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    min_margin_percent: Mapped[Decimal | None] = mapped_column(Amount)
    """Of the cost (a markup): 25 keeps a price at cost x 1.25 or above."""
    min_margin_amount: Mapped[Decimal | None] = mapped_column(Amount)
    updated_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "product_id"),)


class CategoryFloor(TenantScoped, Base):
    """A category's minimum margin, for its products (and its subcategories') with a cost
    and no margin of their own."""

    __tablename__ = "intel_pricing_floors"

    category_id: Mapped[str] = mapped_column(String(36))
    min_margin_percent: Mapped[Decimal] = mapped_column(Amount)
    updated_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "category_id"),)


class Suggestion(TenantScoped, Base):
    """A suggested price for a product priced `base_price` when it was made: open until the
    merchant accepts it or a newer analysis replaces it (superseded)."""

    __tablename__ = "intel_pricing_suggestions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(36))
    rule: Mapped[str] = mapped_column(String(40))
    base_price: Mapped[Decimal] = mapped_column(Amount)
    price: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    floor: Mapped[Decimal | None] = mapped_column(Amount)
    confidence: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(600))
    status: Mapped[SuggestionStatus] = mapped_column(StrEnumColumn(SuggestionStatus, 12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_by: Mapped[str | None] = mapped_column(String(128))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    applied: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Variant id → {old, new}: what accepting it changed in the catalogue."""

    __table_args__ = (
        Index("ix_intel_pricing_suggestions_product", "tenant_id", "product_id", "status"),
    )
