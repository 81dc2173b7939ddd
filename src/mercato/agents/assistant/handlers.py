"""The assistant's reactions: a guest who signs in keeps their conversations and memory
(`session.promoted`); staff's answer to a handed-off conversation is said in it, and
reaches the shopper's open chat (`support.message_added`); an order placed is a signal for
the customer's memory (`order.placed`)."""

from __future__ import annotations

from mercato.agents.assistant import conversations, memory
from mercato.agents.assistant.conversations import Said
from mercato.agents.assistant.live import TOPIC, Announcer
from mercato.agents.catalog import service as catalog
from mercato.agents.identity.events import SessionPromoted
from mercato.agents.orders.events import OrderPlaced
from mercato.agents.support.events import MessageAdded
from mercato.kernel.bus.subscriptions import Handler, HandlerContext, on


@on(SessionPromoted)
async def keep_after_sign_in(event: SessionPromoted, ctx: HandlerContext) -> None:
    await conversations.promote(ctx.uow, session_id=event.session_id, user_id=event.user_id)
    await memory.move(
        ctx.uow,
        source=f"guest:{event.session_id}",
        target=f"user:{event.user_id}",
        now=ctx.uow.clock.now(),
    )


@on(MessageAdded)
async def staff_answered(event: MessageAdded, ctx: HandlerContext) -> None:
    if event.conversation_id is None or event.internal or event.author_kind != "staff":
        return
    said = await conversations.append(
        ctx.uow,
        conversation_id=event.conversation_id,
        said=Said(
            "staff", event.body, None, None, {"ticket_id": event.ticket_id, "number": event.number}
        ),
        now=ctx.uow.clock.now(),
    )
    if said is None:
        return
    await ctx.uow.deps(Announcer).publish(
        TOPIC,
        {
            "conversation_id": event.conversation_id,
            "seq": said.seq,
            "role": "staff",
            "text": event.body,
            "ticket": event.number,
            "at": said.created_at.isoformat(),
        },
    )


@on(OrderPlaced)
async def note_purchase(event: OrderPlaced, ctx: HandlerContext) -> None:
    if event.customer_id is None:
        return
    variants = await catalog.sellable_variants(ctx.uow, [line.variant_id for line in event.lines])
    product_ids = sorted({v.product_id for v in variants.values()})
    found = await catalog.summaries(ctx.uow, product_ids)
    await memory.note_products(
        ctx.uow,
        f"user:{event.customer_id}",
        found.values(),
        signal="purchase",
        now=ctx.uow.clock.now(),
    )


handlers: list[Handler] = [keep_after_sign_in, staff_answered, note_purchase]
