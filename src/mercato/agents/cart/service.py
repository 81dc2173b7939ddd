"""Cart commands and queries: the only code that writes the cart agent's tables (with
`access`, `terms`, `codes`, `store`, `merge` and `abandonment`: ownership and the version
claim, where to tax and the code, discount codes, the store's settings, the guest-cart merge
and the abandonment sweep). Functions take the caller's unit of work and never commit.

Checkout (the orders agent) uses `validate`, then `hold`, `convert` or `give_back`
(`checkout.py`). Every write claims the cart's version first (`access.claim`, EC001).
Code outside the agent (checkout, the demo, the CLI) imports this module only: it also
re-exports the store's set-up (`ensure_settings`, `put_tax_rates`, `TaxRateSpec`), discount
codes (`create_code`, `find_code`, `CodeSpec`), and how a cart is priced (`price`,
`store_terms`: orders re-price a modified order the same way).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from mercato.agents.cart import codes, events, rows, shipping_choice, store, view
from mercato.agents.cart.access import (
    Shopper,
    answer,
    answer_rows,
    claim,
    claim_row,
    for_write,
    owner_of,
    read_cart,
    row_for_write,
)
from mercato.agents.cart.checkout import convert, give_back, hold
from mercato.agents.cart.codes import CodeSpec, create_code, redeem_code
from mercato.agents.cart.codes import find as find_code
from mercato.agents.cart.edge import run as run_command
from mercato.agents.cart.models import Cart
from mercato.agents.cart.pricing import Discount, PricedLine, Totals, price
from mercato.agents.cart.problems import (
    CartNotActive,
    CartNotFound,
    CartVersionConflict,
    CurrencyMismatch,
    ItemNotFound,
    VariantNotFound,
    VariantUnavailable,
)
from mercato.agents.cart.rows import CartFacts
from mercato.agents.cart.statuses import CartStatus, DiscountKind
from mercato.agents.cart.store import (
    TaxRateSpec,
    ensure_settings,
    put_tax_rates,
)
from mercato.agents.cart.store import terms as store_terms
from mercato.agents.cart.terms import apply_code, remove_code, set_address
from mercato.agents.cart.view import CartView, lines_of
from mercato.agents.catalog import service as catalog
from mercato.kernel import rules
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from mercato.kernel.rules import RuleViolated

__all__ = [
    "CartNotActive",
    "CartNotFound",
    "CartVersionConflict",
    "CartView",
    "CodeSpec",
    "Discount",
    "DiscountKind",
    "PricedLine",
    "Shopper",
    "TaxRateSpec",
    "Totals",
    "accept_prices",
    "add_item",
    "apply_code",
    "choose_shipping",
    "claim",
    "convert",
    "create_code",
    "ensure_settings",
    "find_code",
    "get_cart",
    "give_back",
    "hold",
    "open_cart",
    "price",
    "put_tax_rates",
    "redeem_code",
    "remove_code",
    "remove_item",
    "run_command",
    "set_address",
    "set_quantity",
    "store_terms",
    "validate",
]


# -- queries ----------------------------------------------------------------------------


async def open_cart(
    uow: UnitOfWork, *, principal: Principal, now: datetime
) -> tuple[CartView, bool]:
    """The owner's active cart, or a new one (True: created, `cart.created`)."""
    user_id, session_id = owner_of(principal)
    found = await rows.active(uow, user_id=user_id, session_id=session_id)
    if found is not None:
        return await view.build(uow, found, now=now), False
    terms = await store.terms(uow)
    currency = (
        terms.settings.currency
        if terms.has_row
        else (await store.ensure_settings(uow, now=now)).currency
    )
    cart = Cart(
        id=new_id(),
        user_id=user_id,
        session_id=session_id,
        status=CartStatus.ACTIVE,
        currency=currency,
        version=1,
        last_activity_at=now,
        created_at=now,
        updated_at=now,
    )
    if not await rows.add_unless_active(uow, cart):  # the owner's concurrent request won
        found = await rows.active(uow, user_id=user_id, session_id=session_id)
        if found is None:
            raise LookupError("an active cart refused the new one, and none is found")
        return await view.build(uow, found, now=now), False
    uow.publish(
        events.CartCreated(cart_id=cart.id, user_id=user_id, session_id=session_id),
        aggregate_id=cart.id,
    )
    return await view.build(uow, cart, now=now, lines=[]), True


