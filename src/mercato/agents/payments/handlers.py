"""Payments' reactions to orders' events: capture when an order ships (capture mode
`on_shipment`; a payment held for review is left to the admin), void or refund when it is
cancelled. Idempotent twice over: the inbox skips a redelivered event, and each step checks
the payment's status and reuses its idempotency key.

A handler's unit of work has claimed its inbox row before the handler runs, so on SQLite the
gateway call here happens inside a write transaction (ADR 4's rule cannot hold for handlers;
the sandbox keeps its own database, so nothing waits on itself).
"""

from __future__ import annotations

from mercato.agents.orders.events import OrderCancelled, OrderShipped
from mercato.agents.payments import service
from mercato.agents.payments.statuses import PaymentStatus
from mercato.kernel.bus.subscriptions import Handler, HandlerContext, on

VOID_FIRST = (
    PaymentStatus.PENDING,
    PaymentStatus.UNKNOWN,
    PaymentStatus.AUTHORIZED,
    PaymentStatus.VOID_PENDING,
)


@on(OrderShipped)
async def capture_on_shipment(event: OrderShipped, ctx: HandlerContext) -> None:
    uow = ctx.uow
    if uow.settings.capture_mode != "on_shipment":
        return
    for info in await service.payments_of_order(uow, order_id=event.order_id):
        if info.status == PaymentStatus.AUTHORIZED and info.review != "manual_review":
            await service.capture(uow, info=info, now=uow.clock.now())


@on(OrderCancelled)
async def settle_cancelled_order(event: OrderCancelled, ctx: HandlerContext) -> None:
    """`payment_action` "void": void what is authorized (a capture made at once is refunded);
    "refund": refund what was captured and not refunded yet, void what was only authorized;
    "none": the checkout saga looks after its own payment."""
    if event.payment_action == "none":
        return
    uow = ctx.uow
    for info in await service.payments_of_order(uow, order_id=event.order_id):
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


handlers: list[Handler] = [capture_on_shipment, settle_cancelled_order]
