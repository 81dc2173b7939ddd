"""The order skill: an order's status by its number (or the shopper's latest orders), and the
changes that need the shopper's yes first: cancelling, a new shipping address, another
quantity of a line. The orders agent decides what is allowed (BR006: no cancelling once
shipped) and whose order it is: another shopper's order is "not found", like a missing one."""

from __future__ import annotations

from typing import Any

from mercato.agents.assistant.nlu.parser import Understanding
from mercato.agents.assistant.reply import Reply, confirmation_card, order_card
from mercato.agents.assistant.turn import Turn
from mercato.agents.orders import service as orders
from mercato.kernel.errors import Problem

OPEN_STATUSES = {"pending", "confirmed"}
"""Orders that can still be cancelled or changed (before they ship)."""
RECENT = 3


async def _by_reference(turn: Turn, reference: str) -> orders.OrderView | None:
    """The shopper's order a reference names: its number, or the number's digits alone."""
    async with turn.read() as uow:
        order_id = await orders.id_of_number(uow, reference=reference)
    if order_id is None and reference.isdigit():
        order_id = _ending_with(await _recent(turn, limit=50), reference)
    return None if order_id is None else await _order(turn, order_id)


def _ending_with(recent: list[Any], digits: str) -> str | None:
    wanted = digits.lstrip("0") or "0"
    return next((o.id for o in recent if o.number.replace("-", "").endswith(wanted)), None)


async def _order(turn: Turn, order_id: str) -> orders.OrderView | None:
    """The order, if the shopper may see it (another's is "not found", like a missing one)."""
    try:
        async with turn.read() as uow:
            return await orders.get_order(uow, order_id=order_id, principal=turn.principal)
    except Problem:
        return None


async def _recent(turn: Turn, limit: int = RECENT) -> list[Any]:
    if turn.principal.kind not in {"user", "guest"}:
        return []
    async with turn.read() as uow:
        page = await orders.list_orders(
            uow, principal=turn.principal, filters=orders.OrderFilters(), limit=limit
        )
    return list(page.items)


async def resolve(
    turn: Turn, u: Understanding, intent: str, args: dict[str, Any]
) -> tuple[orders.OrderView | None, Reply | None]:
    """The order a message means (by number, the one the conversation is about, or the
    shopper's only recent one), or the reply that asks which."""
    ref = u.first("order_ref")
    if ref is not None:
        found = await _by_reference(turn, ref.value)
        if found is None:
            return None, Reply(
                f"I can't find an order {ref.value} for you. "
                "Check the number in your confirmation email"
                + (", or sign in to see your orders." if turn.principal.kind == "guest" else "."),
                quick_replies=["Show my orders", "Talk to a person"],
            )
        turn.state["order_id"] = found.id
        return found, None
    known = turn.state.get("order_id") or args.get("order_id")
    if known:
        found = await _order(turn, known)
        if found is not None:
            return found, None
        turn.state.pop("order_id", None)
    recent = await _recent(turn)
    if not recent:
        return None, Reply(
            "I can't see any orders for you"
            + (
                " in this session. Sign in, or give me the order number (ORD-…)."
                if turn.principal.kind == "guest"
                else ". What's the order number?"
            ),
            quick_replies=["Talk to a person"],
        )
    only = await _order(turn, recent[0].id) if len(recent) == 1 else None
    if only is not None:
        turn.state["order_id"] = only.id
        return only, None
    turn.ask(intent, "order", args, options=[o.number for o in recent])
    listed = "; ".join(f"{o.number} ({o.status}, {o.total} {o.currency})" for o in recent)
    return None, Reply(
        f"Which order? Your latest: {listed}.",
        cards=[order_card(o) for o in recent],
        quick_replies=[o.number for o in recent],
    )


def describe(order: orders.OrderView) -> str:
    status = {
        "pending": "is being placed (its payment is being confirmed)",
        "confirmed": "is confirmed and being prepared for shipping",
        "shipped": "has shipped",
        "delivered": "was delivered",
        "cancelled": "was cancelled",
    }.get(order.status, f"is {order.status}")
    text = f"Order {order.number} {status}"
    if order.status == "shipped" and order.tracking_number:
        text += f" with {order.carrier or 'the carrier'} (tracking {order.tracking_number})"
    if order.status == "delivered" and order.delivered_at:
        text += f" on {order.delivered_at:%d %B %Y}"
    return text + f". Total {order.total} {order.currency}."


