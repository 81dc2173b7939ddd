"""An admin's decision on a payment fraud screening held (`review == "manual_review"`):
approve → the capture may proceed (`payment.review_approved`); reject → the authorization is
voided and `payment.review_rejected` tells orders to cancel the order."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from mercato.agents.payments import records
from mercato.agents.payments.gateway_calls import void_at_gateway
from mercato.agents.payments.info import PaymentInfo
from mercato.agents.payments.models import Payment
from mercato.agents.payments.problems import NotUnderReview
from mercato.agents.payments.statuses import PaymentStatus
from mercato.kernel.db import UnitOfWork

Decision = Literal["approve", "reject"]


async def decide_review(
    uow: UnitOfWork, *, info: PaymentInfo, decision: Decision, now: datetime
) -> PaymentInfo:
    """Record the decision (409 `payment_not_under_review` unless held). A rejection voids
    first (the gateway before any statement), so `info` must be current."""
    if info.review != "manual_review":
        raise NotUnderReview(f"the payment is not held for review ({info.review or 'none'})")
    if decision == "reject":
        info = await void_at_gateway(uow, info=info, idempotency_key=f"{info.id}:void", now=now)
    payment = await records.transition(
        uow,
        info.id,
        from_=tuple(
            {
                info.status,
                PaymentStatus.PENDING,
                PaymentStatus.UNKNOWN,
                PaymentStatus.AUTHORIZED,
                PaymentStatus.VOIDED,
                PaymentStatus.VOID_PENDING,
            }
        ),
        where=(Payment.review == "manual_review",),
        now=now,
        review="approved" if decision == "approve" else "rejected",
    )
    if payment is None:
        raise NotUnderReview("the payment was decided meanwhile")
    records.publish_reviewed(uow, payment, approved=decision == "approve")
    return PaymentInfo.of(payment)