async def get_cart(
    uow: UnitOfWork,
    *,
    cart_id: str,
    principal: Principal,
    now: datetime,
) -> CartView:
    """The cart with its problems, written nothing (a dead code is reported, not removed)."""
    cart, lines = await read_cart(uow, cart_id, principal)
    return await view.build(uow, cart, now=now, lines=lines)


async def validate(
    uow: UnitOfWork,
    *,
    cart_id: str,
    now: datetime,
    principal: Principal | None = None,
    stock_check: bool = True,
) -> CartView:
    """The cart as checkout sees it: every line problem (price changed since added, out of
    stock, too little stock, unavailable, another currency) and the cart's own (empty,
    codes, BR002 minimum total); with `stock_check=False` stock is left to the caller
    (checkout reserves it). A code that can no longer apply is taken off the cart
    here (a write: the version moves) and reported. `valid` is true when there is none."""
    cart, lines = await row_for_write(uow, cart_id, Shopper(principal) if principal else None)
    notices: list[view.CartProblem] = []
    if cart.discount_code:
        reason = codes.dead_reason(
            await codes.find(uow, cart.discount_code), now=now, currency=cart.currency
        )
        if reason is not None and reason in codes.REMOVED_WHEN_DEAD:
            notices = [view.removed_code_notice(reason, cart.discount_code)]
            cart = await rows.drop_code(uow, await claim_row(uow, cart, now=now))
    return await view.build(
        uow, cart, now=now, checkout=True, notices=notices, lines=lines, stock_check=stock_check
    )


# -- lines ----------------------------------------------------------------------------------


def _sellable(
    variant: catalog.SellableVariant | None, variant_id: str, currency: str
) -> catalog.SellableVariant:
    """The variant, if it may be put in a cart of `currency`."""
    if variant is None:
        raise VariantNotFound(f"no variant {variant_id!r}")
    if not variant.sellable:
        raise VariantUnavailable(f"{variant.name} is not for sale")
    if variant.currency != currency:
        raise CurrencyMismatch(
            f"{variant.name} is sold in {variant.currency}; the cart is in {currency}"
        )
    return variant


async def _require_stock(variant: catalog.SellableVariant, quantity: int, available: int) -> None:
    if not await rules.holds("BR014", quantity=quantity, available=available):
        detail = (
            f"{variant.name} is out of stock"
            if available <= 0
            else f"only {available} of {variant.name} available, {quantity} asked"
        )
        raise RuleViolated(rules.get("BR014"), detail, available=max(0, available))


async def _quantity_in_range(quantity: int) -> None:
    detail = f"quantity {quantity} is not between 1 and 99"
    await rules.enforce("BR001", detail=detail, quantity=quantity)


def _changed(
    uow: UnitOfWork, cart: CartFacts, variant_id: str, quantity: int, previous: int
) -> None:
    uow.publish(
        events.CartItemChanged(
            cart_id=cart.id, variant_id=variant_id, quantity=quantity, previous_quantity=previous
        ),
        aggregate_id=cart.id,
    )


async def add_item(
    uow: UnitOfWork,
    *,
    cart_id: str,
    shopper: Shopper,
    variant_id: str,
    quantity: int,
    now: datetime,
) -> CartView:
    """Add `quantity` of a variant; a variant already in the cart adds to its line. A new
    line records the price the shopper sees now; an existing line keeps the price it
    recorded, so a change since is still reported until accepted (EC013)."""
    cart, lines = await row_for_write(uow, cart_id, shopper)
    line = next((item for item in lines if item.variant_id == variant_id), None)
    # the variants and stock of every line and the new one, once: the checks and the view
    known = await view.Known.read(uow, [*(item.variant_id for item in lines), variant_id])
    variant = _sellable(known.variants.get(variant_id), variant_id, cart.currency)
    previous = line.quantity if line else 0
    await _quantity_in_range(quantity)
    await _quantity_in_range(previous + quantity)
    if line is None:
        await rules.enforce(
            "BR003",
            detail=f"the cart already has {len(lines)} distinct items, the most it may hold",
            lines=len(lines) + 1,
        )
    await _require_stock(variant, previous + quantity, known.stock.get(variant_id, 0))
    cart = await claim_row(uow, cart, now=now)
    if line is None:
        line = rows.LineRow(
            id=new_id(),
            variant_id=variant_id,
            product_id=variant.product_id,
            sku=variant.sku,
            name=variant.name,
            quantity=quantity,
            unit_price=variant.price,
        )
        await rows.add_line(uow, cart_id=cart.id, line=line, added_at=now)
        lines.append(line)
    else:
        # the line keeps the price it recorded (EC013: only `accept_prices` records today's)
        changed = replace(
            line,
            quantity=previous + quantity,
            product_id=variant.product_id,
            sku=variant.sku,
            name=variant.name,
        )
        await rows.change_line(uow, changed)
        lines[lines.index(line)] = changed
    _changed(uow, cart, variant_id, previous + quantity, previous)
    return await answer_rows(uow, cart, now=now, lines=lines, known=known)


