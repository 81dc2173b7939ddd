"""What a notice's template is told: an order, a cart, a ticket, as the owning agents' services
answer them, reduced to plain values (a template is data, not code)."""

from __future__ import annotations

from typing import Any

from mercato.agents.cart import service as cart
from mercato.agents.identity import service as identity
from mercato.agents.notifications.deps import NotificationDeps
from mercato.agents.notifications.queueing import Recipient, store
from mercato.agents.orders import service as orders
from mercato.agents.support import service as support
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Problem


def agent_principal() -> Principal:
    """How this agent reads other agents' records: a system caller of the store."""
    return Principal(
        id="notifications", tenant_id=store(), kind="system", roles=frozenset({"admin"})
    )


async def order_context(
    uow: UnitOfWork, deps: NotificationDeps, order_id: str
) -> tuple[dict[str, Any], Recipient, orders.OrderView] | None:
    try:
        view = await orders.get_order(uow, order_id=order_id, principal=agent_principal())
    except Problem:
        return None
    address = view.shipping_address
    name = address.name if address else None
    if view.customer_id:
        contact = await identity.contact_of(uow, user_id=view.customer_id)
        name = contact[1] if contact else name
    order = {
        "id": view.id,
        "number": view.number,
        "currency": view.currency,
        **{k: str(getattr(view, k)) for k in ("subtotal", "discount", "tax", "shipping", "total")},
        "placed_at": view.placed_at.isoformat(),
        "carrier": view.carrier,
        "tracking_number": view.tracking_number,
        "cancel_reason": view.cancel_reason,
        "lines": [
            {"name": line.name, "quantity": line.quantity, "line_total": str(line.line_total)}
            for line in view.lines
        ],
        "shipping_address": address.to_data() if address else None,
    }
    links = {"order": deps.link(f"/account/orders/{view.id}")}
    recipient = Recipient(user_id=view.customer_id, email=view.email, name=name)
    return {"order": order, "links": links}, recipient, view


async def cart_context(
    uow: UnitOfWork, deps: NotificationDeps, cart_id: str
) -> dict[str, Any] | None:
    try:
        view = await cart.get_cart(
            uow, cart_id=cart_id, principal=agent_principal(), now=deps.clock.now()
        )
    except Problem:
        return None
    if not view.items:
        return None
    return {
        "cart": {
            "lines": [
                {"name": i.name, "quantity": i.quantity, "line_total": str(i.line_total)}
                for i in view.items
            ],
            "subtotal": str(view.totals.subtotal),
            "currency": view.currency,
        },
        "links": {"cart": deps.link("/cart")},
    }


async def ticket_context(
    uow: UnitOfWork, deps: NotificationDeps, ticket_id: str, reply: str
) -> tuple[dict[str, Any], Recipient] | None:
    try:
        ticket = await support.get_ticket(uow, ticket_id=ticket_id, principal=agent_principal())
    except Problem:
        return None
    email, name = ticket.email, None
    if ticket.requester_user_id:
        contact = await identity.contact_of(uow, user_id=ticket.requester_user_id)
        if contact:
            email, name = email or contact[0], contact[1]
    if email is None and ticket.requester_user_id is None:
        return None
    context = {
        "ticket": {"number": ticket.number, "subject": ticket.subject, "reply": reply},
        "links": {"ticket": deps.link(f"/account/tickets/{ticket.id}")},
    }
    return context, Recipient(user_id=ticket.requester_user_id, email=email, name=name)
