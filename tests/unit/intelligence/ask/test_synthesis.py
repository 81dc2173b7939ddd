"""The synthesizer makes one report of the agents' results (seed 001 properties 31, 34 to 38,
47, 48 and 50): every agent's findings are in it, each under its name; metrics carry their
value and trend; every claim's evidence is one of the report's records; risks carry a
severity; actions are prioritised; uncertainty and data quality are said, and a report
without data says why."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.ask.findings import AgentResult, AgentStatus, Metric
from mercato.agents.intelligence.ask.synthesis import (
    AgentRow,
    Asked,
    cross_insights,
    synthesize,
)
from mercato.agents.intelligence.memory.preferences import Preferences
from mercato.agents.intelligence.memory.prioritise import order_metrics, prioritise
from tests.unit.intelligence.ask.strategies import a_route, rounds

EXAMPLES = settings(max_examples=100, deadline=None, database=None)


def report_of(results: list[AgentResult], *, understood: bool = True) -> dict[str, Any]:
    prefs = Preferences()
    asked = Asked("q1", "r1", "How are my sales?", "quick", a_route(understood),
                  datetime(2026, 12, 6, tzinfo=UTC), 12.5)  # fmt: skip
    return synthesize(
        asked,
        [AgentRow(r, "miss") for r in results],
        rank_actions=lambda actions: prioritise(actions, prefs),
        order_metrics=lambda metrics: order_metrics(metrics, prefs),
        preferences=prefs.report_view(),
        similar=[],
    )


@pytest.mark.seed_property(31)
@EXAMPLES
@given(results=rounds())
def test_property_31_every_agents_findings_are_in_the_one_report(
    results: list[AgentResult],
) -> None:
    # given several agents' results; when they are synthesized
    report = report_of(results)
    # then each agent is listed with its status, the one answering the question's intent
    # (sales) first, and each of its findings is in the report
    listed = [a["agent"] for a in report["agents"]]
    assert sorted(listed) == sorted(r.agent for r in results)
    assert "sales" not in listed or listed[0] == "sales"
    for r in results:
        assert {m.key for m in r.metrics} <= {
            m["key"] for m in report["metrics"] if m["agent"] == r.agent
        }
        assert {k.key for k in r.risks} <= {k["key"] for k in report["risks"]}
        assert {a.key for a in r.actions} <= {a["key"] for a in report["actions"]}
        assert {i.text for i in r.insights} <= {i["text"] for i in report["insights"]}


@pytest.mark.seed_property(34)
@EXAMPLES
@given(results=rounds())
def test_property_34_metrics_carry_their_value_and_trend(results: list[AgentResult]) -> None:
    report = report_of(results)
    for m in report["metrics"]:
        # then each has a value (or null, said), a trend, and a change that is value - previous
        assert "value" in m and m["trend"] in {"up", "down", "flat", "unknown"}
        if m["previous"] is not None and m["value"] is not None:
            assert m["change"] == pytest.approx(m["value"] - m["previous"], abs=0.011)
            assert m["trend"] != "unknown"


@pytest.mark.seed_property(35)
@EXAMPLES
@given(results=rounds())
def test_property_35_every_claim_links_to_the_reports_evidence(results: list[AgentResult]) -> None:
    report = report_of(results)
    evidence = {e["id"]: e for e in report["evidence"]}
    for part in ("metrics", "risks", "actions", "insights"):
        for item in report[part]:
            # then every claim has evidence, each one of the report's records with a link
            assert item["evidence"], item
            assert all(e in evidence for e in item["evidence"])
    assert all(e["href"].startswith("/v1/") and e["record_id"] for e in evidence.values())


@pytest.mark.seed_property(36)
@EXAMPLES
@given(results=rounds())
def test_property_36_risks_carry_a_severity_most_severe_first(results: list[AgentResult]) -> None:
    report = report_of(results)
    rank = {"low": 1, "medium": 2, "high": 3, "critical": 4}
    severities = [rank[r["severity"]] for r in report["risks"]]
    assert severities == sorted(severities, reverse=True)


@pytest.mark.seed_property(37)
@EXAMPLES
@given(results=rounds())
def test_property_37_action_items_are_prioritised(results: list[AgentResult]) -> None:
    report = report_of(results)
    priorities = [a["priority"] for a in report["actions"]]
    # then they come numbered 1..n in order
    assert priorities == list(range(1, len(priorities) + 1))


@pytest.mark.seed_property(38)
@EXAMPLES
@given(results=rounds(), understood=st.booleans())
def test_property_38_uncertainty_is_said_when_there_is_any(
    results: list[AgentResult], understood: bool
) -> None:
    report = report_of(results, understood=understood)
    shaky = not understood or any(
        r.status is not AgentStatus.OK or r.insufficient or r.confidence < 0.5 for r in results
    )
    # then a report resting on anything shaky says so in words, and never claims high confidence
    if shaky:
        assert report["uncertainty"]
        assert report["confidence"]["label"] != "high" or all(
            r.status is AgentStatus.OK for r in results
        )
    assert 0 <= report["confidence"]["overall"] <= 1
    if any(r.status is not AgentStatus.OK for r in results):
        assert report["status"] in {"partial", "insufficient"}


@pytest.mark.seed_property(47)
@pytest.mark.seed_property(48)
@EXAMPLES
@given(results=rounds())
def test_property_47_48_missing_data_and_quality_warnings_reach_the_report(
    results: list[AgentResult],
) -> None:
    report = report_of(results)
    said = {(w["kind"], w["agent"], w["message"]) for w in report["data_quality"]}
    # then every agent's warning (missing, stale, low-confidence match, failure) is listed
    for r in results:
        for w in r.warnings:
            assert (w.kind, w.agent, w.message) in said


@pytest.mark.seed_property(50)
@EXAMPLES
@given(results=rounds())
def test_property_50_a_report_without_data_explains_why(results: list[AgentResult]) -> None:
    report = report_of(results)
    if not report["metrics"]:
        # then it is marked insufficient, with the reason and what would be needed
        assert report["status"] == "insufficient"
        assert report["insufficient_data"]["reason"]
        assert report["insufficient_data"]["needed"]
    else:
        assert report["insufficient_data"] is None


def test_a_sales_drop_is_set_beside_a_widening_price_gap() -> None:
    # given sales that fell 30 % while the store's prices drifted above the market
    sales = AgentResult("sales", metrics=[Metric("units_sold", "Units", 70.0, "units", 100.0,
                        -30.0, -30.0, evidence=("sales:1",))], confidence=0.9)  # fmt: skip
    pricing = AgentResult("pricing", metrics=[Metric("price_gap_to_median", "Gap", 12.0,
                          "percent", 4.0, 8.0, evidence=("obs:1",))], confidence=0.9)  # fmt: skip
    # when they are read together
    found = cross_insights([sales, pricing])
    # then the report says so, with both agents' evidence
    assert found[0].text == (
        "Sales fell 30.0% while your prices moved 8.0 points further above the market median "
        "(now 12.0%)."
    )
    assert set(found[0].evidence) == {"sales:1", "obs:1"}


def test_a_sales_drop_nothing_explains_points_elsewhere() -> None:
    sales = AgentResult("sales", metrics=[Metric("units_sold", "Units", 70.0, "units", 100.0,
                        -30.0, -30.0, evidence=("sales:1",))], confidence=0.9)  # fmt: skip
    found = cross_insights([sales])
    assert "traffic, seasonality and stock-outs" in found[0].text
