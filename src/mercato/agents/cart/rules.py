"""The cart's business rules (seed 000): each registered once here and enforced where it
applies (`rules.enforce` / `rules.holds` in the cart's service, validation and jobs)."""

from __future__ import annotations

from decimal import Decimal

from mercato.kernel.rules import business_rule

MAX_QUANTITY = 99
MAX_LINES = 100
CHECKOUT_MINIMUM = Decimal("1.00")


@business_rule(
    "BR001",
    name="cart_item_quantity_limit",
    entity="cart_item",
    condition="always: a line is added, changed or merged",
    constraint="quantity per item must be between 1 and 99",
    status=422,
)
def quantity_in_range(*, quantity: int) -> bool:
    return 1 <= quantity <= MAX_QUANTITY


@business_rule(
    "BR002",
    name="cart_total_minimum",
    entity="cart",
    condition="at checkout (cart validation)",
    constraint="cart total must be >= 1.00 for payment processing, unless every line is a "
    "product marked free",
    status=422,
)
def total_reaches_minimum(*, total: Decimal, all_free: bool) -> bool:
    return all_free or total >= CHECKOUT_MINIMUM


@business_rule(
    "BR003",
    name="cart_item_limit",
    entity="cart",
    condition="when adding items",
    constraint="a cart cannot exceed 100 unique items",
    status=422,
)
def lines_within_limit(*, lines: int) -> bool:
    return lines <= MAX_LINES


@business_rule(
    "BR014",
    name="stock_required_for_sale",
    entity="product",
    condition="at add to cart (and when a line's quantity grows)",
    constraint="product must have positive inventory to be purchasable, enough for the line",
    status=409,
)
def stock_covers(*, quantity: int, available: int) -> bool:
    return available > 0 and quantity <= available


@business_rule(
    "BR020",
    name="cart_abandonment_threshold",
    entity="cart",
    condition="workflow cart_abandonment: the abandonment sweep looks at an active cart",
    constraint="a cart with items idle for an hour is abandoned, and announced once",
    severity="info",
    status=200,
)
def is_abandoned(
    *, items: int, idle_seconds: float, threshold_seconds: int, already_announced: bool
) -> bool:
    """True when the cart must be announced as abandoned now."""
    return items > 0 and idle_seconds >= threshold_seconds and not already_announced
