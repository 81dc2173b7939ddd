"""The cart agent's tables: carts and their lines, discount codes, and the store's pricing
settings for carts (currency, tax rates, tax-inclusive prices, flat shipping)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.cart.statuses import CartStatus, DiscountKind
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime
from mercato.kernel.money import Amount


class Cart(TenantScoped, Base):
    """A shopper's cart: a guest's (by session) or a user's. `version` is the ETag: every
    write bumps it with a conditional update, so a stale write is detected, never lost.
    An owner has at most one active cart (partial unique indexes), so two tabs opening a
    cart at once get the same one."""

    __tablename__ = "carts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str | None] = mapped_column(String(64))
    session_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[CartStatus] = mapped_column(StrEnumColumn(CartStatus, 16))
    currency: Mapped[str] = mapped_column(String(3))
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(8))
    discount_code: Mapped[str | None] = mapped_column(String(64))
    shipping_choice: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The shipping option the shopper chose (shipping's quote: carrier, service, amount,
    and the items it was quoted for); it prices shipping while the items are the same."""
    version: Mapped[int] = mapped_column(Integer, default=1)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime)
    abandoned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Set when `cart.abandoned` was published for the current idle period."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_carts_user", "tenant_id", "user_id", "status"),
        Index("ix_carts_session", "tenant_id", "session_id", "status"),
        Index("ix_carts_created", "tenant_id", "created_at"),  # how carts fared, by day
        Index("ix_carts_idle", "status", "abandoned_at", "last_activity_at"),
        Index(
            "uq_carts_active_user",
            "tenant_id",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index(
            "uq_carts_active_session",
            "tenant_id",
            "session_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )


class CartItem(TenantScoped, Base):
    """A line: one variant, its quantity (BR001), and the price the shopper saw when adding
    it (to tell them when it changed, EC013)."""

    __tablename__ = "cart_items"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    cart_id: Mapped[str] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[str] = mapped_column(String(36))
    product_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Amount)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("cart_id", "variant_id"),
        CheckConstraint("quantity BETWEEN 1 AND 99", name="quantity_in_range"),
    )


class DiscountCode(TenantScoped, Base):
    """A code a shopper types: percent or fixed off the subtotal, with an optional minimum
    subtotal, validity window and usage limit."""

    __tablename__ = "discount_codes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    kind: Mapped[DiscountKind] = mapped_column(StrEnumColumn(DiscountKind, 16))
    value: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str | None] = mapped_column(String(3))  # for fixed codes
    min_subtotal: Mapped[Decimal | None] = mapped_column(Amount)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    usage_limit: Mapped[int | None] = mapped_column(Integer)
    times_used: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "code"),)


class TaxRate(TenantScoped, Base):
    """A tax rate for a country, or for one region of it (a region's rate wins)."""

    __tablename__ = "tax_rates"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str] = mapped_column(String(8), default="")  # "" = the whole country
    rate_percent: Mapped[Decimal] = mapped_column(Amount)  # 8.875 means 8.875 %
    name: Mapped[str] = mapped_column(String(80), default="Tax")

    __table_args__ = (UniqueConstraint("tenant_id", "country", "region"),)


class CartSettings(TenantScoped, Base):
    """A store's cart pricing: its currency, whether prices include tax, the flat shipping
    estimate (until the shipping agent quotes rates) and where carts are taxed by default."""

    __tablename__ = "cart_settings"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the tenant id
    currency: Mapped[str] = mapped_column(String(3))
    prices_include_tax: Mapped[bool] = mapped_column(Boolean, default=False)
    flat_shipping: Mapped[Decimal] = mapped_column(Amount)
    free_shipping_over: Mapped[Decimal | None] = mapped_column(Amount)
    default_country: Mapped[str] = mapped_column(String(2))
    default_region: Mapped[str | None] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
