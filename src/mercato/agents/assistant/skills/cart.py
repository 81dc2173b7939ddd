"""The cart skill: add (asking which size or colour when the product has several), change a
line's quantity or option, remove, show the cart, apply a code. Every change goes through
the cart agent's commands (`cart.run_command`: its own unit of work, retried when the cart
moved under it) and answers with the cart as it now is."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from mercato.agents.assistant import memory
from mercato.agents.assistant.nlu.parser import Understanding
from mercato.agents.assistant.reply import Reply, cart_card, options_of, variant_label
from mercato.agents.assistant.skills import products
from mercato.agents.assistant.turn import Turn
from mercato.agents.cart import service as cart
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Problem

CartCommand = Callable[[UnitOfWork], Awaitable[cart.CartView]]


async def _cart_id(turn: Turn) -> str:
    """The shopper's active cart (opened if it has none)."""

    async def opening(uow: UnitOfWork) -> cart.CartView:
        view, _ = await cart.open_cart(uow, principal=turn.principal, now=turn.now)
        return view

    view = await cart.run_command(turn.kernel, opening)
    await turn.pause()
    turn.state["cart_id"] = view.id
    return view.id


async def current(turn: Turn) -> cart.CartView | None:
    """The shopper's active cart: the one the conversation uses, else theirs (opened when
    they have none, as the storefront's cart does)."""
    cart_id = turn.state.get("cart_id")
    if cart_id:
        try:
            async with turn.read() as uow:
                view = await cart.get_cart(
                    uow, cart_id=cart_id, principal=turn.principal, now=turn.now
                )
            if view.status == "active":
                return view
        except Problem:
            pass
    cart_id = await _cart_id(turn)
    async with turn.read() as uow:
        return await cart.get_cart(uow, cart_id=cart_id, principal=turn.principal, now=turn.now)


async def change(turn: Turn, command: Callable[[str], CartCommand]) -> cart.CartView:
    cart_id = await _cart_id(turn)
    view = await cart.run_command(turn.kernel, command(cart_id))
    await turn.pause()
    return view


def shopper(turn: Turn) -> cart.Shopper:
    return cart.Shopper(turn.principal)


def quantity_of(u: Understanding, default: int = 1) -> int:
    found = u.first("quantity")
    return int(found.value) if found else default


async def add_to_cart(turn: Turn, u: Understanding, args: dict[str, Any] | None = None) -> Reply:
    args = dict(args or {})
    async with turn.read() as uow:
        product = (
            await products.resolve(turn, uow, u)
            if "product_id" not in args
            else await products.summary(uow, args["product_id"])
        )
    if product is None:
        turn.ask("add_to_cart", "product", {"quantity": quantity_of(u)})
        return Reply("Which product should I add? Tell me its name, or search first.")
    turn.focus(product["id"], product["name"])
    size = u.first("size")
    color = u.first("color")
    args.setdefault("size", size.value if size else None)
    args.setdefault("color", color.value if color else None)
    if size and args.get("size") != size.value:
        args["size"] = size.value
    if color and args.get("color") != color.value:
        args["color"] = color.value
    args.setdefault("quantity", quantity_of(u))
    if u.first("quantity") is not None:
        args["quantity"] = quantity_of(u)
    variants = product.get("variants", [])
    variant = (
        variants[0]
        if len(variants) == 1
        else products.variant_for(product, size=args["size"], color=args["color"])
    )
    if variant is None and not args["size"]:
        remembered = turn.remembered.first("size")
        if remembered:
            variant = products.variant_for(product, size=remembered, color=args["color"])
            if variant is not None:
                args["size"] = remembered
    if variant is None:
        return _ask_option(turn, product, args)
    quantity = int(args["quantity"])
    try:
        view = await change(
            turn,
            lambda cart_id: (
                lambda uow: cart.add_item(
                    uow,
                    cart_id=cart_id,
                    shopper=shopper(turn),
                    variant_id=variant["id"],
                    quantity=quantity,
                    now=turn.now,
                )
            ),
        )
    except Problem as problem:
        return Reply(
            f"I couldn't add it: {problem.detail or problem.title}.",
            quick_replies=["Show me similar", "View my cart"],
        )
    line = next((i for i in view.items if i.variant_id == variant["id"]), None)
    if line is not None:
        turn.state["last_line"] = line.id
    await _note_cart(turn, product)
    label = variant_label(variant)
    return Reply(
        f"Added {quantity} × {product['name']}{f' ({label})' if label else ''} to your cart. "  # noqa: RUF001
        f"Your cart total is {view.totals.total} {view.currency}.",
        actions=[
            {
                "type": "cart.item_added",
                "cart_id": view.id,
                "variant_id": variant["id"],
                "quantity": quantity,
            }
        ],
        cards=[cart_card(view)],
        quick_replies=["View my cart", "Check out", "Keep shopping"],
    )


