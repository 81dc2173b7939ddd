"""A payment's statuses (stored as these strings)."""

from __future__ import annotations

from enum import StrEnum


class PaymentStatus(StrEnum):
    PENDING = "pending"
    AUTHORIZED = "authorized"
    PARTIALLY_CAPTURED = "partially_captured"
    """Some of the authorization was captured (a shipment of part of the order); more
    captures may follow, until the final one (`captured_amount` adds them up)."""
    CAPTURED = "captured"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    FAILED = "failed"
    VOIDED = "voided"
    VOID_PENDING = "void_pending"
    UNKNOWN = "unknown"
    """The gateway's answer was lost: reconciliation asks it again (EC004)."""


OPEN = (PaymentStatus.PENDING, PaymentStatus.UNKNOWN)
"""Statuses whose authorization outcome is not known yet."""
HOLDING = (PaymentStatus.AUTHORIZED, PaymentStatus.PARTIALLY_CAPTURED, PaymentStatus.CAPTURED)
"""Statuses in which the payment holds (or has taken) the customer's money."""
CAPTURABLE = (PaymentStatus.AUTHORIZED, PaymentStatus.PARTIALLY_CAPTURED)
"""Statuses from which (more of) the authorization may be captured."""


class TransactionKind(StrEnum):
    """An operation made at the gateway (`payment_transactions.kind`)."""

    AUTHORIZE = "authorize"
    CAPTURE = "capture"
    VOID = "void"
    REFUND = "refund"


class TransactionStatus(StrEnum):
    """How a gateway operation went (`payment_transactions.status`)."""

    SUCCEEDED = "succeeded"
    PENDING = "pending"
    FAILED = "failed"
    UNKNOWN = "unknown"
    """The gateway's answer was lost."""
