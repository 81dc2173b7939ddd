"""The orders agent's reactions to the payments agent's events: the order's payment status,
review flag and timeline; and the orders whose payment was settled after the checkout gave
up waiting (EC004, reconciliation): an authorized or captured pending order is confirmed (or
cancelled, voiding, if its reservation lapsed meanwhile); a failed one is cancelled.

Handlers read the payload of the envelope (order_id, payment_id, amount, currency, status;
refunds also refund_id, refunded_total, fully), so they depend on the payments agent's event
names, not its classes. Idempotent: a delivery already handled is skipped by the kernel's
inbox, and the same fact told twice (a webhook delivered twice, EC005) changes nothing the
second time (each timeline entry is keyed by its payment or refund id).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import structlog
from pydantic import BaseModel, ConfigDict

from mercato.agents.orders import lifecycle, records
from mercato.agents.orders.events import PaymentAction
from mercato.agents.orders.models import Order
from mercato.agents.orders.statuses import OrderPaymentStatus, OrderStatus
from mercato.agents.payments import service as payments
from mercato.kernel.bus.subscriptions import Handler, HandlerContext
from mercato.kernel.errors import Problem

log = structlog.get_logger("mercato.orders")
H = TypeVar("H", bound=Handler)
PAYMENTS = "payments"
LAPSED = {"reservation_not_active", "reservation_not_found"}
"""Inventory's answers to allocating a reservation that lapsed or was swept."""


def on_types(*event_types: str) -> Callable[[H], H]:
    """`@on(...)` by event type names (the kernel reads the same marker)."""

    def mark(fn: H) -> H:
        fn.__mercato_events__ = event_types  # type: ignore[attr-defined]
        return fn

    return mark


class PaymentNews(BaseModel):
    """What orders reads of a payment event."""

    model_config = ConfigDict(extra="ignore")

    order_id: str
    payment_id: str
    amount: str | None = None
    currency: str | None = None
    status: str | None = None
    refund_id: str | None = None
    refunded_total: str | None = None
    fully: bool | None = None
    failure_code: str | None = None
    review: str | None = None
    reasons: list[str] = []


async def _order(ctx: HandlerContext) -> tuple[Order | None, PaymentNews, datetime]:
    news = PaymentNews.model_validate(ctx.envelope.payload)
    order = await records.find(ctx.uow, news.order_id, lock=True)
    if order is None:
        log.warning("payment_event_for_unknown_order", type=ctx.envelope.type, **_ids(news))
    return order, news, ctx.uow.clock.now()


def _ids(news: PaymentNews) -> dict[str, str]:
    return {"order_id": news.order_id, "payment_id": news.payment_id}


async def _told(ctx: HandlerContext, order: records.Identified, kind: str, key: str) -> bool:
    """Whether the timeline already has `kind` for this payment (or refund)."""
    told = await records.DETAILS_OF_KIND.all(ctx.uow, order_id=order.id, kind=kind)
    return any((entry.detail or {}).get("key") == key for entry in told)


async def _note(
    ctx: HandlerContext,
    order: records.Identified,
    kind: str,
    news: PaymentNews,
    key: str | None = None,
    **more: Any,
) -> bool:
    """Record the payment fact once (per `key`: the refund, or the payment); False when it
    was recorded already."""
    key = key or news.refund_id or news.payment_id
    if await _told(ctx, order, kind, key):
        return False
    await records.TIMELINE.add(
        ctx.uow,
        records.entry(
            order,
            kind,
            now=ctx.uow.clock.now(),
            actor=PAYMENTS,
            key=key,
            payment_id=news.payment_id,
            amount=news.amount,
            currency=news.currency,
            **more,
        ),
    )
    return True


def _status(order: Order, payment_status: OrderPaymentStatus, now: datetime) -> None:
    if order.payment_status != payment_status:
        order.payment_status = payment_status
        records.touch(order, now)


async def _settle_pending(
    ctx: HandlerContext, order: Order, *, action: PaymentAction, now: datetime
) -> None:
    """A pending order whose payment went through after the checkout stopped waiting
    (EC004): confirm it; if its reservation lapsed, cancel it and have payments give the
    money back. A cancelled order whose payment went through: ask payments again."""
    if order.status == OrderStatus.PENDING:
        try:
            async with ctx.uow.session.begin_nested():
                await lifecycle.confirm_order(ctx.uow, order, now=now, actor=PAYMENTS)
            return
        except Problem as exc:
            if exc.code not in LAPSED:
                raise
            await ctx.uow.session.refresh(order)
        await lifecycle.cancel_order(
            ctx.uow, order, reason="reservation_expired", payment_action=action, now=now,
            actor=PAYMENTS,
        )  # fmt: skip
    elif order.status == OrderStatus.CANCELLED and await _cancelled_without_payment_action(
        ctx, order
    ):
        records.record(ctx.uow, order, "payment_action_requested", now=now, actor=PAYMENTS,
                       payment_action=action)  # fmt: skip
        lifecycle.announce_cancelled(ctx.uow, order, payment_action=action)


async def _cancelled_without_payment_action(ctx: HandlerContext, order: Order) -> bool:
    """The order was cancelled asking payments for nothing (the checkout gave up on a payment
    whose answer was lost): the money that came in since must go back."""
    asked = [
        (entry.detail or {}).get("payment_action")
        for entry in await records.timeline_of(ctx.uow, order.id)
        if entry.kind in {"cancelled", "payment_action_requested"}
    ]
    return all(action == "none" for action in asked)