async def order_status(turn: Turn, u: Understanding, args: dict[str, Any] | None = None) -> Reply:
    order, asking = await resolve(turn, u, "order_status", dict(args or {}))
    if order is None:
        assert asking is not None
        return asking
    return Reply(
        describe(order),
        cards=[order_card(order)],
        quick_replies=["Cancel this order", "Return an item"]
        if order.status in OPEN_STATUSES
        else ["Return an item", "Talk to a person"],
    )


async def cancel_order(turn: Turn, u: Understanding, args: dict[str, Any] | None = None) -> Reply:
    order, asking = await resolve(turn, u, "cancel_order", dict(args or {}))
    if order is None:
        assert asking is not None
        return asking
    if order.status == "cancelled":
        return Reply(f"Order {order.number} is already cancelled.", cards=[order_card(order)])
    if order.status not in OPEN_STATUSES:
        return Reply(
            f"Order {order.number} has already {order.status}, so it can't be cancelled any more. "
            "You can return it once it arrives (within 30 days).",
            cards=[order_card(order)],
            quick_replies=["How do returns work?", "Talk to a person"],
        )
    turn.confirm("cancel_order", {"order_id": order.id, "number": order.number})
    return Reply(
        f"Cancel order {order.number} ({order.total} {order.currency})? "
        "The payment will be voided or refunded. Reply yes to cancel, or no to keep it.",
        cards=[
            order_card(order),
            confirmation_card("cancel_order", f"Cancel order {order.number}", order_id=order.id),
        ],
        quick_replies=["Yes, cancel it", "No, keep it"],
    )


async def do_cancel(turn: Turn, args: dict[str, Any]) -> Reply:
    try:
        async with turn.write() as uow:
            order = await orders.cancel(
                uow,
                order_id=args["order_id"],
                principal=turn.principal,
                reason="cancelled by the shopper in the chat",
                now=turn.now,
            )
    except Problem as problem:
        return Reply(
            f"I couldn't cancel order {args['number']}: {problem.detail or problem.title}.",
            quick_replies=["Talk to a person"],
        )
    return Reply(
        f"Order {order.number} is cancelled. Any payment taken is refunded to your card.",
        actions=[{"type": "order.cancelled", "order_id": order.id, "number": order.number}],
        cards=[order_card(order)],
    )


ADDRESS_PARTS = ("street", "city", "postal_code", "country")


def address_from(
    u: Understanding, name: str | None, known: dict[str, Any] | None = None
) -> dict[str, Any]:
    """An address from the message's parts, over what was known (a partial address)."""
    found = dict(known or {})
    for part in ADDRESS_PARTS:
        entity = u.first(part)
        if entity is not None:
            found[part] = entity.value
    if name and "name" not in found:
        found["name"] = name
    return found


def missing_parts(address: dict[str, Any]) -> list[str]:
    return [p for p in ("street", "city", "country") if not address.get(p)]


def as_order_address(address: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": address.get("name") or "Customer",
        "line1": address["street"],
        "city": address["city"],
        "postal_code": address.get("postal_code"),
        "country": address["country"],
    }


def one_line(address: dict[str, Any]) -> str:
    return ", ".join(
        str(address[k]) for k in ("street", "postal_code", "city", "country") if address.get(k)
    )


async def change_shipping_address(
    turn: Turn, u: Understanding, args: dict[str, Any] | None = None
) -> Reply:
    args = dict(args or {})
    if "order_id" not in args:
        order, asking = await resolve(turn, u, "change_shipping_address", args)
        if order is None:
            assert asking is not None
            return asking
        if order.status not in OPEN_STATUSES:
            return Reply(
                f"Order {order.number} has already {order.status}: "
                "its address can't change any more. "
                "The carrier's tracking page may let you redirect it.",
                cards=[order_card(order)],
            )
        name = order.shipping_address.name if order.shipping_address else None
        args.update(order_id=order.id, number=order.number, name=name)
    address = address_from(u, args.get("name"), args.get("address"))
    missing = missing_parts(address)
    if missing:
        turn.ask("change_shipping_address", "address", {**args, "address": address})
        return Reply(
            f"What's the new address for order {args['number']}? "
            f"I still need the {', '.join(m.replace('_', ' ') for m in missing)} "
            "(for example: 12 Baker Street, London NW1 6XE, UK)."
        )
    turn.confirm("change_shipping_address", {**args, "address": address})
    return Reply(
        f"Ship order {args['number']} to {one_line(address)} instead? Reply yes to change it.",
        cards=[
            confirmation_card(
                "change_shipping_address",
                f"New address for {args['number']}: {one_line(address)}",
                order_id=args["order_id"],
            )
        ],
        quick_replies=["Yes, change it", "No"],
    )


