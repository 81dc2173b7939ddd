"""Carts: the lines a shopper chose, from the catalog, in the cart's currency; the cart of
an order (converted at checkout) and carts on their own (active, abandoned, a guest's)."""

from __future__ import annotations

from typing import Any

from mercato.agents.knowledge.testdata.catalog import Variant
from mercato.agents.knowledge.testdata.people import DAY
from mercato.agents.knowledge.testdata.scenarios import HIGH_VALUE_MINOR, MAX_LINES
from mercato.agents.knowledge.testdata.tools import HOUR, MINUTE, SECOND, Facts, Tools

ABANDON_AFTER_SECONDS = 3600
"""Settings.cart_abandon_after's default: idle carts are abandoned after an hour (BR020)."""
QUANTITIES = (1, 1, 1, 1, 1, 1, 2, 2, 3, 4)
LINE_COUNTS = (1, 1, 2, 2, 2, 3, 3, 4, 5)


def choose_lines(
    tools: Tools,
    scenario: str,
    currency: str,
    *,
    digital: bool = False,
    count: int | None = None,
    quantities: list[int] | None = None,
    variants: list[Variant] | None = None,
) -> list[tuple[Variant, int]]:
    """(variant, quantity) per line, distinct variants, in `currency`."""
    rng = tools.rng
    if variants is None:
        if count is None:
            if scenario == "single_item":
                count = 1
            elif scenario == "max_items":
                count = MAX_LINES
            else:
                count = LINE_COUNTS[int(rng.random() * len(LINE_COUNTS))]
        name = currency
        if digital:
            name += ":digital"
        elif scenario == "high_value":
            name += ":expensive"
        elif scenario == "international":
            name += ":ships"
        pool = tools.catalog.pool(name)
        variants = rng.sample(pool, min(count, len(pool)))
    if quantities is None:
        quantities = [
            1 if scenario == "single_item" else QUANTITIES[int(rng.random() * len(QUANTITIES))]
            for _ in variants
        ]
    lines = list(zip(variants, quantities, strict=True))
    if scenario == "high_value":
        total = sum(v.price * q for v, q in lines)
        while total < HIGH_VALUE_MINOR:
            variant, quantity = max(lines, key=lambda line: line[0].price)
            index = lines.index((variant, quantity))
            lines[index] = (variant, quantity + 1)
            total += variant.price
    return lines


def cart_record(
    tools: Tools,
    *,
    customer_id: str | None,
    session_id: str | None,
    currency: str,
    country: str | None,
    region: str | None,
    lines: list[tuple[Variant, int]],
    status: str,
    created: int,
    last_activity: int,
    abandoned_at: int | None = None,
    seen_prices: list[int] | None = None,
) -> dict[str, Any]:
    """A cart of `lines`, each added between its creation and its last activity at the
    variant's price (or the price the shopper saw, `seen_prices`: EC013)."""
    iso, text, between = tools.iso, tools.money(currency), tools.between
    new_item = tools.new_item_id
    span = max(last_activity - created, MINUTE)
    items = [
        {
            "id": new_item(),
            "variant_id": variant.id,
            "sku": variant.sku,
            "quantity": quantity,
            "unit_price": text(seen_prices[index] if seen_prices else variant.price),
            "added_at": iso(between(created, created + span)),
        }
        for index, (variant, quantity) in enumerate(lines)
    ]
    return {
        "id": tools.new_cart_id(),
        "status": status,
        "user_id": customer_id,
        "session_id": session_id,
        "currency": currency,
        "country": country,
        "region": region,
        "created_at": iso(created),
        "last_activity_at": iso(last_activity),
        "abandoned_at": iso(abandoned_at) if abandoned_at is not None else None,
        "items": items,
    }


def subtotal_of(lines: list[tuple[Variant, int]]) -> int:
    return sum(variant.price * quantity for variant, quantity in lines)


def cart_of_its_own(
    tools: Tools,
    scenario: str,
    customer: dict[str, Any] | None,
    *,
    lines: list[tuple[Variant, int]] | None = None,
    seen_prices: list[int] | None = None,
    restock: bool = True,
    currency: str = "USD",
    country: str = "US",
) -> tuple[dict[str, Any], Facts]:
    """A cart not (yet) checked out, in `currency` where the shopper is (`country`): active
    and touched within the hour, or abandoned after an hour idle (BR020); a guest's when
    `customer` is None. Its customer is nested."""
    now = tools.now
    if lines is None:
        lines = choose_lines(tools, scenario, currency)
    available = [v.take(q) if restock else v.available for v, q in lines]
    abandoned_at = None
    if scenario == "abandoned":
        last = now - tools.between(2 * HOUR, 30 * DAY)
        abandoned_at = last + ABANDON_AFTER_SECONDS * SECOND + tools.between(0, MINUTE)
        idle = (abandoned_at - last) / SECOND
    else:
        last = now - tools.between(MINUTE, 50 * MINUTE)
        idle = (now - last) / SECOND
    region = (
        customer["address"]["region"]
        if customer and country == customer["address"]["country"]
        else None
    )
    cart = cart_record(
        tools,
        customer_id=customer["id"] if customer else None,
        session_id=None if customer else tools.new_session_id(),
        currency=currency,
        country=country,
        region=region,
        lines=lines,
        status="abandoned" if abandoned_at else "active",
        created=last - tools.between(MINUTE, 2 * DAY),
        last_activity=last,
        abandoned_at=abandoned_at,
        seen_prices=seen_prices,
    )
    text = tools.money(currency)
    cart["subtotal"] = text(subtotal_of(lines))
    record = {"scenario": scenario, **cart, "customer": customer}
    return record, Facts(available, last, idle)
