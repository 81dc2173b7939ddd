"""The demand part follows the orders agent's events into its read model of what sold:
placed orders' lines count, cancelled orders' are taken back, modified orders' quantities
are read again. Each is idempotent (keyed by line ids, daily figures recomputed)."""

from __future__ import annotations

from mercato.agents.intelligence.demand import history
from mercato.agents.orders.events import OrderCancelled, OrderModified, OrderPlaced
from mercato.kernel.bus.subscriptions import Handler, HandlerContext, on


@on(OrderPlaced)
async def count_order(event: OrderPlaced, ctx: HandlerContext) -> None:
    await history.record_placed(ctx.uow, event)


@on(OrderCancelled)
async def uncount_order(event: OrderCancelled, ctx: HandlerContext) -> None:
    await history.record_cancelled(ctx.uow, order_id=event.order_id)


@on(OrderModified)
async def recount_order(event: OrderModified, ctx: HandlerContext) -> None:
    await history.record_modified(ctx.uow, order_id=event.order_id)


handlers: list[Handler] = [count_order, uncount_order, recount_order]
