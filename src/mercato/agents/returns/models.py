"""The returns agent's tables: returns and their lines (what came back, in what condition,
what it refunds), and store credit: a balance per shopper and its ledger."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.returns.statuses import (
    Condition,
    CreditReason,
    Disposition,
    Resolution,
    ReturnStatus,
)
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime
from mercato.kernel.money import Amount


class Return(TenantScoped, Base):
    """A shopper's return of some of an order's units, from request to refund."""

    __tablename__ = "returns"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    order_id: Mapped[str] = mapped_column(String(36))
    order_number: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(320))
    status: Mapped[ReturnStatus] = mapped_column(StrEnumColumn(ReturnStatus, 12))
    resolution: Mapped[Resolution] = mapped_column(StrEnumColumn(Resolution, 16))
    currency: Mapped[str] = mapped_column(String(3))
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Why it waits for staff: too_many_returns, high_value."""
    exception_note: Mapped[str | None] = mapped_column(Text)
    """Staff's reason for accepting it outside the window (BR009), with who and when."""
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    rejection_reason: Mapped[str | None] = mapped_column(String(300))
    label_shipment_id: Mapped[str | None] = mapped_column(String(36))
    paid_amount: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    """What the shopper paid for the units asked back."""
    fee_amount: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    refund_amount: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    refunded_to_payment: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    refunded_to_credit: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    refund_note: Mapped[str | None] = mapped_column(String(300))
    """Why the refund went to store credit when the shopper asked for their card."""
    replacement_order_id: Mapped[str | None] = mapped_column(String(36))
    saga_id: Mapped[str | None] = mapped_column(String(64))
    requested_by: Mapped[str | None] = mapped_column(String(128))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    inspected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        Index("ix_returns_order", "tenant_id", "order_id"),
        Index("ix_returns_status", "tenant_id", "status", "requested_at", "id"),
        Index("ix_returns_requested", "tenant_id", "requested_at", "id"),
        Index("ix_returns_customer", "tenant_id", "customer_id", "requested_at"),
        Index("ix_returns_email", "tenant_id", "email", "requested_at"),
    )


class ReturnLine(TenantScoped, Base):
    __tablename__ = "return_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    return_id: Mapped[str] = mapped_column(ForeignKey("returns.id", ondelete="CASCADE"))
    order_line_id: Mapped[str] = mapped_column(String(36))
    variant_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(500))
    received_quantity: Mapped[int] = mapped_column(Integer, default=0)
    condition: Mapped[Condition | None] = mapped_column(StrEnumColumn(Condition, 12))
    disposition: Mapped[Disposition | None] = mapped_column(StrEnumColumn(Disposition, 12))
    location_id: Mapped[str | None] = mapped_column(String(36))
    paid_amount: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    """What the shopper paid for the units received back (all asked, until received)."""
    fee_amount: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    refund_amount: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    exchange_variant_id: Mapped[str | None] = mapped_column(String(36))

    __table_args__ = (Index("ix_return_lines_return", "tenant_id", "return_id"),)


class CreditAccount(TenantScoped, Base):
    """A shopper's store credit: by account, or by email for a guest."""

    __tablename__ = "store_credit_accounts"

    owner: Mapped[str] = mapped_column(String(400), primary_key=True)
    """`customer:<id>` or `email:<address>`."""
    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    balance: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CreditEntry(TenantScoped, Base):
    """One change of a balance; (reason, reference) once per account: a retried step adds
    nothing."""

    __tablename__ = "store_credit_entries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner: Mapped[str] = mapped_column(String(400))
    amount: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[CreditReason] = mapped_column(StrEnumColumn(CreditReason, 20))
    reference: Mapped[str] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        UniqueConstraint("tenant_id", "owner", "reason", "reference"),
        Index("ix_store_credit_entries_owner", "tenant_id", "owner", "created_at"),
    )
