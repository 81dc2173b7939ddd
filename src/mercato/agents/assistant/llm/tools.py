"""The assistant's skills offered to the LLM as tools: typed functions whose docstrings are
their descriptions (pydantic-ai). Each one runs the same skill the offline path runs, with
the same checks, so the model can search, fill the cart and prepare a checkout, but never
confirm one: a checkout, a cancellation or an address change only ever asks the shopper,
whose "yes" is read by Mercato itself, not by the model."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic_ai import RunContext
from pydantic_ai.tools import ToolFuncContext

from mercato.agents.assistant.nlu.found import Entity
from mercato.agents.assistant.nlu.parser import Understanding
from mercato.agents.assistant.reply import Reply
from mercato.agents.assistant.skills import cart, cart_lines, checkout, orders, products, support
from mercato.agents.assistant.turn import Turn


@dataclass
class Steps:
    """The turn the model acts in, and what its tool calls did and showed."""

    turn: Turn
    text: str
    actions: list[dict[str, Any]] = field(default_factory=list)
    cards: list[dict[str, Any]] = field(default_factory=list)
    quick_replies: list[str] = field(default_factory=list)
    intents: list[str] = field(default_factory=list)
    last: str = ""
    """What the last tool said (the reply, if the model fails after a tool acted)."""

    def took(self, intent: str, reply: Reply) -> str:
        self.intents.append(intent)
        self.last = reply.text
        self.actions += reply.actions
        self.cards += reply.cards
        self.quick_replies = reply.quick_replies or self.quick_replies
        return reply.text


def _asked(steps: Steps, intent: str, **entities: str | float | None) -> Understanding:
    found = [
        Entity(kind, str(value), 0, 0)
        for kind, value in entities.items()
        if value not in (None, "")
    ]
    return Understanding(
        text=steps.text, intent=intent, confidence=1.0, ranking=[(intent, 1.0)], entities=found
    )


async def search_products(
    ctx: RunContext[Steps],
    query: str,
    max_price: float | None = None,
    min_price: float | None = None,
    size: str | None = None,
) -> str:
    """Find products for sale: what the shopper wants in a few words ("merino hoodie",
    "headphones for running"), optionally a price range and a size. Returns a numbered list."""
    u = _asked(
        ctx.deps,
        "search_products",
        product=query,
        price_max=max_price,
        price_min=min_price,
        size=size,
    )
    return ctx.deps.took("search_products", await products.search_products(ctx.deps.turn, u))


async def product_details(
    ctx: RunContext[Steps], product: str | None = None, position: int | None = None
) -> str:
    """A product's description, price, options and stock: by its name, or by its position
    in the last list shown (1 for the first; -1 for the last); neither for the one in focus."""
    u = _asked(ctx.deps, "product_details", product=product, ordinal=position)
    return ctx.deps.took("product_details", await products.product_details(ctx.deps.turn, u))


async def check_availability(
    ctx: RunContext[Steps],
    product: str | None = None,
    size: str | None = None,
    color: str | None = None,
) -> str:
    """Whether a product (by name; none for the one in focus) is in stock, in a size or colour."""
    u = _asked(ctx.deps, "check_availability", product=product, size=size, color=color)
    return ctx.deps.took("check_availability", await products.check_availability(ctx.deps.turn, u))


async def add_to_cart(
    ctx: RunContext[Steps],
    product: str | None = None,
    position: int | None = None,
    size: str | None = None,
    color: str | None = None,
    quantity: int = 1,
) -> str:
    """Put a product in the shopper's cart (by name, by its position in the last list, or the
    one in focus), with its size or colour when it has several (else the shopper is asked)."""
    u = _asked(
        ctx.deps,
        "add_to_cart",
        product=product,
        ordinal=position,
        size=size,
        color=color,
        quantity=quantity,
    )
    return ctx.deps.took("add_to_cart", await cart.add_to_cart(ctx.deps.turn, u))


async def change_cart_item(
    ctx: RunContext[Steps],
    item: str | None = None,
    quantity: int | None = None,
    size: str | None = None,
) -> str:
    """Change a cart line's quantity or size (the line by its product's name; none for the
    last one changed)."""
    u = _asked(ctx.deps, "update_cart_item", product=item, quantity=quantity, size=size)
    return ctx.deps.took("update_cart_item", await cart_lines.update_cart_item(ctx.deps.turn, u))


async def remove_from_cart(ctx: RunContext[Steps], item: str | None = None) -> str:
    """Remove a line from the cart (by its product's name; none for the last one changed)."""
    u = _asked(ctx.deps, "remove_from_cart", product=item)
    return ctx.deps.took("remove_from_cart", await cart_lines.remove_from_cart(ctx.deps.turn, u))


async def view_cart(ctx: RunContext[Steps]) -> str:
    """The shopper's cart: its lines, code and total."""
    return ctx.deps.took(
        "view_cart", await cart.view_cart(ctx.deps.turn, _asked(ctx.deps, "view_cart"))
    )


async def apply_discount(ctx: RunContext[Steps], code: str) -> str:
    """Apply a discount code the shopper gave to their cart."""
    u = _asked(ctx.deps, "apply_discount", discount_code=code.upper())
    return ctx.deps.took("apply_discount", await cart.apply_discount(ctx.deps.turn, u))


async def prepare_checkout(ctx: RunContext[Steps]) -> str:
    """Get the cart ready to check out: asks the shopper for what is missing (email, address)
    and then for their confirmation. Nothing is bought by this tool."""
    u = _asked(ctx.deps, "checkout")
    return ctx.deps.took("checkout", await checkout.checkout(ctx.deps.turn, u))


async def order_status(ctx: RunContext[Steps], order_number: str | None = None) -> str:
    """An order's status and tracking (by its number, ORD-…; none for the shopper's latest)."""
    u = _asked(ctx.deps, "order_status", order_ref=order_number)
    return ctx.deps.took("order_status", await orders.order_status(ctx.deps.turn, u))


async def prepare_cancel_order(ctx: RunContext[Steps], order_number: str | None = None) -> str:
    """Ask the shopper to confirm cancelling an order (by number). Nothing is cancelled by this
    tool; the shopper's yes does it."""
    u = _asked(ctx.deps, "cancel_order", order_ref=order_number)
    return ctx.deps.took("cancel_order", await orders.cancel_order(ctx.deps.turn, u))


async def prepare_address_change(
    ctx: RunContext[Steps],
    order_number: str | None = None,
    street: str | None = None,
    city: str | None = None,
    postal_code: str | None = None,
    country_code: str | None = None,
) -> str:
    """Ask the shopper to confirm a new shipping address for an order not yet shipped
    (country as ISO 3166 alpha-2). Nothing changes until they say yes."""
    u = _asked(
        ctx.deps, "change_shipping_address", order_ref=order_number, street=street, city=city,
        postal_code=postal_code, country=country_code,
    )  # fmt: skip
    return ctx.deps.took(
        "change_shipping_address", await orders.change_shipping_address(ctx.deps.turn, u)
    )


async def answer_question(ctx: RunContext[Steps], question: str) -> str:
    """The store's own answer (its FAQ) to a question about shipping, returns, payments,
    accounts and other policies. Use it rather than guessing a policy."""
    u = Understanding(
        text=question, intent="faq", confidence=1.0, ranking=[("faq", 1.0)], entities=[]
    )
    return ctx.deps.took("faq", await support.answer_from_faq(ctx.deps.turn, u))


async def hand_off_to_a_person(ctx: RunContext[Steps], reason: str) -> str:
    """Pass the conversation to the store's support team (a ticket with the transcript), when
    the shopper asks for a person or has a problem you cannot solve."""
    u = Understanding(text=reason, intent="human_handoff", confidence=1.0, ranking=[], entities=[])
    return ctx.deps.took("human_handoff", await support.hand_off(ctx.deps.turn, u, subject=reason))


TOOLS: list[ToolFuncContext[Steps, ...]] = [
    search_products,
    product_details,
    check_availability,
    add_to_cart,
    change_cart_item,
    remove_from_cart,
    view_cart,
    apply_discount,
    prepare_checkout,
    order_status,
    prepare_cancel_order,
    prepare_address_change,
    answer_question,
    hand_off_to_a_person,
]