async def do_change_address(turn: Turn, args: dict[str, Any]) -> Reply:
    try:
        address = orders.Address.model_validate(as_order_address(args["address"]))
        order = await _modify(
            turn, args["order_id"], orders.OrderChanges(shipping_address=address, quantities={})
        )
    except Problem as problem:
        return Reply(
            f"I couldn't change the address: {problem.detail or problem.title}.",
            quick_replies=["Talk to a person"],
        )
    except ValueError as invalid:
        return Reply(f"That address doesn't look complete: {invalid}. Could you type it again?")
    return Reply(
        f"Done: order {order.number} will ship to {one_line(args['address'])}.",
        actions=[{"type": "order.address_changed", "order_id": order.id}],
        cards=[order_card(order)],
    )


async def _modify(turn: Turn, order_id: str, changes: orders.OrderChanges) -> orders.OrderView:
    """A change the shopper confirmed, made by the orders agent (re-priced, stock and payment
    adjusted); its problems are the caller's to tell."""
    async with turn.write() as uow:
        return await orders.modify(
            uow, order_id=order_id, principal=turn.principal, changes=changes, if_match=None,
            now=turn.now,
        )  # fmt: skip


async def change_order(turn: Turn, u: Understanding, args: dict[str, Any] | None = None) -> Reply:
    args = dict(args or {})
    order, asking = await resolve(turn, u, "change_order", args)
    if order is None:
        assert asking is not None
        return asking
    if order.status not in OPEN_STATUSES:
        return Reply(
            f"Order {order.number} has already {order.status}, so it can't change any more. "
            "You can return items once it arrives.",
            cards=[order_card(order)],
        )
    quantity, named = u.first("quantity"), u.first("product")
    line = None
    if named is not None:
        line = next(
            (ln for ln in order.lines if all(w in ln.name.lower() for w in named.value.split())),
            None,
        )
    elif len(order.lines) == 1:
        line = order.lines[0]
    if line is None or quantity is None:
        names = "; ".join(f"{ln.quantity} × {ln.name}" for ln in order.lines)  # noqa: RUF001
        return Reply(
            f"Order {order.number} holds {names}. Tell me which item and the new quantity "
            f"(for example “make the {order.lines[0].name} 2”), or change the address. "
            "To add a different product, place a new order.",
            cards=[order_card(order)],
        )
    turn.confirm(
        "change_order",
        {
            "order_id": order.id,
            "number": order.number,
            "line_id": line.id,
            "name": line.name,
            "quantity": int(quantity.value),
        },
    )
    return Reply(
        f"Change {line.name} in order {order.number} from {line.quantity} to {quantity.value}? "
        "The total is re-priced and your payment adjusted. Reply yes to change it.",
        cards=[
            confirmation_card(
                "change_order",
                f"{line.name}: {line.quantity} → {quantity.value}",
                order_id=order.id,
            )
        ],
        quick_replies=["Yes", "No"],
    )


async def do_change_order(turn: Turn, args: dict[str, Any]) -> Reply:
    try:
        changes = orders.OrderChanges(
            shipping_address=None, quantities={args["line_id"]: args["quantity"]}
        )
        order = await _modify(turn, args["order_id"], changes)
    except Problem as problem:
        return Reply(
            f"I couldn't change the order: {problem.detail or problem.title}.",
            quick_replies=["Talk to a person"],
        )
    return Reply(
        f"Done: {args['name']} × {args['quantity']} in order {order.number}. "  # noqa: RUF001
        f"New total {order.total} {order.currency}.",
        actions=[{"type": "order.modified", "order_id": order.id}],
        cards=[order_card(order)],
    )
