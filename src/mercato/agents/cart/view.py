"""What a cart is now: its lines at current prices and stock, its totals, and every problem
that would stop it checking out (EC013 price changes, stock, availability, codes, BR002).

Building a view only reads: the catalog's and inventory's answers through their services,
the store's settings and rates. Commands decide what to write; the view reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from mercato.agents.cart import codes, pricing, rows, shipping_choice, store
from mercato.agents.cart.models import CartItem
from mercato.agents.cart.rows import CartFacts, LineFacts
from mercato.agents.cart.rules import CHECKOUT_MINIMUM
from mercato.agents.catalog import service as catalog
from mercato.agents.inventory import service as inventory
from mercato.kernel import rules
from mercato.kernel.db import UnitOfWork
from mercato.kernel.money import round_money


@dataclass(frozen=True)
class CartProblem:
    code: str
    detail: str
    item_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemView:
    id: str
    variant_id: str
    product_id: str
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    """The current price; the price recorded for the line if its variant is gone or is sold
    in another currency than the cart's (such a line counts 0 in the totals)."""
    price_at_add: Decimal
    line_total: Decimal
    available: int
    requires_shipping: bool
    merchant_id: str | None = None
    """Who sells it (the catalog's), for the order's lines."""


@dataclass(frozen=True)
class CartView:
    id: str
    status: str
    currency: str
    country: str
    region: str | None
    version: int
    items: list[ItemView]
    discount_code: str | None
    totals: pricing.Totals
    problems: list[CartProblem]
    created_at: datetime
    updated_at: datetime
    shipping_option: Mapping[str, Any] | None = None
    """The shipping option chosen, while it prices the cart (`shipping_choice.current`)."""

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Known:
    """The variants and stock of a cart's lines (at least), read once by a command that
    needs them itself before the view (adding an item)."""

    variants: Mapping[str, catalog.SellableVariant]
    stock: Mapping[str, int]
    """Empty when not read (`stock=False`: the caller checks stock itself)."""

    @classmethod
    async def read(
        cls, uow: UnitOfWork, variant_ids: Iterable[str], *, stock: bool = True
    ) -> Known:
        ids = list(variant_ids)
        return cls(
            await catalog.sellable_variants(uow, ids),
            await inventory.available(uow, ids) if stock else {},
        )


async def lines_of(uow: UnitOfWork, cart_id: str) -> list[CartItem]:
    """The lines as entities, for a command that changes them (the view reads rows)."""
    found = await uow.session.scalars(
        select(CartItem).where(CartItem.cart_id == cart_id).order_by(CartItem.added_at, CartItem.id)
    )
    return list(found)


def _money(amount: Decimal, currency: str) -> str:
    return format(round_money(amount, currency), "f")


async def _line_problems(
    line: LineFacts, variant: catalog.SellableVariant | None, available: int | None, currency: str
) -> list[CartProblem]:
    if variant is None or not variant.sellable:
        return [CartProblem("unavailable", f"{line.name} is no longer for sale", line.id)]
    found: list[CartProblem] = []
    if variant.currency != currency:
        # its price is an amount of another currency: no price change can be told
        found.append(
            CartProblem(
                "currency_mismatch",
                f"{line.name} is sold in {variant.currency}, the cart is in {currency}",
                line.id,
                {"product_currency": variant.currency},
            )
        )
    elif variant.price != line.unit_price:
        old, new = _money(line.unit_price, currency), _money(variant.price, currency)
        found.append(
            CartProblem(
                "price_changed",
                f"the price of {line.name} changed from {old} to {new}",
                line.id,
                {"old_price": old, "new_price": new},
            )
        )
    if available is None:  # the caller checks stock itself
        return found
    if not await rules.holds("BR014", quantity=line.quantity, available=available):
        if available <= 0:
            found.append(
                CartProblem(
                    "out_of_stock",
                    f"{line.name} is out of stock",
                    line.id,
                    {"rule": "BR014", "available": 0},
                )
            )
        else:
            found.append(
                CartProblem(
                    "insufficient_stock",
                    f"only {available} of {line.name} left, the cart holds {line.quantity}",
                    line.id,
                    {"rule": "BR014", "available": available, "quantity": line.quantity},
                )
            )
    return found


def _merchant(variant: catalog.SellableVariant | None) -> str | None:
    return variant.merchant_id if variant is not None else None


def _priced(
    line: LineFacts, variant: catalog.SellableVariant | None, currency: str
) -> pricing.PricedLine:
    """The line as pricing sees it: at its current price (the price recorded if its variant
    is gone); not counted if its product is sold in another currency than the cart's."""
    if variant is None:
        return pricing.PricedLine(unit_price=line.unit_price, quantity=line.quantity)
    if variant.currency != currency:
        return pricing.PricedLine(
            unit_price=line.unit_price,
            quantity=line.quantity,
            requires_shipping=variant.requires_shipping,
            counted=False,
        )
    return pricing.PricedLine(
        unit_price=variant.price,
        quantity=line.quantity,
        requires_shipping=variant.requires_shipping,
        is_free=variant.is_free,
    )