def _ask_option(turn: Turn, product: dict[str, Any], args: dict[str, Any]) -> Reply:
    """Ask for the first option the shopper has not named, offering the values in stock."""
    options = options_of(product)
    given = {str(args.get(k) or "").lower() for k in ("size", "color")} - {""}
    missing = next(
        (name for name, values in options.items() if not given & {v.lower() for v in values}),
        next(iter(options), "option"),
    )
    in_stock = {
        str(value)
        for variant in product.get("variants", [])
        if int(variant.get("available") or 0) > 0
        for value in (variant.get("attributes") or {}).values()
    }
    values = options.get(missing, [])
    offered = [v for v in values if v in in_stock] or values
    turn.ask(
        "add_to_cart",
        "option",
        {**args, "product_id": product["id"], "option": missing},
        options=offered,
    )
    return Reply(
        f"Which {missing} would you like for {product['name']}? {', '.join(offered)}.",
        quick_replies=offered[:8],
    )


async def _note_cart(turn: Turn, product: dict[str, Any]) -> None:
    if turn.owner is None:
        return
    async with turn.write() as uow:
        await memory.note_products(uow, turn.owner, [product], signal="cart", now=turn.now)


async def view_cart(turn: Turn, u: Understanding) -> Reply:
    view = await current(turn)
    if view is None or not view.items:
        return Reply(
            "Your cart is empty. What are you looking for?",
            cards=[cart_card(view)] if view else [],
            quick_replies=["Show me bestsellers"],
        )
    lines = "; ".join(f"{i.quantity} × {i.name} ({i.line_total})" for i in view.items)  # noqa: RUF001
    code = (
        f" Code {view.discount_code} saves {view.totals.discount_total}."
        if view.discount_code
        else ""
    )
    problems = f" Note: {' '.join(p.detail for p in view.problems)}" if view.problems else ""
    return Reply(
        f"In your cart: {lines}. Total {view.totals.total} {view.currency}.{code}{problems}",
        cards=[cart_card(view)],
        quick_replies=["Check out", "Apply a code", "Keep shopping"],
    )


async def apply_discount(turn: Turn, u: Understanding, args: dict[str, Any] | None = None) -> Reply:
    code = u.first("discount_code")
    if code is None:
        turn.ask("apply_discount", "code", {})
        return Reply("What's the code? Type it as it was given to you.")
    try:
        view = await change(
            turn,
            lambda cart_id: (
                lambda uow: cart.apply_code(
                    uow, cart_id=cart_id, shopper=shopper(turn), code=code.value, now=turn.now
                )
            ),
        )
    except Problem as problem:
        return Reply(
            f"That code didn't work: {problem.detail or problem.title}.",
            quick_replies=["View my cart"],
        )
    return Reply(
        f"Code {code.value} applied: you save {view.totals.discount_total}. "
        f"Your total is {view.totals.total} {view.currency}.",
        actions=[{"type": "cart.code_applied", "cart_id": view.id, "code": code.value}],
        cards=[cart_card(view)],
        quick_replies=["Check out", "View my cart"],
    )
