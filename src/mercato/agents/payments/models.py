"""The payments agent's tables: payments (one authorization of one order's total), the
gateway operations made for them (authorize, capture, void, refund), and the webhook
deliveries received from gateways (EC005: a delivery is applied once).

Card numbers are never stored: a payment keeps the gateway's token, the brand, the last four
digits and a fingerprint (for velocity checks)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.payments.statuses import PaymentStatus, TransactionKind, TransactionStatus
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime
from mercato.kernel.money import Amount


class Payment(TenantScoped, Base):
    """A payment for an order. Status: pending → authorized → (partially_captured, a
    shipment at a time →) captured → partially_refunded / refunded, or failed, voided,
    void_pending (the void waits for the gateway), unknown (the gateway's answer was lost:
    reconciliation asks it, EC004)."""

    __tablename__ = "payments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(36))
    provider: Mapped[str] = mapped_column(String(16))
    status: Mapped[PaymentStatus] = mapped_column(StrEnumColumn(PaymentStatus, 20))
    amount: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    captured_amount: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    refunded_amount: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    provider_ref: Mapped[str | None] = mapped_column(String(255))
    token: Mapped[str | None] = mapped_column(String(255))
    card_brand: Mapped[str | None] = mapped_column(String(20))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    card_exp_month: Mapped[int | None] = mapped_column(Integer)
    card_exp_year: Mapped[int | None] = mapped_column(Integer)
    """The card's expiry: a refund after it goes to store credit where the gateway refuses."""
    card_fingerprint: Mapped[str | None] = mapped_column(String(64))
    customer_id: Mapped[str | None] = mapped_column(String(64))
    customer_key: Mapped[str] = mapped_column(String(128))
    email: Mapped[str | None] = mapped_column(String(320))
    ip: Mapped[str | None] = mapped_column(String(45))
    failure_code: Mapped[str | None] = mapped_column(String(64))
    review: Mapped[str | None] = mapped_column(String(20))
    review_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    idempotency_key: Mapped[str | None] = mapped_column(String(160))
    """The key of the authorization (what `lookup` finds it by)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_payments_order", "tenant_id", "order_id"),
        Index("ix_payments_customer", "tenant_id", "customer_key", "created_at"),
        Index("ix_payments_card", "tenant_id", "card_fingerprint", "created_at"),
        Index("ix_payments_ip", "tenant_id", "ip", "created_at"),
        Index("ix_payments_provider_ref", "tenant_id", "provider", "provider_ref"),
        Index("ix_payments_status", "status", "updated_at"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(
            "captured_amount >= 0 AND captured_amount <= amount", name="captured_in_range"
        ),
        CheckConstraint(
            "refunded_amount >= 0 AND refunded_amount <= captured_amount",
            name="refunded_in_range",
        ),
    )


class PaymentTransaction(TenantScoped, Base):
    """One operation at the gateway: authorize, capture, void or refund (status succeeded,
    failed, pending or unknown). Its idempotency key is unique: an operation is made once."""

    __tablename__ = "payment_transactions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    payment_id: Mapped[str] = mapped_column(
        ForeignKey("payments.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[TransactionKind] = mapped_column(StrEnumColumn(TransactionKind, 16))
    status: Mapped[TransactionStatus] = mapped_column(StrEnumColumn(TransactionStatus, 16))
    amount: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    provider_ref: Mapped[str | None] = mapped_column(String(255))
    """The gateway's id of this operation (a refund's id), when it has one."""
    idempotency_key: Mapped[str] = mapped_column(String(160))
    failure_code: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "idempotency_key"),)


class WebhookDelivery(TenantScoped, Base):
    """A gateway notification received; (provider, event id) is unique, so a second delivery
    of one event is recognised and changes nothing (EC005)."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    provider: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    provider_ref: Mapped[str | None] = mapped_column(String(255))
    outcome: Mapped[str] = mapped_column(String(32))
    """applied | ignored (late or about nothing Mercato knows)."""
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "provider", "event_id"),)
