"""The shipping agent's reactions to other agents' events: a cancelled order's shipments
that had not shipped are cancelled (their labels are not used)."""

from __future__ import annotations

from mercato.agents.orders.events import OrderCancelled
from mercato.agents.shipping import service
from mercato.kernel.bus.subscriptions import Handler, HandlerContext, on


@on(OrderCancelled)
async def cancel_unshipped(event: OrderCancelled, ctx: HandlerContext) -> None:
    await service.cancel_open_shipments(ctx.uow, order_id=event.order_id, now=ctx.uow.clock.now())


handlers: list[Handler] = [cancel_unshipped]
