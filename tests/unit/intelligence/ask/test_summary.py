"""Every report has an executive summary written from its findings alone (seed 001 property
33): the template's states only the findings' numbers, and a summary that states one the
findings do not hold (as an LLM's might) is caught. Reports are generated over the report's
schema, empty findings and insufficient data included."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.ask.numbers import finding_values, numbers_in, unverified_numbers
from mercato.agents.intelligence.ask.planner import AGENTS
from mercato.agents.intelligence.ask.summary import template_summary

PROPERTY = settings(max_examples=100, deadline=None, database=None)
UNITS = ["currency:EUR", "percent", "units", "score", "count", "days"]
WORDS = st.sampled_from(
    ["Average price gap", "stock runs low", "reviews mention sizing", "Lower the price",
     "sales fell", "Top 3 share", "", "Reorder 40 units before Friday", "a 5-day delay"]
)  # fmt: skip
TEXTS = st.one_of(
    WORDS,
    st.builds(
        lambda word, n, unit: f"{word} {n}{unit}",
        WORDS,
        st.integers(min_value=0, max_value=10**7).map(lambda cents: Decimal(cents).scaleb(-2)),
        st.sampled_from(["", "%", " units", " EUR"]),
    ),
)
FIGURES = st.one_of(
    st.none(),
    st.floats(min_value=-1e7, max_value=1e7, allow_nan=False),
    st.integers(min_value=-100000, max_value=100000),
)


def metrics() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "key": st.sampled_from(["revenue", "units_sold", "price_gap", "polarity", "cover"]),
            "label": TEXTS,
            "value": FIGURES,
            "unit": st.sampled_from(UNITS),
            "previous": FIGURES,
            "change": FIGURES,
            "change_percent": FIGURES,
            "trend": st.sampled_from(["up", "down", "flat", "unknown"]),
            "period": st.one_of(st.none(), st.just("November 2026")),
            "evidence": st.lists(st.sampled_from(["ev-1", "ev-22"]), max_size=2),
            "agent": st.sampled_from(AGENTS),
        }
    )


LEVELS = st.sampled_from(["low", "medium", "high"])
RISKS = st.fixed_dictionaries(
    {
        "key": st.just("risk"),
        "title": TEXTS,
        "severity": st.sampled_from(["low", "medium", "high", "critical"]),
        "detail": TEXTS,
        "evidence": st.just([]),
        "agent": st.sampled_from(AGENTS),
    }
)
ACTIONS = st.fixed_dictionaries(
    {
        "key": st.just("action"),
        "title": TEXTS,
        "detail": TEXTS,
        "impact": LEVELS,
        "effort": LEVELS,
        "evidence": st.just([]),
        "agent": st.sampled_from(AGENTS),
        "topics": st.just(["price"]),
        "priority": st.integers(min_value=0, max_value=9),
    }
)
INSIGHTS = st.fixed_dictionaries(
    {"text": TEXTS, "evidence": st.just([]), "agent": st.sampled_from(AGENTS),
     "confidence": st.floats(min_value=0, max_value=1)}
)  # fmt: skip
WARNINGS = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(
            ["missing_data", "stale_data", "agent_failed", "timeout", "insufficient_data"]
        ),
        "message": TEXTS,
        "agent": st.sampled_from(AGENTS),
        "records": st.just([]),
    }
)
PERIODS = st.sampled_from(
    [
        None,
        {"start": "2026-11-06", "end": "2026-12-05", "label": "the last 30 days"},
        {"start": "2026-11-01", "end": "2026-11-30", "label": "November 2026"},
        {"start": "2026-07-01", "end": "2026-09-30", "label": "Q3 2026"},
    ]
)
SCOPES = st.fixed_dictionaries(
    {
        "product_names": st.lists(st.sampled_from(["Trail Runner 2", "Merino Hoodie"]), max_size=4),
        "product_ids": st.just([]),
        "category_id": st.none(),
        "category_name": st.one_of(st.none(), st.just("Running shoes")),
        "competitor": st.one_of(st.none(), st.just("SportShop")),
        "marketplace": st.one_of(st.none(), st.just("Amazon DE")),
        "period": PERIODS,
        "filters": st.one_of(st.just({}), st.just({"colour": "blue"}), st.just({"size": "42"})),
    }
)  # fmt: skip


@st.composite
def reports(draw: st.DrawFn) -> dict[str, Any]:
    overall = draw(st.floats(min_value=0, max_value=1))
    agents = draw(st.lists(st.sampled_from(AGENTS), unique=True, max_size=5))
    return {
        "question": draw(st.sampled_from(["how are my prices?", "why did sales drop in Q3?", ""])),
        "mode": draw(st.sampled_from(["quick", "deep"])),
        "status": draw(st.sampled_from(["complete", "partial", "insufficient"])),
        "scope": draw(SCOPES),
        "intents": [],
        "understood": draw(st.booleans()),
        "metrics": draw(st.lists(metrics(), max_size=5)),
        "risks": draw(st.lists(RISKS, max_size=3)),
        "actions": draw(st.lists(ACTIONS, max_size=3)),
        "insights": draw(st.lists(INSIGHTS, max_size=2)),
        "confidence": {
            "overall": overall,
            "label": draw(st.sampled_from(["high", "medium", "low"])),
            "by_agent": {a: draw(st.floats(min_value=0, max_value=1)) for a in agents},
        },
        "uncertainty": draw(st.lists(TEXTS, max_size=2)),
        "data_quality": draw(st.lists(WARNINGS, max_size=3)),
        "insufficient_data": draw(
            st.one_of(
                st.none(),
                st.fixed_dictionaries({"reason": TEXTS, "needed": st.lists(TEXTS, max_size=3)}),
            )
        ),
        "agents": [
            {"agent": a, "status": draw(st.sampled_from(["ok", "failed", "timeout", "limited"]))}
            for a in agents
        ],
    }


@pytest.mark.seed_property(33)
@PROPERTY
@given(reports())
def test_property_33_all_reports_include_executive_summaries(report: dict[str, Any]) -> None:
    # given any report's findings
    # when the template writes its summary
    summary = template_summary(report)
    note(summary)
    # then there is one, and every number it states is one of the findings'
    assert summary.strip()
    assert unverified_numbers(summary, report) == []


@pytest.mark.seed_property(33)
@PROPERTY
@given(
    reports(),
    st.decimals(min_value=0, max_value=10**7, places=2),
    st.sampled_from(["%", " EUR", " units", ""]),
)
def test_property_33_a_summary_stating_a_number_not_in_the_findings_is_caught(
    report: dict[str, Any], number: Decimal, unit: str
) -> None:
    # given a summary with a number no finding holds, however rounded
    allowed = finding_values(report)
    assume(all(abs(abs(v) - number) >= 1 and abs(abs(v) * 100 - number) >= 1 for v in allowed))
    written = f"{number:,}{unit}"
    summary = template_summary(report) + f" Sales rose by {written} last month."
    # when its numbers are checked against the findings
    found = unverified_numbers(summary, report)
    # then the invented number is caught, and only it
    assert found == [f"{number:,}" + ("%" if unit == "%" else "")]


SHOES = {
    "question": "why did sales of running shoes drop last month?",
    "understood": True,
    "scope": {
        "product_names": [],
        "category_name": "Running shoes",
        "filters": {"colour": "blue"},
        "period": {"start": "2026-11-01", "end": "2026-11-30", "label": "November 2026"},
    },
    "metrics": [
        {"key": "revenue", "label": "Revenue", "value": 12450.5, "unit": "currency:EUR",
         "previous": 15230.0, "change": -2779.5, "change_percent": -18.25},
        {"key": "units", "label": "units sold", "value": 312, "unit": "units",
         "previous": 401, "change": -89, "change_percent": -22.19},
        {"key": "gap", "label": "Average price gap", "value": 7.4, "unit": "percent",
         "previous": 2.1, "change": 5.3, "change_percent": None},
        {"key": "polarity", "label": "Review polarity", "value": 0.31, "unit": "score"},
    ],
    "risks": [
        {"title": "Stock of size 42 runs out", "severity": "medium"},
        {"title": "SportShop undercuts the Trail Runner Pro by 12%", "severity": "high"},
    ],
    "actions": [
        {"title": "Reorder size 42", "impact": "medium", "effort": "low", "priority": 2},
        {"title": "Match SportShop at EUR 89.90", "impact": "high", "effort": "low", "priority": 1},
    ],
    "confidence": {"overall": 0.72, "label": "medium", "by_agent": {}},
    "data_quality": [{"kind": "timeout", "agent": "sentiment", "message": "timed out"}],
    "insufficient_data": None,
}  # fmt: skip


def test_the_summary_reads_as_sentences_with_the_findings_that_matter() -> None:
    # given a report on blue running shoes with four metrics, two risks, two actions
    # when the template writes its summary
    summary = template_summary(SHOES)
    # then it says the scope, the biggest changes with their figures, the worst risk, the
    # first action, the analysis cut short and the confidence, in that order
    assert summary == (
        "This report covers the Running shoes category (colour blue) over November 2026. "
        "Units sold fell by 22.2% to 312 units (from 401 units). "
        "Revenue fell by 18.3% to EUR 12,450.50 (from EUR 15,230.00). "
        "Average price gap rose by 5.3 percentage points to 7.4%. "
        "The most serious risk, rated high: SportShop undercuts the Trail Runner Pro by 12%. "
        "The first recommended action (high impact, low effort): Match SportShop at EUR 89.90. "
        "The sentiment analysis was cut short, so its findings are missing. "
        "Confidence in these findings is medium."
    )
    assert unverified_numbers(summary, SHOES) == []


def test_a_report_without_findings_says_what_is_missing() -> None:
    # given a question not understood, with too little data to answer
    report = {
        "understood": False,
        "scope": {"period": {"label": "the last 30 days"}},
        "insufficient_data": {"reason": "only 3 weeks of sales", "needed": ["8 weeks of sales"]},
        "confidence": {"label": "low"},
    }
    # when the template writes its summary
    summary = template_summary(report)
    # then it says so plainly
    assert summary == (
        "The question was not understood, so every analysis looked at the whole store over "
        "the last 30 days. The analyses found no figures, risks or actions for this scope. "
        "The data is not enough for a firm answer: only 3 weeks of sales. "
        "A firmer answer needs 8 weeks of sales. Confidence in these findings is low."
    )
    assert unverified_numbers(summary, report) == []


def test_numbers_are_read_as_claims_but_dates_and_years_are_not() -> None:
    # given a text with amounts, percents, counts, dates, a year, a quarter and an id
    text = (
        "In 2026 sales fell by -12.5% to \u20ac1,234.50 (from 1,400 EUR) since 1 October; "
        "SKU-123 sold 2026 units in Q3 2026, week 48, on 2026-11-30 at 12:30, 0.82 on average."
    )
    # when its numbers are read
    # then only the claims are
    assert numbers_in(text) == [
        Decimal("-12.5"),
        Decimal("1234.50"),
        Decimal("1400"),
        Decimal("2026"),
        Decimal("0.82"),
    ]


@pytest.mark.parametrize(
    ("text", "unverified"),
    [
        ("Revenue fell 18% to EUR 12,450.50.", []),
        ("Revenue fell 18.25% (18.3%) to 12450.5.", []),
        ("Confidence is 72%, the gap 7.4 points.", []),
        ("Revenue fell 19%.", ["19%"]),
        ("About 3.1 stars, 12,460 EUR.", ["3.1", "12,460"]),
        ("Revenue was 12,451 EUR, rounded.", []),
    ],
)
def test_a_number_verifies_only_as_a_writer_would_round_a_finding(
    text: str, unverified: list[str]
) -> None:
    # given the report on running shoes
    # when a text's numbers are checked against it
    # then each verifies when it is a finding's value rounded as written, or its absolute
    assert unverified_numbers(text, SHOES) == unverified
