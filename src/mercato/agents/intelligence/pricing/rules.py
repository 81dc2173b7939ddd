"""Dynamic-pricing suggestions a merchant can follow without a demand model (seed 001,
properties 14 and 15): match the market's median, undercut its lowest price by a step, or
raise a price far below the median toward it. Whatever a rule proposes is then held at the
margin floor (cost + minimum margin), never below it; with no known cost there is no floor,
and a suggestion may then raise the price but never lower it. Each suggestion carries a
confidence in [0, 1] from the matches' confidence, the data's freshness and the number of
competitors, and its reason in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from mercato.agents.intelligence.pricing.gaps import Market, market
from mercato.kernel.money import quantum, round_money


@dataclass(frozen=True)
class Floor:
    """The lowest price that keeps the minimum margin: cost + cost x percent / 100 + amount,
    rounded up to the currency's minor unit (so a price at the floor keeps all of it)."""

    cost: Decimal
    min_margin_percent: Decimal
    min_margin_amount: Decimal
    currency: str

    @property
    def price(self) -> Decimal:
        exact = self.cost + self.cost * self.min_margin_percent / 100 + self.min_margin_amount
        return exact.quantize(quantum(self.currency), rounding=ROUND_CEILING)


@dataclass(frozen=True)
class Offer:
    """A matched competitor's latest price in the store's currency, as the rules see it."""

    price: Decimal
    match_confidence: float
    observed_at: datetime


@dataclass(frozen=True)
class Tuning:
    """The rules' knobs (`Settings.intel_pricing_*`)."""

    undercut_percent: Decimal = Decimal(1)
    """How far under the lowest price "undercut" goes (at least one minor unit)."""
    far_below_percent: Decimal = Decimal(10)
    """How far under the median a price is "far below" it."""
    tolerance_percent: Decimal = Decimal(1)
    """Within this of the median a price already matches it."""
    fresh_hours: float = 24.0
    """Observations this recent count as fully fresh…"""
    stale_hours: float = 168.0
    """…and this old as worthless (linear in between)."""


@dataclass(frozen=True)
class Suggestion:
    rule: str
    """match_median, undercut_lowest, raise_toward_median or raise_to_floor."""
    price: Decimal
    confidence: float
    reason: str
    floor: Decimal | None


def freshness(observed_at: datetime, now: datetime, tuning: Tuning) -> float:
    """1 for an observation within `fresh_hours`, 0 from `stale_hours`, linear between."""
    age = max(0.0, (now - observed_at).total_seconds() / 3600)
    if age <= tuning.fresh_hours:
        return 1.0
    if age >= tuning.stale_hours:
        return 0.0
    return 1.0 - (age - tuning.fresh_hours) / (tuning.stale_hours - tuning.fresh_hours)


def confidence(offers: Sequence[Offer], now: datetime, tuning: Tuning) -> float:
    """How far to trust a suggestion drawn from `offers`: the mean match confidence x the
    mean freshness x n / (n + 1) for n competitors (one competitor: at most 0.5), in [0, 1]."""
    if not offers:
        return 0.0
    count = len(offers)
    matched = sum(min(1.0, max(0.0, o.match_confidence)) for o in offers) / count
    fresh = sum(freshness(o.observed_at, now, tuning) for o in offers) / count
    return round(min(1.0, max(0.0, matched * fresh * count / (count + 1))), 3)


def _percent(part: Decimal, whole: Decimal) -> str:
    return format(((part / whole) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), "f")


def suggest(
    *,
    price: Decimal,
    currency: str,
    offers: Sequence[Offer],
    floor: Floor | None,
    now: datetime,
    tuning: Tuning | None = None,
) -> list[Suggestion]:
    """The suggestions for a product priced `price` against `offers` (same currency), at
    most one per rule and never two at one price, none equal to the current price."""
    tuning = tuning or Tuning()
    floor_price = floor.price if floor is not None else None
    found = market([o.price for o in offers], currency)
    trust = confidence(offers, now, tuning)
    ideas: list[tuple[str, Decimal, str, float]] = []
    if floor_price is not None and price < floor_price:
        ideas.append(
            ("raise_to_floor", floor_price,
             f"{price} {currency} is below your margin floor of {floor_price} (cost "
             f"{floor.cost if floor else ''} plus your minimum margin)", 1.0)
        )  # fmt: skip
    if found is not None:
        ideas.extend((rule, target, why, trust) for rule, target, why in _market_ideas(
            price, currency, found, tuning
        ))  # fmt: skip
    suggestions: list[Suggestion] = []
    for rule, target, why, trust_of in ideas:
        held = _held(round_money(target, currency), price, floor_price)
        if held is None or held == price or any(s.price == held for s in suggestions):
            continue
        reason = why
        if held != round_money(target, currency):
            reason += (
                f"; held at your margin floor of {floor_price} {currency}"
                if floor_price is not None
                else "; no cost is known for this product, so the price is not lowered "
                "(set its cost to allow it)"
            )
        suggestions.append(Suggestion(rule, held, trust_of, reason, floor_price))
    return suggestions


def _held(target: Decimal, price: Decimal, floor_price: Decimal | None) -> Decimal | None:
    """The target kept at the floor, or with no floor, never under the current price."""
    bottom = floor_price if floor_price is not None else price
    held = max(target, bottom)
    return held if held > 0 else None


def _market_ideas(
    price: Decimal, currency: str, found: Market, tuning: Tuning
) -> list[tuple[str, Decimal, str]]:
    ideas: list[tuple[str, Decimal, str]] = []
    of = f"{found.count} competitor{'s' if found.count != 1 else ''}"
    median, lowest = found.median, found.min
    if price > median * (1 + tuning.tolerance_percent / 100):
        ideas.append(
            ("match_median", median,
             f"{price} {currency} is {_percent(price - median, median)} % above the median "
             f"price of {of} ({median} {currency}): match the median")
        )  # fmt: skip
    if price > lowest:
        step = max(quantum(currency), round_money(lowest * tuning.undercut_percent / 100, currency))
        ideas.append(
            ("undercut_lowest", lowest - step,
             f"the lowest price among {of} is {lowest} {currency}: undercut it by {step} "
             f"{currency} to be the cheapest")
        )  # fmt: skip
    if price < median * (1 - tuning.far_below_percent / 100):
        step = max(quantum(currency), round_money(median * tuning.undercut_percent / 100, currency))
        ideas.append(
            ("raise_toward_median", median - step,
             f"{price} {currency} is {_percent(median - price, median)} % below the median "
             f"price of {of} ({median} {currency}): raise it to just under the median")
        )  # fmt: skip
    return ideas
