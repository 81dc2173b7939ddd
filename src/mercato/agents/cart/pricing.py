"""Cart pricing: pure functions from lines, a discount, a tax rate and the store's settings
to the cart's totals. No database, no clock: the same inputs always price the same.

Rounding (rule 4): each line total is rounded to the currency's minor unit, the subtotal is
their exact sum, and the discount, the tax and the shipping are each rounded once. Tax is
charged on the goods after the discount (not on shipping).

- Tax-exclusive stores add the tax: total = subtotal - discount + tax + shipping.
- Tax-inclusive stores' prices already contain it: the total does not grow, and `tax` is
  the part of the discounted subtotal that is tax, gross - gross / (1 + rate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from mercato.agents.cart.statuses import DiscountKind
from mercato.kernel.money import round_money

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PricedLine:
    """One cart line as pricing sees it: its current unit price and what it needs.
    `counted` is False for a line that cannot be priced in the cart's currency (its product
    is sold in another): it costs nothing and ships nothing here, never mixing currencies."""

    unit_price: Decimal
    quantity: int
    requires_shipping: bool = True
    is_free: bool = False
    counted: bool = True


@dataclass(frozen=True)
class Discount:
    """An applied code: `value` percent off the subtotal, or a fixed amount off it."""

    kind: DiscountKind
    value: Decimal
    min_subtotal: Decimal | None = None


@dataclass(frozen=True)
class StorePricing:
    """The store's settings pricing reads."""

    prices_include_tax: bool
    flat_shipping: Decimal
    free_shipping_over: Decimal | None


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    shipping_total: Decimal
    total: Decimal
    line_totals: tuple[Decimal, ...]
    discount_applied: bool
    """False when there was no discount, or its minimum subtotal is not met."""
    minimum_not_met: bool
    """A discount was given whose `min_subtotal` the subtotal does not reach."""
    all_free: bool
    """Every line is a product marked free (EC010); vacuously true for an empty cart."""


def line_total(line: PricedLine, currency: str) -> Decimal:
    """Unit price x quantity, rounded; a product marked free (or a line not counted)
    costs nothing."""
    if line.is_free or not line.counted:
        return round_money(ZERO, currency)
    return round_money(line.unit_price * line.quantity, currency)


def discount_amount(discount: Discount, subtotal: Decimal, currency: str) -> Decimal:
    """Percent codes take value % of the subtotal; neither kind ever exceeds the subtotal."""
    if discount.kind == DiscountKind.PERCENT:
        amount = subtotal * min(discount.value, HUNDRED) / HUNDRED
    else:
        amount = discount.value
    return round_money(max(ZERO, min(amount, subtotal)), currency)


def tax_amount(
    taxable: Decimal, rate_percent: Decimal, *, inclusive: bool, currency: str
) -> Decimal:
    """The tax on `taxable` (exclusive), or the tax contained in it (inclusive)."""
    if rate_percent <= 0 or taxable <= 0:
        return round_money(ZERO, currency)
    rate = rate_percent / HUNDRED
    if inclusive:
        return round_money(taxable - taxable / (1 + rate), currency)
    return round_money(taxable * rate, currency)


def shipping_amount(
    lines: Sequence[PricedLine],
    discounted_subtotal: Decimal,
    store: StorePricing,
    currency: str,
    chosen: Decimal | None = None,
) -> Decimal:
    """The price of the shipping option chosen (`chosen`), or else the flat rate, when any
    counted line ships; the flat rate is waived from the free shipping threshold on (a
    chosen option's price has the threshold in it already: shipping quoted it)."""
    ships = any(line.requires_shipping and line.counted for line in lines)
    if chosen is not None:
        return round_money(chosen if ships else ZERO, currency)
    free = store.free_shipping_over is not None and discounted_subtotal >= store.free_shipping_over
    return round_money(store.flat_shipping if ships and not free else ZERO, currency)


def price(
    lines: Sequence[PricedLine],
    *,
    currency: str,
    store: StorePricing,
    tax_rate_percent: Decimal = ZERO,
    discount: Discount | None = None,
    chosen_shipping: Decimal | None = None,
) -> Totals:
    """The totals of a cart, in `currency` (`chosen_shipping`: the chosen option's price)."""
    line_totals = tuple(line_total(line, currency) for line in lines)
    subtotal = round_money(sum(line_totals, ZERO), currency)
    minimum_not_met = (
        discount is not None
        and discount.min_subtotal is not None
        and subtotal < discount.min_subtotal
    )
    applied = discount is not None and not minimum_not_met
    off = (
        discount_amount(discount, subtotal, currency)
        if applied and discount is not None
        else round_money(ZERO, currency)
    )
    discounted = subtotal - off
    tax = tax_amount(
        discounted, tax_rate_percent, inclusive=store.prices_include_tax, currency=currency
    )
    shipping = shipping_amount(lines, discounted, store, currency, chosen_shipping)
    total = discounted + shipping + (ZERO if store.prices_include_tax else tax)
    return Totals(
        subtotal=subtotal,
        discount_total=off,
        tax_total=tax,
        shipping_total=shipping,
        total=round_money(total, currency),
        line_totals=line_totals,
        discount_applied=applied,
        minimum_not_met=minimum_not_met,
        all_free=all(line.is_free for line in lines),
    )
