"""Events the payments agent publishes. Aggregate: the ORDER id, so the payment events of one
order arrive in the order they were written. Amounts are decimal strings."""

from __future__ import annotations

from typing import ClassVar

from mercato.kernel.events import Event


class PaymentEvent(Event):
    """What every payment event carries."""

    order_id: str
    payment_id: str
    provider: str
    amount: str
    currency: str
    status: str


class PaymentAuthorized(PaymentEvent):
    """The gateway holds the amount (or reconciliation found it did, EC004). `review` is
    "manual_review" when fraud screening holds the capture."""

    event_type: ClassVar[str] = "payment.authorized"
    review: str | None = None
    reconciled: bool = False


class PaymentCaptured(PaymentEvent):
    """`amount` was captured (at shipment, by an admin, or at once in capture mode
    `immediate`)."""

    event_type: ClassVar[str] = "payment.captured"
    captured_total: str
    reconciled: bool = False


class PaymentFailed(PaymentEvent):
    """Declined (the decline code), unreachable (`gateway_unavailable`) or never authorized
    (`not_authorized`, found by reconciliation)."""

    event_type: ClassVar[str] = "payment.failed"
    failure_code: str
    reconciled: bool = False


class PaymentRefunded(PaymentEvent):
    """`amount` was refunded; `refunded_total` so far; `fully` when nothing is left."""

    event_type: ClassVar[str] = "payment.refunded"
    refund_id: str
    refunded_total: str
    fully: bool


class PaymentVoided(PaymentEvent):
    event_type: ClassVar[str] = "payment.voided"


class PaymentReviewRequired(PaymentEvent):
    """Fraud screening hit (`reasons`): the capture is held until an admin decides."""

    event_type: ClassVar[str] = "payment.review_required"
    reasons: list[str]


class PaymentReviewApproved(PaymentEvent):
    """An admin approved a held payment: capture may proceed (orders clears its flag)."""

    event_type: ClassVar[str] = "payment.review_approved"


class PaymentReviewRejected(PaymentEvent):
    """An admin rejected a held payment: it is voided; orders cancels the order."""

    event_type: ClassVar[str] = "payment.review_rejected"
