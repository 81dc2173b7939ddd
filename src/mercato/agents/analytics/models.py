"""The analytics agent's read models, built from other agents' events (and rebuilt from the
outbox by `mercato analytics rebuild`). Each row is keyed by the ids its events carry, so a
redelivered or replayed event rewrites it and never adds to it.

Rows that belong to a moment carry its store-local `day`, `week` (the Monday) and `month`
(the 1st), in the store's time zone (`analytics_settings`): the reports group by them. A
new time zone rewrites them (`zones.relocalize`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, Index, Integer, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.analytics.statuses import FactStatus
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime
from mercato.kernel.money import Amount


class LocalDates:
    """The store-local calendar of the row's moment."""

    day: Mapped[date] = mapped_column(Date)
    week: Mapped[date] = mapped_column(Date)
    month: Mapped[date] = mapped_column(Date)


class OrderFact(LocalDates, TenantScoped, Base):
    """One order: its amounts, where it was placed, who placed it, and where it stands."""

    __tablename__ = "analytics_orders"

    order_id: Mapped[str] = mapped_column(String(36))
    number: Mapped[str] = mapped_column(String(32))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[FactStatus] = mapped_column(StrEnumColumn(FactStatus, 16))
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[Decimal] = mapped_column(Amount)
    discount: Mapped[Decimal] = mapped_column(Amount)
    tax: Mapped[Decimal] = mapped_column(Amount)
    shipping: Mapped[Decimal] = mapped_column(Amount)
    total: Mapped[Decimal] = mapped_column(Amount)
    refunded: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    """The sum of its refunds (each counted on its own day in `analytics_refunds`)."""
    units: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    customer_key: Mapped[str] = mapped_column(String(64))
    """`u:<customer id>`, or `e:<hash of the lower-cased email>` for a guest."""
    first_order: Mapped[bool] = mapped_column(Boolean, default=False)
    """The customer's earliest order that is a sale."""
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "order_id"),
        Index("ix_analytics_orders_day", "tenant_id", "day", "status", "currency"),
        Index("ix_analytics_orders_customer", "tenant_id", "customer_key", "placed_at"),
        Index("ix_analytics_orders_first", "tenant_id", "first_order", "month", "customer_key"),
    )


class LineFact(TenantScoped, Base):
    """One line of an order, with the product's category and merchant (merchants' reports
    are read from their lines only)."""

    __tablename__ = "analytics_order_lines"

    line_id: Mapped[str] = mapped_column(String(36))
    order_id: Mapped[str] = mapped_column(String(36))
    variant_id: Mapped[str] = mapped_column(String(36))
    product_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    merchant_id: Mapped[str | None] = mapped_column(String(64))
    category_id: Mapped[str | None] = mapped_column(String(36))
    category_name: Mapped[str | None] = mapped_column(String(120))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Amount)
    line_total: Mapped[Decimal] = mapped_column(Amount)

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "line_id"),
        Index("ix_analytics_order_lines_order", "tenant_id", "order_id"),
        Index("ix_analytics_order_lines_merchant", "tenant_id", "merchant_id", "order_id"),
        Index("ix_analytics_order_lines_variant", "tenant_id", "variant_id"),
    )


class RefundFact(LocalDates, TenantScoped, Base):
    """One refund, counted on the day it was made, against its order."""

    __tablename__ = "analytics_refunds"

    refund_id: Mapped[str] = mapped_column(String(200))
    order_id: Mapped[str] = mapped_column(String(36))
    payment_id: Mapped[str] = mapped_column(String(36))
    amount: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    refunded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "refund_id"),
        Index("ix_analytics_refunds_day", "tenant_id", "day"),
        Index("ix_analytics_refunds_order", "tenant_id", "order_id"),
    )


class CartFact(LocalDates, TenantScoped, Base):
    """A cart: opened, first filled, abandoned, checked out (recovered when checked out after
    it was abandoned). Its calendar is the day it was opened."""

    __tablename__ = "analytics_carts"

    cart_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    session_id: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[str | None] = mapped_column(String(36))
    first_item_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    abandoned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    order_id: Mapped[str | None] = mapped_column(String(36))

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "cart_id"),
        # covering: the funnel's and the carts report's counts are read from the index alone
        Index(
            "ix_analytics_carts_day",
            *("tenant_id", "day", "week", "month"),
            *("first_item_at", "abandoned_at", "checked_out_at", "order_id"),
        ),
    )


class SessionFact(LocalDates, TenantScoped, Base):
    """A guest's visit: the first step of the conversion funnel."""

    __tablename__ = "analytics_sessions"

    session_id: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "session_id"),
        # covering: a year of visits is counted from the index alone
        Index("ix_analytics_sessions_day", "tenant_id", "day", "week", "month"),
    )


class StockMove(TenantScoped, Base):
    """A change of a variant's units on hand (received, adjusted, shipped), from the event
    that made it: summed, they give what is on hand at any day's end."""

    __tablename__ = "analytics_stock_moves"

    event_id: Mapped[str] = mapped_column(String(36))
    variant_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    delta: Mapped[int] = mapped_column(Integer)
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    day: Mapped[date] = mapped_column(Date)

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "event_id", "variant_id"),
        # covering: a variant's balance at any day is read from the index alone
        Index("ix_analytics_stock_moves_variant", "tenant_id", "variant_id", "day", "delta", "sku"),
    )


class StoreSettings(TenantScoped, Base):
    """A store's reporting settings: the time zone its days are counted in."""

    __tablename__ = "analytics_settings"

    time_zone: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (PrimaryKeyConstraint("tenant_id"),)


TABLES = [
    "analytics_orders",
    "analytics_order_lines",
    "analytics_refunds",
    "analytics_carts",
    "analytics_sessions",
    "analytics_stock_moves",
    "analytics_settings",
]
FACTS = [OrderFact, LineFact, RefundFact, CartFact, SessionFact, StockMove]
"""What a rebuild wipes and writes again (the settings stay)."""
