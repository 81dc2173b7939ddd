"""Payments' commands and queries: the only code that writes the payments agent's tables
(with `gateway_calls`, `refunds`, `review`, `webhooks` and `reconcile`). Functions take the
caller's unit of work first and never commit.

Orders use `follow_order_total` when a modification changes a total. Returns catch
`RefundMethodUnavailable` (409, the card cannot take a refund: it expired) from `refund`, and
may ask `card_expired(info, now=…)` beforehand. Checkout uses
`Gateways` (`kernel.deps(Gateways)`), `check_card`, `screen`, `open_payment`,
`authorize_at_gateway`, `void_at_gateway` and `PaymentInfo`; its problems
`PaymentDeclined` (402) and `PaymentGatewayUnavailable` (503) are re-exported here.
Functions that call a gateway take a `PaymentInfo` read beforehand, so the call comes
before the unit of work's first statement (ADR 4); `refund` is the one exception (see
`refunds`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from mercato.agents.payments import records, rules
from mercato.agents.payments.adjustments import follow_order_total
from mercato.agents.payments.captures import capture, release_rest
from mercato.agents.payments.cards import card_expired, check_card
from mercato.agents.payments.fraud import screen
from mercato.agents.payments.gateway_calls import authorize_at_gateway, gateways, void_at_gateway
from mercato.agents.payments.info import PaymentInfo
from mercato.agents.payments.models import Payment, PaymentTransaction
from mercato.agents.payments.problems import (
    InvalidCardNumber,
    InvalidPaymentAmount,
    PaymentDeclined,
    PaymentGatewayUnavailable,
    PaymentNotFound,
    ProviderUnavailable,
    RefundMethodUnavailable,
)
from mercato.agents.payments.providers.base import (
    Card,
    GatewayError,
    GatewayUnavailable,
    OutcomeUnknown,
    Tokenized,
)
from mercato.agents.payments.providers.registry import Gateways
from mercato.agents.payments.refunds import refund
from mercato.agents.payments.review import decide_review
from mercato.agents.payments.statuses import CAPTURABLE, HOLDING, PaymentStatus
from mercato.kernel import paging
from mercato.kernel import rules as kernel_rules
from mercato.kernel.db import UnitOfWork
from mercato.kernel.money import is_valid_amount

del rules  # imported to register BR004, BR007, BR008

__all__ = [
    "CAPTURABLE",
    "HOLDING",
    "Card",
    "GatewayError",
    "GatewayUnavailable",
    "Gateways",
    "InvalidCardNumber",
    "OutcomeUnknown",
    "PaymentDeclined",
    "PaymentGatewayUnavailable",
    "PaymentInfo",
    "PaymentStatus",
    "ProviderUnavailable",
    "RefundMethodUnavailable",
    "Tokenized",
    "authorize_at_gateway",
    "capture",
    "card_expired",
    "check_card",
    "decide_review",
    "follow_order_total",
    "gateways",
    "list_payments",
    "open_payment",
    "payment_info",
    "payments_of_order",
    "refund",
    "release_rest",
    "screen",
    "void_at_gateway",
]


async def open_payment(
    uow: UnitOfWork,
    *,
    payment_id: str,
    order_id: str,
    order_total: Decimal,
    amount: Decimal,
    currency: str,
    provider: str,
    source: Tokenized,
    customer_id: str | None,
    customer_key: str,
    email: str | None,
    ip: str | None,
    review_reasons: list[str],
    now: datetime,
) -> PaymentInfo:
    """A pending payment of the order's total (BR004, 422), held for review when screening
    gave reasons. `payment_id` is new (the checkout saga makes one per checkout, and its
    step commits all or nothing, so a resumed step never finds it written)."""
    await kernel_rules.enforce(
        "BR004",
        detail=f"the payment of {amount} does not match the order total {order_total}",
        amount=amount,
        order_total=order_total,
    )
    if amount <= 0 or not is_valid_amount(amount, currency):
        raise InvalidPaymentAmount(f"{amount} is not a payable amount of {currency}")
    gateways(uow).get(provider)  # 422 payment_provider_unavailable
    payment = Payment(
        id=payment_id,
        order_id=order_id,
        provider=provider,
        status=PaymentStatus.PENDING,
        amount=amount,
        currency=currency.upper(),
        captured_amount=Decimal(0),
        refunded_amount=Decimal(0),
        token=source.token,
        card_brand=source.brand,
        card_last4=source.last4,
        card_exp_month=source.exp_month,
        card_exp_year=source.exp_year,
        card_fingerprint=source.fingerprint,
        customer_id=customer_id,
        customer_key=customer_key[:128],
        email=email,
        ip=ip,
        review="manual_review" if review_reasons else None,
        review_reasons=list(review_reasons),
        created_at=now,
        updated_at=now,
    )
    await records.PAYMENTS.add(uow, payment)
    return PaymentInfo.of(payment)


async def payment_info(uow: UnitOfWork, *, payment_id: str) -> PaymentInfo | None:
    payment = await records.get(uow, payment_id)
    return PaymentInfo.of(payment) if payment is not None else None


async def get_payment(uow: UnitOfWork, *, payment_id: str) -> PaymentInfo:
    """The payment, or 404 `payment_not_found`."""
    found = await payment_info(uow, payment_id=payment_id)
    if found is None:
        raise PaymentNotFound(f"no payment {payment_id!r}")
    return found


async def payments_of_order(uow: UnitOfWork, *, order_id: str) -> list[PaymentInfo]:
    """The order's payments, oldest first."""
    found = await uow.session.scalars(
        select(Payment).where(Payment.order_id == order_id).order_by(Payment.created_at, Payment.id)
    )
    return [PaymentInfo.of(p) for p in found]


async def list_payments(
    uow: UnitOfWork,
    *,
    order_id: str | None,
    customer_id: str | None,
    after: tuple[datetime, str] | None = None,
    limit: int = 100,
) -> list[PaymentInfo]:
    """Payments of an order and/or a customer (None: any), newest first: those after the
    (created_at, id) key `after`."""
    order = (Payment.created_at, Payment.id)
    query = select(Payment).where(paging.beyond(order, after, descending=True))
    if order_id is not None:
        query = query.where(Payment.order_id == order_id)
    if customer_id is not None:
        query = query.where(Payment.customer_id == customer_id)
    found = await uow.session.scalars(
        query.order_by(*(column.desc() for column in order)).limit(limit)
    )
    return [PaymentInfo.of(p) for p in found]


async def refund_request_id(uow: UnitOfWork, *, refund_id: str) -> str | None:
    """The id a refund was asked with (`refund(…, refund_id=…)`; the returns agent's are
    `return:<return id>:<payment id>`), by the refund's own id (a `payment.refunded` event's
    `refund_id`); None for a refund asked without one, a gateway's own, or an unknown id."""
    key = await uow.session.scalar(
        select(PaymentTransaction.idempotency_key).where(PaymentTransaction.id == refund_id)
    )
    if key is None or not key.startswith("refund:"):
        return None
    return key.removeprefix("refund:")
