"""The order a report lists its actions and metrics in, by what pays and what the user cares
about (seed 001 properties 37, 40, 41).

The scoring rule, exact (fractions, no rounding):

    base   = impact / effort            impact and effort: low 1, medium 2, high 3
    weight = 1 + 1/2 x (the user's goals the action serves)
               + 1/4 x (1 if it is tagged "marketplace:<name>" of a marketplace in focus)
               + 1/4 x (the user's KPIs it bears on)
    score  = base x weight, halved when the user's goals hold protect_margin and its
             topics hold "price_cut"

An action serves a goal, or bears on a KPI, when one of its topics is among the goal's or
the KPI's (`GOAL_TOPICS`, `KPI_TOPICS`; grow_marketplace is served by any "marketplace" or
"marketplace:<name>" topic). Under protect_margin, "price_cut" serves no goal and bears on
no KPI: a price cut never outranks the same action without it.

Actions are listed by score, highest first, ties by key then title; those whose topics hold
"below_margin_floor" come after every other action (in the same order among themselves),
and their detail says so. Priorities run 1..n down the list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from fractions import Fraction

from mercato.agents.intelligence.ask.findings import LEVEL_RANK, Action, Metric
from mercato.agents.intelligence.memory.preferences import Preferences

GOAL_TOPICS: Mapping[str, frozenset[str]] = {
    "grow_revenue": frozenset({"revenue", "stock"}),
    "protect_margin": frozenset({"margin"}),
    "clear_stock": frozenset({"stock_clearance"}),
    "improve_reviews": frozenset({"reviews"}),
    "win_on_price": frozenset({"price_cut", "price_match"}),
    "grow_marketplace": frozenset({"marketplace"}),
}
KPI_TOPICS: Mapping[str, frozenset[str]] = {
    "revenue": frozenset({"revenue"}),
    "units_sold": frozenset({"units", "sales", "demand"}),
    "margin": frozenset({"margin"}),
    "price_position": frozenset({"price", "price_cut", "price_match"}),
    "rating": frozenset({"reviews", "rating"}),
    "sentiment": frozenset({"reviews", "sentiment"}),
    "stock_cover": frozenset({"stock", "stock_clearance"}),
    "return_rate": frozenset({"returns"}),
}
METRIC_KPIS: Mapping[str, str] = {
    "revenue": "revenue",
    "sales_revenue": "revenue",
    "units_sold": "units_sold",
    "units": "units_sold",
    "sales_units": "units_sold",
    "forecast_units": "units_sold",
    "margin": "margin",
    "margin_percent": "margin",
    "gross_margin": "margin",
    "price_position": "price_position",
    "price_gap": "price_position",
    "price_gap_percent": "price_position",
    "price_rank": "price_position",
    "rating": "rating",
    "average_rating": "rating",
    "sentiment": "sentiment",
    "polarity": "sentiment",
    "sentiment_polarity": "sentiment",
    "negative_share": "sentiment",
    "positive_share": "sentiment",
    "stock_cover": "stock_cover",
    "stock_cover_days": "stock_cover",
    "days_of_cover": "stock_cover",
    "return_rate": "return_rate",
    "returns": "return_rate",
}
"""A metric's key (or its part before ":", as in "revenue:amazon") to the KPI it shows."""

GOAL_WEIGHT = Fraction(1, 2)
MARKETPLACE_WEIGHT = Fraction(1, 4)
KPI_WEIGHT = Fraction(1, 4)
PRICE_CUT_UNDER_PROTECT_MARGIN = Fraction(1, 2)
BELOW_FLOOR = "below_margin_floor"
BELOW_FLOOR_NOTE = "Below the margin floor"


def score(action: Action, prefs: Preferences) -> Fraction:
    """The action's score under the user's preferences (the module's rule)."""
    base = Fraction(LEVEL_RANK[action.impact], LEVEL_RANK[action.effort])
    protect = "protect_margin" in prefs.goals
    topics = {topic.lower() for topic in action.topics}
    cuts_price = "price_cut" in topics
    if protect:
        topics.discard("price_cut")
    goals = sum(1 for goal in prefs.goals if _serves(goal, topics))
    kpis = sum(1 for kpi in prefs.kpis if topics & KPI_TOPICS.get(kpi, frozenset()))
    focused = any(f"marketplace:{name}" in topics for name in prefs.marketplaces)
    weight = 1 + GOAL_WEIGHT * goals + MARKETPLACE_WEIGHT * focused + KPI_WEIGHT * kpis
    if protect and cuts_price:
        weight *= PRICE_CUT_UNDER_PROTECT_MARGIN
    return base * weight


def prioritise(actions: Sequence[Action], prefs: Preferences) -> list[Action]:
    """Copies of the actions in the order to take them, `priority` 1..n."""

    def order(action: Action) -> tuple[bool, Fraction, str, str]:
        return (BELOW_FLOOR in action.topics, -score(action, prefs), action.key, action.title)

    ranked = sorted(actions, key=order)
    return [
        replace(action, priority=rank, detail=_marked(action, prefs))
        for rank, action in enumerate(ranked, start=1)
    ]


def kpi_of(metric_key: str) -> str | None:
    """The KPI a metric shows (`METRIC_KPIS`), if any."""
    return METRIC_KPIS.get(metric_key) or METRIC_KPIS.get(metric_key.split(":", 1)[0])


def order_metrics(metrics: Sequence[Metric], prefs: Preferences) -> list[Metric]:
    """The metrics of the user's KPIs first, in the order the user listed the KPIs; the
    others after them; each group otherwise in the order given."""
    position = {kpi: i for i, kpi in enumerate(prefs.kpis)}
    last = len(position)

    def order(metric: Metric) -> int:
        kpi = kpi_of(metric.key)
        return position.get(kpi, last) if kpi is not None else last

    return sorted(metrics, key=order)


def _serves(goal: str, topics: set[str]) -> bool:
    if goal == "grow_marketplace":
        return any(t == "marketplace" or t.startswith("marketplace:") for t in topics)
    return bool(topics & GOAL_TOPICS.get(goal, frozenset()))


def _marked(action: Action, prefs: Preferences) -> str:
    """Its detail, saying it is below the margin floor when it is (once)."""
    if BELOW_FLOOR not in action.topics or BELOW_FLOOR_NOTE.lower() in action.detail.lower():
        return action.detail
    floor = prefs.margin_floor_percent
    note = f"{BELOW_FLOOR_NOTE} ({floor}%)." if floor is not None else f"{BELOW_FLOOR_NOTE}."
    return f"{action.detail} {note}".strip()
