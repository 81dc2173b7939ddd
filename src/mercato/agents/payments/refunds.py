"""Refunds, full or partial, never above what is left (captured - refunded), also while the
payment is partially captured (more shipments to come).

The room is claimed FIRST, with one conditional UPDATE (`refunded_amount + :amount <=
captured_amount`), then the gateway is asked, then the outcome is written, all in the
caller's unit of work: two concurrent refunds that together exceed the capture cannot both
pass (on PostgreSQL the second waits for the first's row lock and then finds no room; on
SQLite writers are serialized). The claim and the gateway call run in a savepoint: a refused
or unreachable refund rolls the claim back and raises, so nothing changed even when the
caller catches the problem and commits (the returns agent refunds to store credit when the
card cannot take it: 409 `refund_method_unavailable`). Unlike the other gateway calls this one holds
the write lock during the call (ADR 4's exception: rare, an admin's or a cancellation's);
the refund's key (`refund:<refund_id>`) makes a retry after a crash get the first answer.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import update

from mercato.agents.payments import records
from mercato.agents.payments.gateway_calls import ask, gateways
from mercato.agents.payments.info import PaymentInfo
from mercato.agents.payments.models import Payment
from mercato.agents.payments.problems import (
    InvalidPaymentAmount,
    PaymentGatewayUnavailable,
    PaymentNotFound,
    PaymentNotRefundable,
    RefundExceedsCaptured,
    RefundMethodUnavailable,
)
from mercato.agents.payments.providers.base import GatewayUnavailable, OutcomeUnknown
from mercato.agents.payments.statuses import PaymentStatus, TransactionKind, TransactionStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from mercato.kernel.money import is_valid_amount

REFUNDABLE = (
    PaymentStatus.PARTIALLY_CAPTURED,
    PaymentStatus.CAPTURED,
    PaymentStatus.PARTIALLY_REFUNDED,
)


async def refund(
    uow: UnitOfWork,
    *,
    payment_id: str,
    amount: Decimal,
    now: datetime,
    refund_id: str | None = None,
) -> tuple[PaymentInfo, str]:
    """Refund `amount` of a captured (or partially captured) payment: (the payment after,
    the refund's id). 404 `payment_not_found`, 409 `payment_not_refundable` (not captured,
    or the gateway refused), 409 `refund_method_unavailable` (the gateway refused to refund
    to the original card: it expired), 409 `refund_exceeds_captured`, 422
    `invalid_payment_amount`, 503 `payment_gateway_unavailable`; each changes nothing. The
    same `refund_id` again answers the first refund."""
    key = f"refund:{refund_id or new_id()}"
    done = await records.operation(uow, key)
    if done is not None:
        current = await records.get(uow, done.payment_id)
        assert current is not None
        return PaymentInfo.of(current), done.id
    payment = await records.get(uow, payment_id)
    if payment is None:
        raise PaymentNotFound(f"no payment {payment_id!r}")
    if payment.status not in REFUNDABLE or payment.provider_ref is None:
        raise PaymentNotRefundable(f"the payment is {payment.status}, nothing was captured")
    if amount <= 0 or not is_valid_amount(amount, payment.currency):
        raise InvalidPaymentAmount(f"{amount} is not a refundable amount of {payment.currency}")
    left = payment.captured_amount - payment.refunded_amount
    if amount > left:
        raise RefundExceedsCaptured(f"at most {left} {payment.currency} is left to refund")
    ref, currency = payment.provider_ref, payment.currency
    async with uow.session.begin_nested():  # a refusal below undoes the claim
        claimed = await uow.session.execute(
            update(Payment)
            .where(
                Payment.id == payment.id,
                Payment.status.in_(REFUNDABLE),
                Payment.refunded_amount + amount <= Payment.captured_amount,
            )
            .values(refunded_amount=Payment.refunded_amount + amount, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            raise RefundExceedsCaptured("a concurrent refund took what was left")
        provider = gateways(uow).get(payment.provider)
        try:
            result = await ask(
                uow, provider.refund(ref, amount=amount, currency=currency, idempotency_key=key)
            )
        except (GatewayUnavailable, OutcomeUnknown) as exc:
            raise PaymentGatewayUnavailable(f"the refund did not go through: {exc}") from None
        if result.status == "failed" and result.decline_code == "expired_card":
            raise RefundMethodUnavailable(
                "the original payment method cannot take the refund: the card has expired",
                payment_id=payment_id,
            )
        if result.status == "failed":
            raise PaymentNotRefundable("the gateway refused the refund")
    payment = await records.get(uow, payment_id)
    assert payment is not None
    if payment.status != PaymentStatus.PARTIALLY_CAPTURED:  # more captures may follow it
        payment.status = (
            PaymentStatus.REFUNDED
            if payment.refunded_amount >= payment.captured_amount
            else PaymentStatus.PARTIALLY_REFUNDED
        )
    tx = await records.record_operation(
        uow,
        payment,
        kind=TransactionKind.REFUND,
        status=(
            TransactionStatus.SUCCEEDED
            if result.status == "succeeded"
            else TransactionStatus.PENDING
        ),
        amount=amount,
        idempotency_key=key,
        provider_ref=result.refund_ref,
        now=now,
    )
    records.publish_refunded(uow, payment, amount, tx.id)
    return PaymentInfo.of(payment), tx.id
