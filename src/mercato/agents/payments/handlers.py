"""Payments' reactions to orders' events: capture each shipment's part of the order when it
ships (`order.lines_shipped`, capture mode `on_shipment`; a payment held for review is left
to the admin), void or refund when the order is cancelled. Idempotent twice over: the inbox
skips a redelivered event, and each step checks the payment's status and reuses its
idempotency key (a shipment's capture: `<payment id>:capture:<shipment id>`).

Every ship of an order, in several shipments or in one call, publishes `order.lines_shipped`
(the one that ships the last units with `final` set), so `order.shipped` needs nothing more
from payments.

A handler's unit of work has claimed its inbox row before the handler runs, so on SQLite the
gateway call here happens inside a write transaction (ADR 4's rule cannot hold for handlers;
the sandbox keeps its own database, so nothing waits on itself).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import structlog

from mercato.agents.orders.events import OrderCancelled, OrderLinesShipped
from mercato.agents.payments import service
from mercato.agents.payments.info import PaymentInfo
from mercato.agents.payments.statuses import CAPTURABLE, PaymentStatus
from mercato.kernel.bus.subscriptions import Handler, HandlerContext, on
from mercato.kernel.db import UnitOfWork

log = structlog.get_logger("mercato.payments")

VOID_FIRST = (
    PaymentStatus.PENDING,
    PaymentStatus.UNKNOWN,
    PaymentStatus.AUTHORIZED,
    PaymentStatus.VOID_PENDING,
)


@on(OrderLinesShipped)
async def capture_shipment(event: OrderLinesShipped, ctx: HandlerContext) -> None:
    """Capture what the shipped lines cost (`capture_amount`) of the order's authorized
    payment, once per shipment; the final shipment's capture closes the authorization (the
    gateway releases what is left). Capture mode `immediate` took everything at checkout:
    nothing is left to capture."""
    uow = ctx.uow
    if uow.settings.capture_mode != "on_shipment":
        return
    live = [
        p
        for p in await service.payments_of_order(uow, order_id=event.order_id)
        if p.status in CAPTURABLE
    ]
    if not live:
        return
    info = live[-1]
    if info.review == "manual_review":
        log.info("payment_capture_left_to_review", payment_id=info.id, order_id=event.order_id)
        return
    amount = Decimal(event.capture_amount)
    now = uow.clock.now()
    if amount <= 0:  # nothing to take for this shipment (free lines)
        if event.final:
            await _close(uow, info, now)
        return
    await service.capture(
        uow,
        info=info,
        amount=amount,
        key=f"{info.id}:capture:{event.shipment_id}",
        final=event.final,
        now=now,
    )


async def _close(uow: UnitOfWork, info: PaymentInfo, now: datetime) -> None:
    """The last shipment costs nothing: release the rest, or void an untouched authorization."""
    if info.status == PaymentStatus.PARTIALLY_CAPTURED:
        await service.release_rest(uow, info=info, now=now)
    else:
        await service.void_at_gateway(uow, info=info, idempotency_key=f"{info.id}:void", now=now)


@on(OrderCancelled)
async def settle_cancelled_order(event: OrderCancelled, ctx: HandlerContext) -> None:
    """`payment_action` "void": void what is authorized (a capture made at once is refunded;
    a payment partly captured by shipments keeps its captures and the rest is released);
    "refund": refund what was captured and not refunded yet (after releasing the rest of a
    partly captured authorization), void what was only authorized; "none": the checkout saga
    looks after its own payment."""
    if event.payment_action == "none":
        return
    uow = ctx.uow
    for found in await service.payments_of_order(uow, order_id=event.order_id):
        info = found
        if info.status == PaymentStatus.PARTIALLY_CAPTURED:
            info = await service.release_rest(uow, info=info, now=uow.clock.now())
            if event.payment_action == "void":
                continue
        if info.status in VOID_FIRST or (
            event.payment_action == "void" and info.status == PaymentStatus.CAPTURED
        ):
            await service.void_at_gateway(
                uow, info=info, idempotency_key=f"{info.id}:void", now=uow.clock.now()
            )
        elif event.payment_action == "refund" and info.refundable > 0:
            await service.refund(
                uow,
                payment_id=info.id,
                amount=info.refundable,
                refund_id=f"{info.id}:cancelled",
                now=uow.clock.now(),
            )


handlers: list[Handler] = [capture_shipment, settle_cancelled_order]
