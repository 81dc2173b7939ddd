"""Hypothesis strategies for the agents' findings: results that evidence their claims, some
failed, some with too little data, with warnings of every kind."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from mercato.agents.intelligence.ask.findings import (
    Action,
    AgentResult,
    AgentStatus,
    Evidence,
    Insight,
    Level,
    Metric,
    QualityWarning,
    Risk,
    Severity,
    Trend,
)
from mercato.agents.intelligence.ask.scope import Intent, Mode, Period, Route, Scope

AGENTS = ("pricing", "competitors", "sentiment", "demand", "sales")
WARNINGS = ("missing_data", "stale_data", "low_confidence_match", "insufficient_data")
SEVERITIES = st.sampled_from(list(Severity))
TOPICS = st.sampled_from(["price", "stock", "reviews", "margin"])
numbers = st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 2))


@st.composite
def agent_results(draw: st.DrawFn, agent: str) -> AgentResult:
    status = draw(st.sampled_from(list(AgentStatus)))
    if status is not AgentStatus.OK:
        return AgentResult(
            agent,
            status=status,
            error="it broke",
            warnings=[QualityWarning("agent_failed", f"the {agent} agent broke", agent)],
        )
    evidence = [
        Evidence(f"{agent}:{i}", "review", f"r{i}", f"record {i}", f"/v1/reviews/r{i}")
        for i in range(draw(st.integers(1, 4)))
    ]
    ids = st.lists(st.sampled_from([e.id for e in evidence]), min_size=1, max_size=3).map(tuple)
    metrics = []
    for i in range(draw(st.integers(0, 3))):
        value, previous = draw(numbers), draw(st.none() | numbers)
        change = None if previous is None else round(value - previous, 2)
        trend = (
            Trend.UNKNOWN
            if change is None
            else Trend.UP
            if change > 0
            else Trend.DOWN
            if change < 0
            else Trend.FLAT
        )
        metrics.append(
            Metric(f"{agent}_m{i}", f"{agent} metric {i}", value, "count", previous, change,
                   None, trend, "the last 30 days", draw(ids), agent)
        )  # fmt: skip
    risks = [
        Risk(f"{agent}_r{i}", f"risk {i}", draw(SEVERITIES), "why", draw(ids), agent)
        for i in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    actions = [
        Action(
            f"{agent}_a{i}", f"do {i}", "how", draw(st.sampled_from(list(Level))),
            draw(st.sampled_from(list(Level))), draw(ids), agent,
            tuple(draw(st.lists(TOPICS, max_size=2))),
        )
        for i in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    insights = [Insight(f"insight {i}", draw(ids), agent) for i in range(draw(st.integers(0, 2)))]
    warnings = [
        QualityWarning(kind, f"{kind} of {agent}", agent)
        for kind in draw(st.lists(st.sampled_from(WARNINGS), max_size=3, unique=True))
    ]
    insufficient = (
        None if metrics and draw(st.booleans()) else draw(st.none() | st.just("too few records"))
    )
    return AgentResult(
        agent, metrics=metrics, risks=risks, actions=actions, insights=insights,
        evidence=evidence, warnings=warnings, confidence=draw(st.floats(0, 1)),
        insufficient=insufficient,
    )  # fmt: skip


@st.composite
def rounds(draw: st.DrawFn) -> list[AgentResult]:
    """The results of the agents of one question (one to five of them)."""
    chosen = draw(st.lists(st.sampled_from(AGENTS), min_size=1, max_size=5, unique=True))
    return [draw(agent_results(a)) for a in chosen]


def a_route(understood: bool = True) -> Route:
    period = Period(date(2026, 11, 1), date(2026, 11, 30), "November 2026")
    return Route(
        (Intent.SALES_TREND,) if understood else (), Scope(period=period), Mode.QUICK, understood
    )