def _line_of(lines: list[rows.LineRow], item_id: str) -> rows.LineRow:
    line = next((item for item in lines if item.id == item_id), None)
    if line is None:
        raise ItemNotFound(f"no line {item_id!r} in this cart")
    return line


async def set_quantity(
    uow: UnitOfWork,
    *,
    cart_id: str,
    item_id: str,
    shopper: Shopper,
    quantity: int,
    now: datetime,
) -> CartView:
    """Change a line's quantity (EC007): 0 removes it, 1-99 is kept, anything else is
    refused (BR001). A larger quantity must be in stock (BR014); the line keeps the price it
    recorded (EC013: a change since is reported until the shopper accepts it)."""
    cart, lines = await row_for_write(uow, cart_id, shopper)
    line = _line_of(lines, item_id)
    if quantity == 0:
        return await _remove(uow, cart, lines, line, now=now)
    await _quantity_in_range(quantity)
    previous = line.quantity
    # the variants and stock of every line, once: the check and the view
    known = await view.Known.read(uow, [item.variant_id for item in lines])
    variant = known.variants.get(line.variant_id)
    if quantity > previous:
        sellable = _sellable(variant, line.variant_id, cart.currency)
        await _require_stock(sellable, quantity, known.stock.get(line.variant_id, 0))
    cart = await claim_row(uow, cart, now=now)
    changed = replace(line, quantity=quantity)  # even if the product is gone: it may go down
    if variant is not None and variant.currency == cart.currency:
        # what the line shows of its product, never its recorded price (EC013)
        changed = replace(
            changed, product_id=variant.product_id, sku=variant.sku, name=variant.name
        )
    await rows.change_line(uow, changed)
    lines[lines.index(line)] = changed
    _changed(uow, cart, line.variant_id, quantity, previous)
    return await answer_rows(uow, cart, now=now, lines=lines, known=known)


async def remove_item(
    uow: UnitOfWork,
    *,
    cart_id: str,
    item_id: str,
    shopper: Shopper,
    now: datetime,
) -> CartView:
    cart, lines = await row_for_write(uow, cart_id, shopper)
    return await _remove(uow, cart, lines, _line_of(lines, item_id), now=now)


async def _remove(
    uow: UnitOfWork,
    cart: rows.CartRow,
    lines: list[rows.LineRow],
    line: rows.LineRow,
    *,
    now: datetime,
) -> CartView:
    cart = await claim_row(uow, cart, now=now)
    await rows.remove_line(uow, line.id)
    lines.remove(line)
    _changed(uow, cart, line.variant_id, 0, line.quantity)
    return await answer_rows(uow, cart, now=now, lines=lines)


async def choose_shipping(
    uow: UnitOfWork,
    *,
    cart_id: str,
    shopper: Shopper,
    choice: Mapping[str, Any] | None,
    now: datetime,
) -> CartView:
    """Keep the shipping option the shopper chose (the shipping agent's quote: `carrier`,
    `service`, `service_name`, `amount`, `currency`, `days_min`, `days_max`, `quote_id`),
    for the cart's items as they are now; None: back to the store's standard shipping."""
    cart, lines = await row_for_write(uow, cart_id, shopper)
    cart = await claim_row(uow, cart, now=now)
    kept = None
    if choice is not None:
        kept = {
            **choice,
            "items_key": shipping_choice.items_key((x.variant_id, x.quantity) for x in lines),
        }
    cart = await rows.set_shipping_choice(uow, cart, kept)
    return await answer_rows(uow, cart, now=now, lines=lines)


async def accept_prices(
    uow: UnitOfWork,
    *,
    cart_id: str,
    shopper: Shopper,
    now: datetime,
) -> CartView:
    """The shopper accepts today's prices (EC013): every line records its current price."""
    cart = await for_write(uow, cart_id, shopper)
    lines = await lines_of(uow, cart.id)
    variants = await catalog.sellable_variants(uow, [line.variant_id for line in lines])
    await claim(uow, cart, now=now)
    for line in lines:
        variant = variants.get(line.variant_id)
        if variant is not None and variant.currency == cart.currency:
            line.unit_price = variant.price
    return await answer(uow, cart, now=now)
