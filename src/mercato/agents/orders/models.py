"""The orders agent's tables: orders and their lines, the timeline of what happened to each
order, notes, tags, and the per-store, per-year counter of human order numbers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.orders.statuses import OrderPaymentStatus, OrderStatus
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime
from mercato.kernel.money import Amount
from mercato.kernel.store_sql import register_store_table


class Order(TenantScoped, Base):
    """An order: its status, payment status and review flag, its totals (copied from the
    cart at placement, re-priced by a modification), addresses and milestones. `version`
    is the ETag: every change bumps it with a conditional update."""

    __tablename__ = "orders"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(32))
    status: Mapped[OrderStatus] = mapped_column(StrEnumColumn(OrderStatus, 16))
    payment_status: Mapped[OrderPaymentStatus] = mapped_column(
        StrEnumColumn(OrderPaymentStatus, 24)
    )
    review: Mapped[str | None] = mapped_column(String(16))  # None | manual_review
    customer_id: Mapped[str | None] = mapped_column(String(64))
    session_id: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(320))
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[Decimal] = mapped_column(Amount)
    discount: Mapped[Decimal] = mapped_column(Amount)
    tax: Mapped[Decimal] = mapped_column(Amount)
    shipping: Mapped[Decimal] = mapped_column(Amount)
    total: Mapped[Decimal] = mapped_column(Amount)
    credit_applied: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0), server_default="0")
    """Store credit spent on it at checkout: the payment takes the total less it."""
    discount_code: Mapped[str | None] = mapped_column(String(64))
    tax_country: Mapped[str | None] = mapped_column(String(2))
    tax_region: Mapped[str | None] = mapped_column(String(8))
    """Where the order was taxed (the cart's place at checkout), for re-pricing."""
    shipping_address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    billing_address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    checkout_id: Mapped[str] = mapped_column(String(64))
    carrier: Mapped[str | None] = mapped_column(String(64))
    shipping_carrier: Mapped[str | None] = mapped_column(String(40))
    shipping_service: Mapped[str | None] = mapped_column(String(80))
    """The shipping option the shopper chose at checkout (None: the store's standard)."""
    tracking_number: Mapped[str | None] = mapped_column(String(128))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        Index("ix_orders_customer", "tenant_id", "customer_id", "placed_at", "id"),
        Index("ix_orders_session", "tenant_id", "session_id", "placed_at", "id"),
        Index("ix_orders_status", "tenant_id", "status", "placed_at", "id"),
        Index("ix_orders_placed", "tenant_id", "placed_at", "id"),
        Index("ix_orders_checkout", "tenant_id", "checkout_id"),
    )


class OrderLine(TenantScoped, Base):
    """One variant of the order at the price the shopper paid; `merchant_id` (from the
    catalog) scopes merchants' views to their own lines."""

    __tablename__ = "order_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[str] = mapped_column(String(36))
    product_id: Mapped[str] = mapped_column(String(36))
    merchant_id: Mapped[str | None] = mapped_column(String(64))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Amount)
    line_total: Mapped[Decimal] = mapped_column(Amount)
    requires_shipping: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    shipped_quantity: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    delivered_quantity: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    returned_quantity: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Units received back by a return (a line's units leave, arrive, come back)."""

    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        Index("ix_order_lines_merchant", "tenant_id", "merchant_id", "order_id"),
    )


class OrderEvent(TenantScoped, Base):
    """One entry of the order's timeline (placed, confirmed, payment_*, modified, …)."""

    __tablename__ = "order_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str | None] = mapped_column(String(128))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_order_events_order", "order_id", "at", "id"),)


class OrderNote(TenantScoped, Base):
    """A note on an order: internal ones are for staff only."""

    __tablename__ = "order_notes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(128))
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_order_notes_order", "order_id", "created_at"),)


class OrderTag(TenantScoped, Base):
    """A tag on an order (each tag once per order)."""

    __tablename__ = "order_tags"

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        PrimaryKeyConstraint("order_id", "tag"),
        Index("ix_order_tags_tag", "tenant_id", "tag", "order_id"),
    )


class OrderCounter(Base):
    """The last order number given per store and year. Claimed with ONE statement (insert,
    or on conflict add one, returning the value), never MAX()+1: on PostgreSQL the row stays
    locked until the placing transaction ends, so numbers are unique and in order. Not
    `TenantScoped` (its key names the store; it is only ever written by that statement), but
    a store table all the same: a Core statement on it is scoped like any other (ADR 20)."""

    __tablename__ = "order_counters"

    tenant_id: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(Integer)

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "year"),)


register_store_table(cast(Table, OrderCounter.__table__), inspect(OrderCounter))
