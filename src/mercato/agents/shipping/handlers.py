"""The shipping agent's reactions to other agents' events: a confirmed order's held stock is
gathered where its fulfilment plan ships from (fewest shipments, then the nearest location);
a cancelled order's shipments that had not shipped are cancelled (their labels unused)."""

from __future__ import annotations

from mercato.agents.orders.events import OrderCancelled, OrderConfirmed
from mercato.agents.shipping import fulfilment_plan, service
from mercato.kernel.bus.subscriptions import Handler, HandlerContext, on


@on(OrderCancelled)
async def cancel_unshipped(event: OrderCancelled, ctx: HandlerContext) -> None:
    await service.cancel_open_shipments(ctx.uow, order_id=event.order_id, now=ctx.uow.clock.now())


@on(OrderConfirmed)
async def plan_fulfilment(event: OrderConfirmed, ctx: HandlerContext) -> None:
    await fulfilment_plan.gather(ctx.uow, order_id=event.order_id, now=ctx.uow.clock.now())


handlers: list[Handler] = [plan_fulfilment, cancel_unshipped]
