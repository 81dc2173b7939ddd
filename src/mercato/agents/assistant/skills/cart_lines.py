"""The cart skill's changes to lines already in the cart: another quantity, another size or
colour of the same product (a correction: "no, I meant L"), removing a line or all of them.
Which line a message means: the one it names, by position, the last one touched, or the
only one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mercato.agents.assistant.nlu.parser import Understanding
from mercato.agents.assistant.reply import Reply, cart_card, options_text, variant_label
from mercato.agents.assistant.skills import cart as cart_skill
from mercato.agents.assistant.skills import products
from mercato.agents.assistant.skills.cart import CartCommand
from mercato.agents.assistant.turn import Turn
from mercato.agents.cart import service as cart
from mercato.kernel.errors import Problem


def _line(turn: Turn, view: cart.CartView, u: Understanding) -> Any | None:
    """The cart line a message means: named, by position, the last one touched, or the only one."""
    named = u.first("product")
    if named is not None:
        for item in view.items:
            if all(w in item.name.lower() for w in named.value.split()):
                return item
    ordinal = u.first("ordinal")
    if ordinal is not None and view.items:
        index = int(ordinal.value)
        if index == -1:
            return view.items[-1]
        if 0 < index <= len(view.items):
            return view.items[index - 1]
    last = turn.state.get("last_line")
    found = next((i for i in view.items if i.id == last), None)
    if found is not None:
        return found
    return view.items[0] if len(view.items) == 1 else None


async def update_cart_item(turn: Turn, u: Understanding) -> Reply:
    view = await cart_skill.current(turn)
    if view is None or not view.items:
        return Reply(
            "Your cart is empty, so there's nothing to change yet.",
            quick_replies=["Show me bestsellers"],
        )
    line = _line(turn, view, u)
    if line is None:
        names = [i.name for i in view.items]
        return Reply(f"Which item should I change? {'; '.join(names)}.", quick_replies=names[:6])
    size, color = u.first("size"), u.first("color")
    if (size or color) and u.first("quantity") is None:
        return await _swap(turn, line, size.value if size else None, color.value if color else None)
    quantity = cart_skill.quantity_of(u, default=line.quantity + 1)
    try:
        view = await cart_skill.change(
            turn,
            lambda cart_id: (
                lambda uow: cart.set_quantity(
                    uow,
                    cart_id=cart_id,
                    item_id=line.id,
                    shopper=cart_skill.shopper(turn),
                    quantity=quantity,
                    now=turn.now,
                )
            ),
        )
    except Problem as problem:
        return Reply(f"I couldn't change it: {problem.detail or problem.title}.")
    turn.state["last_line"] = line.id
    return Reply(
        f"Done: {quantity} × {line.name}. Your cart total is {view.totals.total} {view.currency}.",  # noqa: RUF001
        actions=[
            {
                "type": "cart.quantity_changed",
                "cart_id": view.id,
                "item_id": line.id,
                "quantity": quantity,
            }
        ],
        cards=[cart_card(view)],
        quick_replies=["View my cart", "Check out"],
    )


async def _swap(turn: Turn, line: Any, size: str | None, color: str | None) -> Reply:
    """A line changed to another size or colour of its product (a correction: "no, L")."""
    async with turn.read() as uow:
        product = await products.summary(uow, line.product_id)
    if product is None:
        return Reply("That product is no longer for sale, so I can't change its option.")
    current_attrs = next(
        (
            v.get("attributes") or {}
            for v in product.get("variants", [])
            if v["id"] == line.variant_id
        ),
        {},
    )
    keep_size = size or next(
        (str(v) for k, v in current_attrs.items() if k.lower() in {"size", "waist"}), None
    )
    keep_color = color or next(
        (str(v) for k, v in current_attrs.items() if k.lower() in {"colour", "color"}), None
    )
    variant = products.variant_for(
        product, size=keep_size, color=keep_color
    ) or products.variant_for(product, size=size, color=color)
    wanted = " ".join(x for x in (color, size) if x)
    if variant is None:
        choices = options_text(product, "; ")
        return Reply(f"{product['name']} doesn't come in {wanted}. It comes in {choices}.")
    if variant["id"] == line.variant_id:
        return Reply(f"It's already {wanted}.")
    try:
        await cart_skill.change(
            turn,
            lambda cart_id: (
                lambda uow: cart.remove_item(
                    uow,
                    cart_id=cart_id,
                    item_id=line.id,
                    shopper=cart_skill.shopper(turn),
                    now=turn.now,
                )
            ),
        )
        view = await cart_skill.change(
            turn,
            lambda cart_id: (
                lambda uow: cart.add_item(
                    uow,
                    cart_id=cart_id,
                    shopper=cart_skill.shopper(turn),
                    variant_id=variant["id"],
                    quantity=line.quantity,
                    now=turn.now,
                )
            ),
        )
    except Problem as problem:
        return Reply(f"I couldn't change it: {problem.detail or problem.title}.")
    new_line = next((i for i in view.items if i.variant_id == variant["id"]), None)
    if new_line is not None:
        turn.state["last_line"] = new_line.id
    return Reply(
        f"Changed to {product['name']} ({variant_label(variant)}).",
        actions=[{"type": "cart.item_replaced", "cart_id": view.id, "variant_id": variant["id"]}],
        cards=[cart_card(view)],
        quick_replies=["View my cart", "Check out"],
    )


def _removing(turn: Turn, item_id: str) -> Callable[[str], CartCommand]:
    """The command removing the line `item_id` from a cart."""

    def command(cart_id: str) -> CartCommand:
        return lambda uow: cart.remove_item(
            uow, cart_id=cart_id, item_id=item_id, shopper=cart_skill.shopper(turn), now=turn.now
        )

    return command


async def remove_from_cart(turn: Turn, u: Understanding) -> Reply:
    view = await cart_skill.current(turn)
    if view is None or not view.items:
        return Reply("Your cart is already empty.")
    everything = any(
        w in u.text.lower() for w in ("empty", "clear", "everything", "all items", "remove all")
    )
    lines = list(view.items)
    if not everything:
        line = _line(turn, view, u)
        if line is None:
            names = [i.name for i in view.items]
            return Reply(
                f"Which item should I remove? {'; '.join(names)}.", quick_replies=names[:6]
            )
        lines = [line]
    try:
        for line in lines:
            view = await cart_skill.change(turn, _removing(turn, line.id))
    except Problem as problem:
        return Reply(f"I couldn't remove it: {problem.detail or problem.title}.")
    turn.state.pop("last_line", None)
    removed = "everything" if everything else lines[0].name
    return Reply(
        f"Removed {removed}. "
        + (
            f"Your cart total is {view.totals.total} {view.currency}."
            if view.items
            else "Your cart is empty now."
        ),
        actions=[
            {
                "type": "cart.item_removed",
                "cart_id": view.id,
                "item_ids": [line.id for line in lines],
            }
        ],
        cards=[cart_card(view)],
        quick_replies=["Keep shopping"] if not view.items else ["View my cart", "Check out"],
    )