async def build(
    uow: UnitOfWork,
    cart: CartFacts,
    *,
    now: datetime,
    checkout: bool = False,
    notices: Iterable[CartProblem] = (),
    lines: Sequence[LineFacts] | None = None,
    stock_check: bool = True,
    known: Known | None = None,
) -> CartView:
    """The cart as it is now. `checkout` adds the checkout-only problems (`empty_cart`,
    BR002 `total_below_minimum`); `notices` are problems a command already found (a code it
    took off the cart). `stock_check=False` leaves stock to the caller (checkout reserves
    it, which tells the short lines itself): `available` is then the line's quantity.
    `known`: the lines' variants and stock, if the command read them already."""
    lines = list(lines) if lines is not None else await rows.lines(uow, cart.id)
    terms = await store.terms(uow)
    settings, (country, region) = terms.settings, terms.place(cart.country, cart.region)
    rate = terms.rate(country, region)
    ids = [line.variant_id for line in lines]
    known = known or await Known.read(uow, ids, stock=stock_check)
    variants, stock = known.variants, known.stock if stock_check else None
    problems = list(notices)
    # Every line in the cart's currency is priced, at its current price (the price last seen
    # if its variant is gone), so the totals add up to what the lines show; a line in another
    # currency counts 0. Lines that cannot be bought are reported as problems, and
    # validation refuses the cart until they are dealt with.
    priced: list[pricing.PricedLine] = []
    for line in lines:
        variant = variants.get(line.variant_id)
        available = stock.get(line.variant_id, 0) if stock is not None else None
        problems += await _line_problems(line, variant, available, cart.currency)
        priced.append(_priced(line, variant, cart.currency))
    store_pricing = settings.pricing
    if settings.currency != cart.currency:
        # the flat rate and the free-shipping threshold are amounts of the store's currency
        # now, not the cart's: shipping cannot be estimated, and checkout is refused
        store_pricing = replace(store_pricing, flat_shipping=pricing.ZERO, free_shipping_over=None)
        if any(p.requires_shipping and p.counted for p in priced):
            problems.append(_shipping_unavailable(settings.currency, cart.currency))
    code_row: codes.CodeTerms | None = None
    discount: pricing.Discount | None = None
    if cart.discount_code:
        code_row = await codes.find(uow, cart.discount_code)
        reason = codes.dead_reason(code_row, now=now, currency=cart.currency)
        if reason is None and code_row is not None:
            discount = codes.as_discount(code_row)
        else:
            problems.append(_code_problem(reason or "discount_code_not_found", cart.discount_code))
    choice = shipping_choice.current(cart.shipping_choice, lines, cart.currency)
    totals = pricing.price(
        priced,
        currency=cart.currency,
        store=store_pricing,
        tax_rate_percent=rate,
        discount=discount,
        chosen_shipping=shipping_choice.amount_of(choice),
    )
    if totals.minimum_not_met and code_row is not None and code_row.min_subtotal is not None:
        problems.append(
            CartProblem(
                "discount_minimum_not_met",
                codes.DETAILS["discount_minimum_not_met"].format(
                    code=code_row.code, minimum=_money(code_row.min_subtotal, cart.currency)
                ),
                extra={
                    "discount_code": code_row.code,
                    "min_subtotal": _money(code_row.min_subtotal, cart.currency),
                },
            )
        )
    if checkout:
        problems += await _checkout_problems(lines, totals, cart.currency)
    items = [
        ItemView(
            id=line.id,
            variant_id=line.variant_id,
            product_id=line.product_id,
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            unit_price=round_money(priced_line.unit_price, cart.currency),
            price_at_add=round_money(line.unit_price, cart.currency),
            line_total=line_total,
            available=max(0, stock.get(line.variant_id, 0)) if stock is not None else line.quantity,
            requires_shipping=priced_line.requires_shipping,
            merchant_id=_merchant(variants.get(line.variant_id)),
        )
        for line, priced_line, line_total in zip(lines, priced, totals.line_totals, strict=True)
    ]
    return CartView(
        id=cart.id,
        status=cart.status,
        currency=cart.currency,
        country=country,
        region=region,
        version=cart.version,
        items=items,
        discount_code=cart.discount_code,
        totals=totals,
        problems=problems,
        created_at=cart.created_at,
        updated_at=cart.updated_at,
        shipping_option=choice,
    )


def _shipping_unavailable(store_currency: str, cart_currency: str) -> CartProblem:
    return CartProblem(
        "shipping_unavailable",
        f"shipping is priced in {store_currency} and the cart is in {cart_currency}: "
        "it cannot be estimated for this cart",
        extra={"shipping_currency": store_currency, "cart_currency": cart_currency},
    )


def _code_problem(reason: str, code: str, *, removed: bool = False) -> CartProblem:
    detail = codes.DETAILS[reason].format(code=code)
    if removed:
        detail += ": it was removed from the cart"
    return CartProblem(reason, detail, extra={"discount_code": code, "removed": removed})


def removed_code_notice(reason: str, code: str) -> CartProblem:
    """What the shopper is told when a dead code is taken off their cart (EC014)."""
    return _code_problem(reason, code, removed=True)


async def _checkout_problems(
    lines: Sequence[LineFacts], totals: pricing.Totals, currency: str
) -> list[CartProblem]:
    if not lines:
        return [CartProblem("empty_cart", "the cart has no items")]
    if not await rules.holds("BR002", total=totals.total, all_free=totals.all_free):
        rule = rules.get("BR002")
        total = _money(totals.total, currency)
        return [
            CartProblem(
                "total_below_minimum",
                f"{rule.constraint} (the total is {total} {currency})",
                extra={
                    "rule": rule.id,
                    "total": total,
                    "minimum": _money(CHECKOUT_MINIMUM, currency),
                },
            )
        ]
    return []
