"""Seed 001's pricing properties on the pure functions: price gaps (11), alerts on
significant changes (12), suggestions never below the margin floor (14) and a confidence on
every suggestion (15). Promotions (13) are in test_promotions.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.pricing.changes import price_change
from mercato.agents.intelligence.pricing.gaps import market, position, price_gap
from mercato.agents.intelligence.pricing.rules import Floor, Offer, Tuning, confidence, suggest
from mercato.kernel.money import quantum, round_money

PROPERTY = settings(max_examples=100, deadline=None)
CURRENCIES = st.sampled_from(["USD", "EUR", "GBP", "JPY", "KWD"])
NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


@st.composite
def prices(draw: st.DrawFn, currency: str, low: str = "0.01", high: str = "100000") -> Decimal:
    """A price in the currency's minor units."""
    step = quantum(currency)
    units = draw(st.integers(min_value=1, max_value=int(Decimal(high) / step)))
    return max(Decimal(low), units * step).quantize(step)


@st.composite
def offers(draw: st.DrawFn, currency: str, max_size: int = 8) -> list[Offer]:
    found = []
    for _ in range(draw(st.integers(min_value=0, max_value=max_size))):
        found.append(
            Offer(
                price=draw(prices(currency)),
                match_confidence=draw(st.floats(min_value=0, max_value=1)),
                observed_at=NOW - timedelta(hours=draw(st.floats(min_value=0, max_value=400))),
            )
        )
    return found