@on_types("payment.authorized")
async def payment_authorized(event: Any, ctx: HandlerContext) -> None:
    """Every checkout's payment: the checkout has confirmed the order with its payment status
    and review already, so most deliveries only add the timeline entry; the order is loaded
    only when there is more to change."""
    news = PaymentNews.model_validate(ctx.envelope.payload)
    state = await records.lock_state(ctx.uow, news.order_id)
    if state is None:
        log.warning("payment_event_for_unknown_order", type=ctx.envelope.type, **_ids(news))
        return
    if not await _note(ctx, state, "payment_authorized", news):
        return
    told = state.payment_status not in {OrderPaymentStatus.PENDING, OrderPaymentStatus.FAILED}
    reviewed = news.review != "manual_review" or state.review == "manual_review"
    settled = state.status not in {OrderStatus.PENDING, OrderStatus.CANCELLED}
    if told and reviewed and settled:
        return
    order, now = await records.lock(ctx.uow, state.id), ctx.uow.clock.now()
    if order.payment_status in {OrderPaymentStatus.PENDING, OrderPaymentStatus.FAILED}:
        _status(order, OrderPaymentStatus.AUTHORIZED, now)
    if news.review == "manual_review" and order.review != "manual_review":
        order.review = "manual_review"
        records.touch(order, now)
    await _settle_pending(ctx, order, action="void", now=now)


@on_types("payment.captured")
async def payment_captured(event: Any, ctx: HandlerContext) -> None:
    order, news, now = await _order(ctx)
    # a payment captured shipment by shipment is captured several times: each capture is
    # its own fact (its running total tells them apart), and the order is paid with the last
    total = str(ctx.envelope.payload.get("captured_total") or news.amount)
    if order is None or not await _note(
        ctx, order, "payment_captured", news, key=f"{news.payment_id}:{total}"
    ):
        return
    if news.status == "partially_captured":
        return
    if order.payment_status in {
        OrderPaymentStatus.PENDING,
        OrderPaymentStatus.AUTHORIZED,
        OrderPaymentStatus.FAILED,
    }:
        _status(order, OrderPaymentStatus.PAID, now)
    await _settle_pending(ctx, order, action="refund", now=now)


@on_types("payment.failed")
async def payment_failed(event: Any, ctx: HandlerContext) -> None:
    order, news, now = await _order(ctx)
    if order is None or not await _note(
        ctx, order, "payment_failed", news, failure_code=news.failure_code
    ):
        return
    if order.payment_status in {OrderPaymentStatus.PENDING, OrderPaymentStatus.AUTHORIZED}:
        _status(order, OrderPaymentStatus.FAILED, now)
    if order.status == OrderStatus.PENDING:
        await lifecycle.cancel_order(
            ctx.uow, order, reason="payment_failed", payment_action="none", now=now,
            actor=PAYMENTS,
        )  # fmt: skip


@on_types("payment.refunded")
async def payment_refunded(event: Any, ctx: HandlerContext) -> None:
    order, news, now = await _order(ctx)
    if order is None or not await _note(
        ctx, order, "payment_refunded", news, refunded_total=news.refunded_total, fully=news.fully
    ):
        return
    _status(
        order,
        OrderPaymentStatus.REFUNDED if news.fully else OrderPaymentStatus.PARTIALLY_REFUNDED,
        now,
    )


@on_types("payment.voided")
async def payment_voided(event: Any, ctx: HandlerContext) -> None:
    """An authorization was released: no money was taken. The order's payment status is
    `voided` unless another payment of it still holds the money (a modification authorized
    its new total and released the old one); a live order left with nothing to capture
    cannot ship."""
    order, news, now = await _order(ctx)
    if order is None or not await _note(ctx, order, "payment_voided", news):
        return
    held = [
        p
        for p in await payments.payments_of_order(ctx.uow, order_id=order.id)
        if p.status in payments.HOLDING
    ]
    if not held:
        _status(order, OrderPaymentStatus.VOIDED, now)


@on_types("payment.review_required")
async def payment_review_required(event: Any, ctx: HandlerContext) -> None:
    """Fraud screening held the payment: the order is flagged for manual review (shipping,
    hence capture, is refused until an admin decides)."""
    order, news, now = await _order(ctx)
    if order is None or not await _note(ctx, order, "review_required", news, reasons=news.reasons):
        return
    order.review = "manual_review"
    records.touch(order, now)


@on_types("payment.review_approved")
async def payment_review_approved(event: Any, ctx: HandlerContext) -> None:
    """An admin approved the held payment: the order may ship (and be captured)."""
    order, news, now = await _order(ctx)
    if order is None or not await _note(ctx, order, "review_approved", news):
        return
    if order.review is not None:
        order.review = None
        records.touch(order, now)


@on_types("payment.review_rejected")
async def payment_review_rejected(event: Any, ctx: HandlerContext) -> None:
    """An admin rejected the held payment (payments voided it): the order is cancelled and
    its stock released; payments is asked for nothing more."""
    order, news, now = await _order(ctx)
    if order is None or not await _note(ctx, order, "review_rejected", news):
        return
    order.review = None
    records.touch(order, now)
    if order.status in {OrderStatus.PENDING, OrderStatus.CONFIRMED}:
        await lifecycle.cancel_order(
            ctx.uow, order, reason="payment_review_rejected", payment_action="none", now=now,
            actor=PAYMENTS,
        )  # fmt: skip


handlers = [
    payment_authorized,
    payment_captured,
    payment_failed,
    payment_refunded,
    payment_voided,
    payment_review_required,
    payment_review_approved,
    payment_review_rejected,
]
