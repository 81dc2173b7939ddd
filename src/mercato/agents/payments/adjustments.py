"""An order's total changed before it shipped (a modification): its payment follows, so the
payment still equals the order's total (BR004).

- Lower, authorized: the payment's amount becomes the new total; the capture at shipment
  takes that much and the gateway releases the rest.
- Lower, captured at once (capture mode `immediate`): the difference is refunded.
- Higher, authorized: the same payment source is authorized for the new total as a new
  payment; the old authorization is left `void_pending`, and reconciliation voids it once
  the modification has committed. A decline (402) or an unreachable gateway (503) refuses
  the modification: the caller's unit of work is not committed and nothing changes.
- Lower, partially captured (part of the order shipped): the payment's amount becomes the
  new total, never below what was captured already.
- Higher and captured or partially captured, or no live payment (its outcome unknown,
  failed…): 409 `payment_not_adjustable`.

The new total is authorized inside the caller's write transaction (a modification is rare,
and a decline must roll the order back with it); on SQLite that holds the write lock for the
call, on PostgreSQL the order's and its stock's rows. A process that dies between the
gateway's yes and the commit leaves that authorization to expire at the gateway.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from mercato.agents.payments import records
from mercato.agents.payments.gateway_calls import authorize_at_gateway, void_at_gateway
from mercato.agents.payments.info import PaymentInfo
from mercato.agents.payments.models import Payment
from mercato.agents.payments.problems import (
    PaymentDeclined,
    PaymentGatewayUnavailable,
    PaymentNotAdjustable,
)
from mercato.agents.payments.refunds import refund
from mercato.agents.payments.statuses import PaymentStatus
from mercato.kernel import rules
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

LIVE = (PaymentStatus.AUTHORIZED, PaymentStatus.PARTIALLY_CAPTURED, PaymentStatus.CAPTURED)


async def follow_order_total(
    uow: UnitOfWork, *, order_id: str, total: Decimal, key: str, now: datetime
) -> PaymentInfo | None:
    """Make the order's live payment equal `total`; `key` names the modification (retrying
    it reuses the gateway's answers). None when the order has no payment at all."""
    found = await uow.session.scalars(
        select(Payment)
        .where(Payment.order_id == order_id)
        .order_by(Payment.created_at, Payment.id)
        .execution_options(populate_existing=True)
    )
    payments = [PaymentInfo.of(p) for p in found]
    if not payments:
        return None
    live = [p for p in payments if p.status in LIVE]
    if not live:
        raise PaymentNotAdjustable(
            f"the order's payment is {payments[-1].status}: its total cannot change now"
        )
    [current] = live[-1:]
    if total == current.amount:
        return current
    if current.status == PaymentStatus.CAPTURED:
        if total > current.amount:
            raise PaymentNotAdjustable("a captured payment cannot grow: take a new payment")
        info, _ = await refund(
            uow,
            payment_id=current.id,
            amount=current.refundable - total,
            refund_id=f"{key}:lowered",
            now=now,
        )
        return info
    if current.status == PaymentStatus.PARTIALLY_CAPTURED:
        if total > current.amount or total < current.captured_amount:
            raise PaymentNotAdjustable(
                f"part of the payment was captured ({current.captured_amount}): the total "
                f"can only be lowered, not below that"
            )
        return await _lower(uow, current, total, now)
    if total < current.amount:
        return await _lower(uow, current, total, now)
    return await _raise(uow, current, total, now)


async def _lower(
    uow: UnitOfWork, current: PaymentInfo, total: Decimal, now: datetime
) -> PaymentInfo:
    await _match(total, current)
    payment = await records.transition(
        uow,
        current.id,
        from_=(PaymentStatus(current.status),),
        where=(Payment.captured_amount <= total,),
        now=now,
        amount=total,
    )
    if payment is None:
        raise PaymentNotAdjustable("the payment changed while the order was modified")
    return PaymentInfo.of(payment)


async def _raise(
    uow: UnitOfWork, current: PaymentInfo, total: Decimal, now: datetime
) -> PaymentInfo:
    await _match(total, current)
    payment = Payment(
        id=new_id(),
        order_id=current.order_id,
        provider=current.provider,
        status=PaymentStatus.PENDING,
        amount=total,
        currency=current.currency,
        captured_amount=Decimal(0),
        refunded_amount=Decimal(0),
        token=current.token,
        card_brand=current.card_brand,
        card_last4=current.card_last4,
        card_exp_month=current.card_exp_month,
        card_exp_year=current.card_exp_year,
        customer_id=current.customer_id,
        customer_key=(current.customer_id or f"guest:{current.email or ''}")[:128],
        email=current.email,
        review=current.review,
        review_reasons=list(current.review_reasons),
        created_at=now,
        updated_at=now,
    )
    uow.session.add(payment)
    await uow.session.flush()
    # keyed by the new payment: a retried modification is a new authorization, never the
    # answer of an attempt that was refused and undone
    grown = await authorize_at_gateway(
        uow, info=PaymentInfo.of(payment), idempotency_key=f"{payment.id}:authorize", now=now
    )
    if grown.status == PaymentStatus.UNKNOWN:  # the answer was lost: release it, refuse
        await void_at_gateway(uow, info=grown, idempotency_key=f"{payment.id}:void", now=now)
        raise PaymentGatewayUnavailable("the gateway did not answer: the order was not changed")
    if grown.status == PaymentStatus.FAILED and grown.failure_code == "gateway_unavailable":
        raise PaymentGatewayUnavailable("the payment gateway is unavailable: try again")
    if grown.status not in LIVE:
        raise PaymentDeclined(
            grown.failure_code or "card_declined",
            f"the payment for the new total was declined ({grown.failure_code or grown.status})",
        )
    # the replaced authorization is voided after this commits (reconciliation retries
    # `void_pending`); voiding it here would leave the order unpaid if the commit failed
    replaced = await records.transition(
        uow,
        current.id,
        from_=(PaymentStatus.AUTHORIZED,),
        now=now,
        status=PaymentStatus.VOID_PENDING,
    )
    if replaced is None:
        raise PaymentNotAdjustable("the payment changed while the order was modified")
    return grown


async def _match(total: Decimal, current: PaymentInfo) -> None:
    await rules.enforce(
        "BR004",
        detail=f"the payment of {total} must match the order total {total}",
        amount=total,
        order_total=total,
    )
    if total <= 0:
        raise PaymentNotAdjustable(f"an order of {total} {current.currency} cannot be paid")