@pytest.mark.seed_property(11)
@PROPERTY
@given(data=st.data(), currency=CURRENCIES, other=CURRENCIES)
def test_property_11_price_gaps_are_calculated_correctly(
    data: st.DataObject, currency: str, other: str
) -> None:
    # given the store's price and a competitor's, in the same currency or not
    store = data.draw(prices(currency))
    competitor = data.draw(prices(other))
    # when the gap is computed
    gap = price_gap(store, currency, competitor, other)
    # then in one currency it is store - competitor exactly, its ratio exact, its percent
    # the ratio x 100 rounded to two decimals; across currencies nothing is compared
    if currency != other:
        assert (gap.comparable, gap.amount, gap.ratio, gap.percent) == (False, None, None, None)
        return
    assert gap.comparable
    assert gap.amount == store - competitor == round_money(store - competitor, currency)
    assert gap.ratio is not None and gap.ratio * competitor == pytest.approx(store - competitor)
    assert gap.ratio == (store - competitor) / competitor
    assert gap.percent == (gap.ratio * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert (gap.amount > 0) == (store > competitor) and (gap.amount == 0) == (store == competitor)


@pytest.mark.seed_property(11)
@PROPERTY
@given(data=st.data(), currency=CURRENCIES)
def test_property_11_market_and_position_follow_the_prices(
    data: st.DataObject, currency: str
) -> None:
    # given the store's price and its competitors' in its currency
    store = data.draw(prices(currency))
    others = data.draw(st.lists(prices(currency), min_size=1, max_size=9))
    # when the market and the position are computed
    found = market(others, currency)
    where = position(store, others, currency)
    # then min and max are the extremes, the median lies between them (rounded by the
    # currency), and the rank counts the competitors cheaper than the store
    assert found is not None and where is not None
    assert (found.min, found.max, found.count) == (min(others), max(others), len(others))
    assert found.min <= found.median <= found.max
    assert found.median == round_money(found.median, currency)
    assert where.rank == 1 + sum(1 for p in others if p < store) and where.of == len(others) + 1
    if store <= found.min:
        assert where.label == "cheapest"
    elif store >= found.max:
        assert where.label == "dearest"
    else:
        assert where.label in {"below_median", "at_median", "above_median"}


@pytest.mark.seed_property(12)
@PROPERTY
@given(
    data=st.data(),
    currency=CURRENCIES,
    threshold=st.decimals(min_value="0.5", max_value="50", places=2),
)
def test_property_12_significant_price_changes_trigger_alerts(
    data: st.DataObject, currency: str, threshold: Decimal
) -> None:
    # given a competitor's previous and new price, and the alert threshold
    old = data.draw(prices(currency))
    new = data.draw(
        st.one_of(
            prices(currency),
            # near the threshold on both sides, where an off-by-one would hide
            st.sampled_from([Decimal(-1), Decimal(1)]).map(
                lambda sign: round_money(old * (1 + sign * threshold / 100), currency)
            ),
        ).filter(lambda p: p > 0)
    )
    # when the change is checked
    change = price_change(old, currency, new, currency, threshold=threshold)
    # then it alerts exactly when the change is at least the threshold
    moved = abs(new - old) / old * 100
    if moved >= threshold:
        assert change is not None
        assert change.ratio == (new - old) / old
        assert change.direction == ("up" if new > old else "down")
    else:
        assert change is None
    # and never across currencies
    assert price_change(old, currency, new, "XXX", threshold=threshold) is None


def floors(currency: str) -> st.SearchStrategy[Floor | None]:
    return st.one_of(
        st.none(),
        st.builds(
            Floor,
            cost=prices(currency, high="5000"),
            min_margin_percent=st.decimals(min_value=0, max_value=200, places=2),
            min_margin_amount=st.sampled_from([Decimal(0), quantum(currency) * 50]),
            currency=st.just(currency),
        ),
    )


@pytest.mark.seed_property(14)
@PROPERTY
@given(data=st.data(), currency=CURRENCIES)
def test_property_14_pricing_recommendations_respect_margin_constraints(
    data: st.DataObject, currency: str
) -> None:
    # given a product's price, its competitors' offers and its floor (or no known cost)
    price = data.draw(prices(currency))
    floor = data.draw(floors(currency))
    tuning = Tuning(undercut_percent=data.draw(st.decimals(min_value=0, max_value=10, places=1)))
    # when suggestions are made
    made = suggest(
        price=price,
        currency=currency,
        offers=data.draw(offers(currency)),
        floor=floor,
        now=NOW,
        tuning=tuning,
    )
    # then none is below cost + minimum margin; with no cost known, none lowers the price
    for suggestion in made:
        assert suggestion.price == round_money(suggestion.price, currency)
        assert suggestion.price != price and suggestion.price > 0
        if floor is None:
            assert suggestion.floor is None and suggestion.price > price
        else:
            exact = floor.cost * (1 + floor.min_margin_percent / 100) + floor.min_margin_amount
            assert suggestion.floor == floor.price >= exact
            assert suggestion.price >= exact
    assert len({s.price for s in made}) == len(made)


@pytest.mark.seed_property(15)
@PROPERTY
@given(data=st.data(), currency=CURRENCIES)
def test_property_15_all_recommendations_include_confidence_scores(
    data: st.DataObject, currency: str
) -> None:
    # given any product, offers and floor
    price = data.draw(prices(currency))
    found = data.draw(offers(currency))
    made = suggest(
        price=price, currency=currency, offers=found, floor=data.draw(floors(currency)), now=NOW
    )
    # then every suggestion carries a confidence in [0, 1] and a reason in words
    for suggestion in made:
        assert 0.0 <= suggestion.confidence <= 1.0
        assert len(suggestion.reason) > 20 and currency in suggestion.reason
        if suggestion.rule != "raise_to_floor":
            assert suggestion.confidence == confidence(found, NOW, Tuning())
    # and the confidence grows with more equally trusted competitors, never past 1
    assert 0.0 <= confidence(found, NOW, Tuning()) <= 1.0
    if found:
        doubled = confidence([*found, *found], NOW, Tuning())
        assert doubled >= confidence(found, NOW, Tuning())


def test_confidence_falls_with_staleness_and_weak_matches() -> None:
    # given three fresh, fully confident matches
    fresh = [Offer(Decimal("10.00"), 1.0, NOW) for _ in range(3)]
    # then the confidence is 3/4 (three competitors), and falls as they age or weaken
    assert confidence(fresh, NOW, Tuning()) == 0.75
    aged = [Offer(o.price, 1.0, NOW - timedelta(hours=96)) for o in fresh]
    assert confidence(aged, NOW, Tuning()) == 0.375
    gone = [Offer(o.price, 1.0, NOW - timedelta(days=30)) for o in fresh]
    assert confidence(gone, NOW, Tuning()) == 0.0
    weak = [Offer(o.price, 0.5, NOW) for o in fresh]
    assert confidence(weak, NOW, Tuning()) == 0.375


def test_the_rules_a_merchant_reads() -> None:
    # given a product at 30.00 against 20.00, 24.00 and 26.00, costing 15.00 with 20 % margin
    market_offers = [Offer(Decimal(p), 1.0, NOW) for p in ("20.00", "24.00", "26.00")]
    floor = Floor(Decimal("15.00"), Decimal(20), Decimal(0), "EUR")
    # when suggestions are made
    made = {s.rule: s for s in suggest(
        price=Decimal("30.00"), currency="EUR", offers=market_offers, floor=floor, now=NOW
    )}  # fmt: skip
    # then it may match the median or undercut the lowest by 1 % (0.20), above the floor 18.00
    assert made["match_median"].price == Decimal("24.00")
    assert made["undercut_lowest"].price == Decimal("19.80")
    assert "above the median" in made["match_median"].reason
    assert all(s.floor == Decimal("18.00") for s in made.values())
    # given a floor above the lowest competitor: the undercut is held at the floor
    high = Floor(Decimal("18.00"), Decimal(10), Decimal(0), "EUR")
    held = {s.rule: s for s in suggest(
        price=Decimal("30.00"), currency="EUR", offers=market_offers, floor=high, now=NOW
    )}  # fmt: skip
    assert held["undercut_lowest"].price == Decimal("19.80")
    higher = Floor(Decimal("20.00"), Decimal(10), Decimal(0), "EUR")
    capped = {s.rule: s for s in suggest(
        price=Decimal("30.00"), currency="EUR", offers=market_offers, floor=higher, now=NOW
    )}  # fmt: skip
    assert capped["undercut_lowest"].price == Decimal("22.00")
    assert "margin floor of 22.00" in capped["undercut_lowest"].reason
    # given no cost: nothing lowers the price, and a price far below the median is raised
    assert (
        suggest(price=Decimal("30.00"), currency="EUR", offers=market_offers, floor=None, now=NOW)
        == []
    )
    raised = suggest(
        price=Decimal("15.00"), currency="EUR", offers=market_offers, floor=None, now=NOW
    )
    assert [(s.rule, s.price) for s in raised] == [("raise_toward_median", Decimal("23.76"))]
    # given a price under the floor: raising it to the floor comes first, fully confident
    under = suggest(price=Decimal("16.00"), currency="EUR", offers=[], floor=floor, now=NOW)
    assert [(s.rule, s.price, s.confidence) for s in under] == [
        ("raise_to_floor", Decimal("18.00"), 1.0)
    ]
