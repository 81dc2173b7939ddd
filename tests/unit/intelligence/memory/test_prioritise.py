"""How a report orders its actions and metrics by what pays and what the user cares about:
actions prioritised by impact over effort (seed 001 property 37), raised by the user's
marketplace focus (40) and business goals (41); actions below the margin floor last; the
user's KPIs' metrics first."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from itertools import permutations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.ask.findings import LEVEL_RANK, Action, Level, Metric
from mercato.agents.intelligence.memory.preferences import GOALS, KPIS, Preferences
from mercato.agents.intelligence.memory.prioritise import (
    GOAL_TOPICS,
    kpi_of,
    order_metrics,
    prioritise,
)

PROPERTY = settings(max_examples=100, deadline=None, database=None)
LEVELS = st.sampled_from(list(Level))
TOPICS = (
    "revenue", "stock", "margin", "stock_clearance", "reviews", "price_cut", "price_match",
    "price", "units", "sales", "returns", "rating", "sentiment", "marketplace",
    "marketplace:amazon", "marketplace:ebay", "below_margin_floor",
)  # fmt: skip
NO_PREFERENCES = Preferences()


@st.composite
def actions(draw: st.DrawFn, topics: tuple[str, ...] = TOPICS) -> Action:
    return Action(
        key=draw(st.text("abcdef", min_size=1, max_size=4)),
        title=draw(st.sampled_from(["Cut the price", "Restock", "Answer reviews"])),
        detail="Because the figures say so.",
        impact=draw(LEVELS),
        effort=draw(LEVELS),
        topics=tuple(draw(st.lists(st.sampled_from(topics), max_size=4, unique=True))),
    )


@st.composite
def preferences(draw: st.DrawFn) -> Preferences:
    return Preferences(
        kpis=tuple(draw(st.lists(st.sampled_from(KPIS), max_size=4, unique=True))),
        marketplaces=tuple(
            draw(st.lists(st.sampled_from(["amazon", "ebay", "own_store"]), unique=True))
        ),
        goals=tuple(draw(st.lists(st.sampled_from(GOALS), max_size=3, unique=True))),
    )


def _rank_of(ranked: list[Action], action: Action) -> int:
    return next(a.priority for a in ranked if a.key == action.key and a.topics == action.topics)


@pytest.mark.seed_property(37)
@PROPERTY
@given(items=st.lists(actions(), max_size=12))
def test_property_37_actions_are_prioritised_by_impact_over_effort(items: list[Action]) -> None:
    # when a list of actions is prioritised for a user with no preferences
    ranked = prioritise(items, NO_PREFERENCES)

    # then priorities run 1..n, each once
    assert sorted(a.priority for a in ranked) == list(range(1, len(items) + 1))
    # and, among actions on the same side of the margin floor, a higher impact at equal
    # effort, or a lower effort at equal impact, never ranks below
    for a, b in permutations(ranked, 2):
        if ("below_margin_floor" in a.topics) != ("below_margin_floor" in b.topics):
            continue
        if a.effort == b.effort and LEVEL_RANK[a.impact] > LEVEL_RANK[b.impact]:
            assert a.priority < b.priority
        if a.impact == b.impact and LEVEL_RANK[a.effort] < LEVEL_RANK[b.effort]:
            assert a.priority < b.priority


@pytest.mark.seed_property(40)
@PROPERTY
@given(
    base=actions(),
    others=st.lists(actions(), max_size=6),
    prefs=preferences(),
    marketplace=st.sampled_from(["amazon", "ebay", "own_store"]),
)
def test_property_40_a_focused_marketplace_raises_its_actions(
    base: Action, others: list[Action], prefs: Preferences, marketplace: str
) -> None:
    # given two actions alike but for a tag of the marketplace (the untagged one has no
    # marketplace's), the tagged one's key sorting last, and a user who does not pursue
    # grow_marketplace (which any tag serves)
    prefs = replace(prefs, goals=tuple(g for g in prefs.goals if g != "grow_marketplace"))
    plain = replace(base, key="zz-plain", topics=tuple(t for t in base.topics if ":" not in t))
    tagged = replace(plain, key="zz-tagged", topics=(*plain.topics, f"marketplace:{marketplace}"))
    listed = [*others, plain, tagged]
    focused = replace(prefs, marketplaces=(*prefs.marketplaces, marketplace))
    unfocused = replace(
        prefs, marketplaces=tuple(m for m in prefs.marketplaces if m != marketplace)
    )

    # when they are prioritised with the marketplace in focus, and without it
    with_focus = prioritise(listed, focused)
    without_focus = prioritise(listed, unfocused)

    # then in focus the tagged action ranks above the untagged one; out of focus it does not
    # (the two then weigh the same, and the key decides)
    assert _rank_of(with_focus, tagged) < _rank_of(with_focus, plain)
    assert _rank_of(without_focus, tagged) > _rank_of(without_focus, plain)


@st.composite
def goal_and_topic(draw: st.DrawFn) -> tuple[str, str]:
    goal = draw(st.sampled_from(GOALS))
    topics = sorted(GOAL_TOPICS[goal]) + (
        ["marketplace:amazon"] if goal == "grow_marketplace" else []
    )
    return goal, draw(st.sampled_from(topics))


@pytest.mark.seed_property(41)
@PROPERTY
@given(
    base=actions(),
    others=st.lists(actions(), max_size=6),
    prefs=preferences(),
    served=goal_and_topic(),
)
def test_property_41_an_action_serving_a_goal_ranks_above_one_that_does_not(
    base: Action, others: list[Action], prefs: Preferences, served: tuple[str, str]
) -> None:
    # given a user pursuing a goal, and two actions alike but for a topic serving it (the
    # serving one's key sorting last); a price cut serves no goal under protect_margin
    goal, topic = served
    prefs = replace(prefs, goals=tuple(dict.fromkeys((*prefs.goals, goal))))
    assume(not (topic == "price_cut" and "protect_margin" in prefs.goals))
    goal_topics = GOAL_TOPICS[goal] | {"marketplace:amazon", "marketplace:ebay"}
    plain = replace(
        base,
        key="zz-plain",
        topics=tuple(t for t in base.topics if t not in goal_topics and t != "price_cut"),
    )
    serving = replace(plain, key="zz-serving", topics=(*plain.topics, topic))

    # when they are prioritised
    ranked = prioritise([*others, plain, serving], prefs)

    # then the one serving the goal ranks above
    assert _rank_of(ranked, serving) < _rank_of(ranked, plain)


@pytest.mark.seed_property(41)
@PROPERTY
@given(base=actions(), others=st.lists(actions(), max_size=6), prefs=preferences())
def test_property_41_protect_margin_never_puts_a_price_cut_first(
    base: Action, others: list[Action], prefs: Preferences
) -> None:
    # given a user protecting their margin (whatever else they pursue), and two actions
    # alike but for a price cut, the price cut's key sorting first
    prefs = replace(prefs, goals=tuple(dict.fromkeys((*prefs.goals, "protect_margin"))))
    plain = replace(base, key="zz-plain", topics=tuple(t for t in base.topics if t != "price_cut"))
    cut = replace(plain, key="aa-cut", topics=(*plain.topics, "price_cut"))

    # when they are prioritised
    ranked = prioritise([*others, cut, plain], prefs)

    # then the price cut ranks below the action without it
    assert _rank_of(ranked, cut) > _rank_of(ranked, plain)


def test_actions_below_the_margin_floor_come_last_and_say_so() -> None:
    # given a high-impact, low-effort action below the margin floor and a modest one
    below = Action("cut", "Cut to 9.99", "Matches Rival.", Level.HIGH, Level.LOW,
                   topics=("price_cut", "below_margin_floor"))  # fmt: skip
    modest = Action("faq", "Answer sizing questions", "Ten reviews ask.", Level.LOW, Level.HIGH)
    prefs = Preferences(margin_floor_percent=Decimal("20.00"))

    # when they are prioritised, and prioritised again
    ranked = prioritise([below, modest], prefs)
    again = prioritise(ranked, prefs)

    # then the one below the floor comes last, its detail says so, once
    assert [(a.key, a.priority) for a in ranked] == [("faq", 1), ("cut", 2)]
    assert ranked[1].detail == "Matches Rival. Below the margin floor (20.00%)."
    assert again == ranked


def test_ties_are_broken_by_key_whatever_the_order_given() -> None:
    # given actions that weigh the same
    items = [
        Action(key, "Restock", "Low cover.", Level.MEDIUM, Level.MEDIUM, topics=("stock",))
        for key in ("c", "a", "b")
    ]
    # when prioritised in two orders, then both list them by key
    assert [a.key for a in prioritise(items, NO_PREFERENCES)] == ["a", "b", "c"]
    assert prioritise(items[::-1], NO_PREFERENCES) == prioritise(items, NO_PREFERENCES)


def test_the_users_kpis_metrics_come_first_in_the_users_order() -> None:
    # given metrics of several KPIs and one of none
    metrics = [
        Metric(key, key, 1.0, "count")
        for key in ("revenue", "average_rating", "orders", "stock_cover_days", "units_sold")
    ]
    prefs = Preferences(kpis=("stock_cover", "rating"))

    # when ordered for a user watching stock cover, then rating
    ordered = order_metrics(metrics, prefs)

    # then those come first in that order, the rest as given
    assert [m.key for m in ordered] == [
        "stock_cover_days", "average_rating", "revenue", "orders", "units_sold"
    ]  # fmt: skip
    assert order_metrics(metrics, NO_PREFERENCES) == metrics
    assert kpi_of("revenue:amazon") == "revenue"
    assert kpi_of("orders") is None
