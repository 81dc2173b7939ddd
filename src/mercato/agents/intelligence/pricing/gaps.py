"""Price gaps between the store and its competitors, and where the store stands in its market
(seed 001, property 11). Pure functions over exact `Decimal` amounts: a gap is computed only
between prices in one currency; another currency's offer is reported, never compared."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from mercato.kernel.money import round_money

PERCENT = Decimal("0.01")
"""Gap percentages are answered to two decimals."""


@dataclass(frozen=True)
class Gap:
    """The store's price against one competitor's: `amount` = store - competitor (money, in
    their currency), `ratio` = (store - competitor) / competitor exactly, `percent` = ratio x
    100 to two decimals. Positive: the store is dearer. None of them across currencies."""

    amount: Decimal | None
    ratio: Decimal | None
    percent: Decimal | None
    comparable: bool


def price_gap(
    store_price: Decimal, store_currency: str, competitor_price: Decimal, competitor_currency: str
) -> Gap:
    """The gap from the competitor's price to the store's; not comparable (all None) when the
    currencies differ or the competitor's price is not above zero."""
    if store_currency.upper() != competitor_currency.upper() or competitor_price <= 0:
        return Gap(amount=None, ratio=None, percent=None, comparable=False)
    difference = store_price - competitor_price
    ratio = difference / competitor_price
    return Gap(
        amount=round_money(difference, store_currency),
        ratio=ratio,
        percent=(ratio * 100).quantize(PERCENT, rounding=ROUND_HALF_UP),
        comparable=True,
    )


@dataclass(frozen=True)
class Market:
    """The competitors' prices in the store's currency: lowest, median (the mean of the two
    middle ones for an even count, rounded by the currency) and highest."""

    min: Decimal
    median: Decimal
    max: Decimal
    count: int


def market(prices: Sequence[Decimal], currency: str) -> Market | None:
    """The market of `prices` (all in `currency`); None when there are none."""
    if not prices:
        return None
    ordered = sorted(prices)
    middle = len(ordered) // 2
    median = (
        ordered[middle]
        if len(ordered) % 2
        else round_money((ordered[middle - 1] + ordered[middle]) / 2, currency)
    )
    return Market(min=ordered[0], median=median, max=ordered[-1], count=len(ordered))


@dataclass(frozen=True)
class Position:
    """Where the store's price stands: `label` (cheapest, below_median, at_median,
    above_median, dearest), `rank` among the store and its competitors (1 = cheapest; ties
    share the better rank) and how many prices were ranked."""

    label: str
    rank: int
    of: int


def position(store_price: Decimal, prices: Sequence[Decimal], currency: str) -> Position | None:
    found = market(prices, currency)
    if found is None:
        return None
    rank = 1 + sum(1 for p in prices if p < store_price)
    if store_price <= found.min:
        label = "cheapest"
    elif store_price >= found.max:
        label = "dearest"
    elif store_price < found.median:
        label = "below_median"
    elif store_price > found.median:
        label = "above_median"
    else:
        label = "at_median"
    return Position(label=label, rank=rank, of=len(prices) + 1)
