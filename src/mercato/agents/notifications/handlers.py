"""The notifications agent's reactions: each event that someone should hear about becomes a
notice of a kind (kinds.py), queued in the handler's transaction, so a redelivered event
finds its messages already queued and queues none."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from mercato.agents.cart.events import CartAbandoned
from mercato.agents.catalog import service as catalog
from mercato.agents.identity import service as identity
from mercato.agents.identity.events import PasswordResetRequested, VerificationRequested
from mercato.agents.inventory.events import StockLow
from mercato.agents.notifications.contexts import (
    cart_context,
    order_context,
    ticket_context,
)
from mercato.agents.notifications.deps import NotificationDeps
from mercato.agents.notifications.fulfilment import handlers as fulfilment_handlers
from mercato.agents.notifications.fulfilment import told_by_parcel
from mercato.agents.notifications.models import NotificationMessage
from mercato.agents.notifications.queueing import Notice, Recipient, queue
from mercato.agents.notifications.signing import LINK_MARK, seal
from mercato.agents.orders.events import (
    OrderCancelled,
    OrderConfirmed,
    OrderDelivered,
    OrderShipped,
)
from mercato.agents.payments import service as payments
from mercato.agents.payments.events import PaymentFailed, PaymentRefunded
from mercato.agents.support.events import MessageAdded
from mercato.kernel.bus.subscriptions import Handler, HandlerContext, on
from mercato.kernel.events import Event

ORDER_KINDS = {
    OrderConfirmed: "order_confirmed",
    OrderCancelled: "order_cancelled",
    OrderShipped: "order_shipped",
    OrderDelivered: "order_delivered",
}


def _deps(ctx: HandlerContext) -> NotificationDeps:
    return ctx.uow.deps(NotificationDeps)


@on(OrderConfirmed, OrderCancelled, OrderShipped, OrderDelivered)
async def tell_the_customer_about_their_order(event: Event, ctx: HandlerContext) -> None:
    """Confirmed, shipped, delivered; cancelled only once it had been confirmed (a checkout
    that failed was answered on the spot and never confirmed). Shipped: unless the order left
    in several shipments, each told by its own `shipment_shipped` (fulfilment.py), the last
    one saying the whole order has shipped; an order that leaves in one gets this alone."""
    deps = _deps(ctx)
    found = await order_context(ctx.uow, deps, event.order_id)  # type: ignore[attr-defined]
    if found is None:
        return
    context, recipient, view = found
    if isinstance(event, OrderCancelled):
        if view.confirmed_at is None:
            return
        context["refund"] = event.total if event.payment_action != "none" else None
    if isinstance(event, OrderShipped) and await told_by_parcel(ctx.uow, view):
        return
    await queue(
        ctx.uow, deps, _notice(ORDER_KINDS[type(event)], ctx, context, recipient, order_id=view.id)
    )


@on(PaymentFailed, PaymentRefunded)
async def tell_the_customer_about_their_payment(event: Event, ctx: HandlerContext) -> None:
    """A refund; a failed payment of a confirmed order (a capture at shipping, a retry). A
    return's refund is told by `refund_issued` (fulfilment.py), with its store-credit part:
    its card part is not told twice here."""
    if isinstance(event, PaymentRefunded) and await _for_a_return(ctx, event.refund_id):
        return
    deps = _deps(ctx)
    found = await order_context(ctx.uow, deps, event.order_id)  # type: ignore[attr-defined]
    if found is None:
        return
    context, recipient, view = found
    if isinstance(event, PaymentFailed):
        if view.confirmed_at is None:
            return
        kind = "payment_failed"
        context["reason"] = event.failure_code
    else:
        assert isinstance(event, PaymentRefunded)
        kind = "payment_refunded"
        context |= {"amount": event.amount, "fully": event.fully}
    await queue(ctx.uow, deps, _notice(kind, ctx, context, recipient, order_id=view.id))


async def _for_a_return(ctx: HandlerContext, refund_id: str) -> bool:
    """Whether the returns agent asked for this refund (its ids are `return:<id>:…`)."""
    asked_as = await payments.refund_request_id(ctx.uow, refund_id=refund_id)
    return asked_as is not None and asked_as.startswith("return:")


@on(VerificationRequested, PasswordResetRequested)
async def mail_the_one_time_link(event: Event, ctx: HandlerContext) -> None:
    """The link is minted here, by identity, in this transaction. It is stored sealed, and
    put into the mail only as it is sent (sender.py): no row, log line or SQL echo holds it
    in clear, and the bodies are blanked once the mail is out."""
    purpose = (
        "password_reset" if isinstance(event, PasswordResetRequested) else ("email_verification")
    )
    assert isinstance(event, VerificationRequested | PasswordResetRequested)
    link = await identity.one_time_link(ctx.uow, user_id=event.user_id, purpose=purpose)
    if link is None:
        return
    deps = _deps(ctx)
    context = {
        "link": LINK_MARK,
        "minutes": link.ttl_seconds // 60,
        "days": link.ttl_seconds // 86400,
    }
    recipient = Recipient(user_id=None, email=link.email, name=link.full_name)
    sealed = seal(deps.secret, link.url)
    await queue(ctx.uow, deps, _notice(purpose, ctx, context, recipient, sealed_link=sealed))


@on(CartAbandoned)
async def remind_of_the_abandoned_cart(event: CartAbandoned, ctx: HandlerContext) -> None:
    """A signed-in shopper's cart with items, at most `cart_reminder_max_per_week` times a
    week (marketing: the customer may switch it off; a guest's cart has no address)."""
    deps = _deps(ctx)
    if event.user_id is None or event.items == 0:
        return
    since = deps.clock.now() - timedelta(days=7)
    sent = await ctx.uow.session.scalar(
        select(func.count()).where(
            NotificationMessage.user_id == event.user_id,
            NotificationMessage.kind == "cart_abandoned",
            NotificationMessage.channel == "email",
            NotificationMessage.created_at >= since,
        )
    )
    if (sent or 0) >= deps.settings.cart_reminder_max_per_week:
        return
    context = await cart_context(ctx.uow, deps, event.cart_id)
    contact = await identity.contact_of(ctx.uow, user_id=event.user_id)
    if context is None or contact is None:
        return
    recipient = Recipient(user_id=event.user_id, email=contact[0], name=contact[1])
    await queue(
        ctx.uow, deps, _notice("cart_abandoned", ctx, context, recipient, cart_id=event.cart_id)
    )


@on(StockLow)
async def warn_the_store_of_low_stock(event: StockLow, ctx: HandlerContext) -> None:
    """To the variant's merchant's people and the store's admins, once a day per variant
    and location (stock can cross its reorder point many times a day)."""
    deps = _deps(ctx)
    variant = (await catalog.sellable_variants(ctx.uow, [event.variant_id])).get(event.variant_id)
    staff = await identity.staff_contacts(
        ctx.uow, merchant_id=variant.merchant_id if variant else None
    )
    if not staff:
        return
    context = {
        "stock": {
            "sku": event.sku,
            "name": variant.name if variant else event.sku,
            "available": event.available,
            "reorder_point": event.reorder_point,
            "location": event.location_id,
        },
        "links": {"inventory": deps.link("/admin/inventory")},
    }
    day = deps.clock.now().date().isoformat()
    notice = Notice(
        kind="low_stock",
        key=f"low_stock:{event.variant_id}:{event.location_id}:{day}",
        context=context,
        recipients=[Recipient(user_id=s.user_id, email=s.email, name=s.full_name) for s in staff],
        data={"variant_id": event.variant_id, "sku": event.sku},
        event_id=ctx.envelope.id,
    )
    await queue(ctx.uow, deps, notice)


@on(MessageAdded)
async def pass_on_the_support_reply(event: MessageAdded, ctx: HandlerContext) -> None:
    """Staff's public answer on a ticket (not an internal note, not the customer's own)."""
    if event.internal or event.author_kind != "staff":
        return
    deps = _deps(ctx)
    found = await ticket_context(ctx.uow, deps, event.ticket_id, event.body)
    if found is None:
        return
    context, recipient = found
    await queue(
        ctx.uow, deps, _notice("support_reply", ctx, context, recipient, ticket_id=event.ticket_id)
    )


def _notice(
    kind: str,
    ctx: HandlerContext,
    context: dict[str, object],
    recipient: Recipient,
    **data: str,
) -> Notice:
    return Notice(
        kind=kind,
        key=ctx.envelope.id,
        context=dict(context),
        recipients=[recipient],
        data=data,
        event_id=ctx.envelope.id,
    )


handlers: list[Handler] = [
    tell_the_customer_about_their_order,
    tell_the_customer_about_their_payment,
    mail_the_one_time_link,
    remind_of_the_abandoned_cart,
    warn_the_store_of_low_stock,
    pass_on_the_support_reply,
    *fulfilment_handlers,
]
