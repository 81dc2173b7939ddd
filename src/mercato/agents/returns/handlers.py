"""The returns agent's reactions to other agents' events: a cancelled order gives back the
store credit its checkout spent."""

from __future__ import annotations

from sqlalchemy import select

from mercato.agents.orders.events import OrderCancelled
from mercato.agents.returns import spending
from mercato.agents.returns.models import CreditEntry
from mercato.agents.returns.statuses import CreditReason
from mercato.kernel.bus.subscriptions import Handler, HandlerContext, on


@on(OrderCancelled)
async def give_back_credit(event: OrderCancelled, ctx: HandlerContext) -> None:
    spent = await ctx.uow.session.scalar(
        select(CreditEntry.owner).where(
            CreditEntry.reason == CreditReason.CHECKOUT, CreditEntry.reference == event.order_id
        )
    )
    if spent is not None and spent.startswith("customer:"):
        await spending.restore(ctx.uow, spent.removeprefix("customer:"), event.order_id)


handlers: list[Handler] = [give_back_credit]
