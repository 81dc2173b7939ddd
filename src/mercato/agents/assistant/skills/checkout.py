"""Checking out in the chat: the cart checked (stock, prices, the BR002 minimum), the email and
the shipping address asked for when missing (a signed-in shopper's are known), then a
confirmation: nothing is bought until the shopper says yes, with a payment source the UI
sends beside the message (a card typed into the chat box is never asked for). The checkout
itself is the orders agent's (`ports.Checkout`), with one idempotency key per confirmation."""

from __future__ import annotations

from typing import Any

from mercato.agents.assistant.nlu.parser import Understanding
from mercato.agents.assistant.ports import Checkout, CheckoutRequest
from mercato.agents.assistant.reply import Reply, cart_card, confirmation_card, order_card
from mercato.agents.assistant.skills import cart as cart_skill
from mercato.agents.assistant.skills import orders as order_skill
from mercato.agents.assistant.turn import Turn
from mercato.agents.cart import service as cart
from mercato.agents.identity import service as identity
from mercato.agents.orders import service as orders
from mercato.kernel.errors import Problem
from mercato.kernel.ids import new_id

CHECKOUT_PAGE = "/shop/checkout"


async def _email(turn: Turn, u: Understanding, args: dict[str, Any]) -> str | None:
    given = u.first("email")
    if given is not None:
        return given.value
    if args.get("email"):
        return str(args["email"])
    if turn.principal.kind == "user":
        async with turn.read() as uow:
            contact = await identity.contact_of(uow, user_id=turn.principal.id)
        return contact[0] if contact else None
    return None


async def _last_address(turn: Turn) -> tuple[dict[str, Any] | None, str | None]:
    """The address and name of the shopper's latest order that shipped somewhere."""
    if turn.principal.kind != "user":
        return None, None
    async with turn.read() as uow:
        page = await orders.list_orders(
            uow, principal=turn.principal, filters=orders.OrderFilters(), limit=5
        )
        for summary in page.items:
            order = await orders.get_order(uow, order_id=summary.id, principal=turn.principal)
            if order.shipping_address is not None:
                a = order.shipping_address
                return {
                    "street": a.line1,
                    "city": a.city,
                    "postal_code": a.postal_code,
                    "country": a.country,
                    "name": a.name,
                }, a.name
    return None, None


async def checkout(turn: Turn, u: Understanding, args: dict[str, Any] | None = None) -> Reply:
    args = dict(args or {})
    view = await cart_skill.current(turn)
    if view is None or not view.items:
        return Reply(
            "Your cart is empty, so there's nothing to check out yet. What are you looking for?"
        )
    try:
        view = await cart.run_command(
            turn.kernel,
            lambda uow: cart.validate(uow, cart_id=view.id, now=turn.now, principal=turn.principal),
        )
    except Problem as problem:
        return Reply(f"Your cart can't be checked out: {problem.detail or problem.title}.")
    await turn.pause()
    if view.problems:
        listed = " ".join(p.detail for p in view.problems)
        return Reply(
            f"Before you check out: {listed}",
            cards=[cart_card(view)],
            quick_replies=["View my cart"],
        )
    email = await _email(turn, u, args)
    if email is None:
        turn.ask("checkout", "email", args)
        return Reply("What email should the order confirmation go to?")
    args["email"] = email
    ships = any(item.requires_shipping for item in view.items)
    if ships:
        address = order_skill.address_from(u, args.get("name"), args.get("address"))
        if order_skill.missing_parts(address) and not args.get("address"):
            known, name = await _last_address(turn)
            if known is not None and not any(u.first(p) for p in order_skill.ADDRESS_PARTS):
                address = known
            args["name"] = args.get("name") or name
        missing = order_skill.missing_parts(address)
        if missing:
            turn.ask("checkout", "address", {**args, "address": address})
            return Reply(
                (
                    "Where should it ship? Street and number, postcode, city and country "
                    "(for example: 12 Baker Street, London NW1 6XE, UK)."
                )
                if len(missing) == 3
                else (
                    f"I still need the {', '.join(m.replace('_', ' ') for m in missing)} "
                    "of the address."
                )
            )
        args["address"] = address
    free = view.totals.all_free or view.totals.total == 0
    where = f", shipping to {order_skill.one_line(args['address'])}" if ships else ""
    count = sum(i.quantity for i in view.items)
    turn.confirm(
        "checkout",
        {
            **args,
            "cart_id": view.id,
            "version": view.version,
            "total": str(view.totals.total),
            "currency": view.currency,
            "key": new_id(),
            "free": free,
        },
    )
    summary = (
        f"{count} item{'s' if count != 1 else ''}, total {view.totals.total} {view.currency}{where}"
    )
    how = "" if free else " Confirm with your card in the form below."
    return Reply(
        f"Ready to place your order: {summary}. Shall I place it?{how}",
        cards=[
            cart_card(view),
            confirmation_card(
                "checkout",
                summary,
                total=str(view.totals.total),
                currency=view.currency,
                needs_payment=not free,
                href=CHECKOUT_PAGE,
            ),
        ],
        quick_replies=["Yes, place the order", "No, not yet"],
    )


async def do_checkout(turn: Turn, args: dict[str, Any]) -> Reply:
    if not args.get("free") and not turn.payment:
        turn.confirm("checkout", args)  # still waiting: the yes needs a payment with it
        return Reply(
            "To pay, enter your card in the form below the confirmation "
            "(I never see the card number), or finish on the checkout page.",
            cards=[{"type": "payment_form", "provider": "sandbox", "href": CHECKOUT_PAGE}],
            quick_replies=["No, not yet"],
        )
    async with turn.read() as uow:
        port = uow.wired(Checkout)
    if port is None:
        return Reply(
            "I can't place orders from the chat here; the checkout page can.",
            cards=[{"type": "link", "label": "Check out", "href": CHECKOUT_PAGE}],
        )
    address = args.get("address")
    request = CheckoutRequest(
        cart_id=args["cart_id"],
        email=args["email"],
        shipping_address=order_skill.as_order_address(address) if address else None,
        payment=None if args.get("free") else turn.payment,
        idempotency_key=f"assistant-{args['key']}",
    )
    try:
        placed = await port.run(turn.kernel, turn.principal, request)
    except Problem as problem:
        return Reply(
            f"The order wasn't placed: {problem.detail or problem.title}. Nothing was charged.",
            quick_replies=["View my cart", "Talk to a person"],
        )
    except ValueError as invalid:
        return Reply(
            f"The order wasn't placed: {invalid}. Nothing was charged.",
            quick_replies=["View my cart"],
        )
    turn.state.pop("cart_id", None)
    turn.state.pop("last_line", None)
    turn.state["order_id"] = placed.order_id
    async with turn.read() as uow:
        order = await orders.get_order(uow, order_id=placed.order_id, principal=turn.principal)
    pending = (
        " Its payment is still being confirmed; I'll show its status whenever you ask."
        if placed.status == "pending"
        else ""
    )
    await turn.pause()
    return Reply(
        f"Order {placed.number} is placed: {placed.total} {placed.currency}. "
        f"A confirmation is on its way to {args['email']}.{pending}",
        actions=[
            {
                "type": "order.placed",
                "order_id": placed.order_id,
                "number": placed.number,
                "total": placed.total,
            }
        ],
        cards=[order_card(order)],
        quick_replies=["Where is my order?", "Keep shopping"],
    )
