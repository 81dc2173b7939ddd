"""The reviews agent's reactions to other agents' events: the verified-purchase read model.
An order's lines are noted when it is placed (by a signed-in customer); a delivered
shipment's lines, or a delivered order's, mark them received, and the customer's reviews of
those products become verified purchases (BR025). Idempotent: a redelivered event changes
nothing more."""

from __future__ import annotations

from mercato.agents.orders.events import OrderDelivered, OrderPlaced
from mercato.agents.reviews import purchases
from mercato.agents.shipping.events import ShipmentDelivered
from mercato.kernel.bus.subscriptions import Handler, HandlerContext, on


@on(OrderPlaced)
async def note_order_lines(event: OrderPlaced, ctx: HandlerContext) -> None:
    """A customer's order: which products its lines hold (a guest's cannot verify a review)."""
    if event.customer_id is None:
        return
    lines = {line.line_id: line.product_id for line in event.lines if line.product_id}
    await purchases.record_purchase(
        ctx.uow, order_id=event.order_id, customer_id=event.customer_id, lines=lines
    )


@on(ShipmentDelivered)
async def note_shipment_delivered(event: ShipmentDelivered, ctx: HandlerContext) -> None:
    """An outbound shipment's lines reached the shopper."""
    if event.kind != "outbound":
        return
    await purchases.record_delivery(
        ctx.uow, order_id=event.order_id, line_ids=list(event.lines), now=ctx.envelope.occurred_at
    )


@on(OrderDelivered)
async def note_order_delivered(event: OrderDelivered, ctx: HandlerContext) -> None:
    """Every line of the order reached the shopper."""
    await purchases.record_delivery(
        ctx.uow, order_id=event.order_id, line_ids=None, now=ctx.envelope.occurred_at
    )


handlers: list[Handler] = [note_order_lines, note_shipment_delivered, note_order_delivered]
