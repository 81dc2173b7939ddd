"""Ten questions a merchant asks, in both modes, on a small demo store: each gets a report
with a summary, metrics, risks, actions, confidence and evidence, and every number in it
can be followed to the records it came from through its evidence links (the API paths that
show them, and their lineage back to the raw payloads)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from mercato.agents.intelligence.ask.brain import IntelligenceModel
from tests.integration.identity.conftest import ADMIN
from tests.integration.intelligence.ask.conftest import Asker
from tests.integration.intelligence.ask.scripted import PLAN, Scripted

QUESTIONS = [
    ("How are my prices compared to competitors, and what should I change?", {"pricing"}),
    ("Why did sales drop last month, and what should I do?", {"sales", "pricing", "sentiment"}),
    ("What do customers think of the Summit Mesh Trail Shoe?", {"sentiment"}),
    ("Which products are about to run out of stock?", {"demand"}),
    ("What have my competitors been doing with their prices lately?", {"competitors"}),
    ("How did the hoodies sell over the last 14 days?", {"sales"}),
    ("Give me a demand forecast for Electronics next month", {"demand"}),
    ("Are people complaining about sizing in the Clothing reviews?", {"sentiment"}),
    ("Is Northpeak Outfitters undercutting me on jackets?", {"pricing"}),
    ("Tell me something useful about my shop", {"pricing", "sales", "demand"}),
]


async def _get(client: httpx.AsyncClient, href: str, seen: dict[str, str]) -> str:
    if href not in seen:
        answer = await client.get(href, headers=ADMIN)
        assert answer.status_code == 200, f"{href} -> {answer.status_code} {answer.text[:200]}"
        seen[href] = answer.text
    return seen[href]


async def assert_traceable(
    client: httpx.AsyncClient, report: dict[str, Any], seen: dict[str, str]
) -> None:
    """Every claim has evidence; every evidence of a number answers on its link with the
    record it names; a sales total adds up from the days its link lists."""
    evidence = {e["id"]: e for e in report["evidence"]}
    for part in ("metrics", "risks", "actions", "insights"):
        for item in report[part]:
            assert item["evidence"], f"{part}: {item}"
            assert all(e in evidence for e in item["evidence"]), item
    for metric in report["metrics"]:
        for ev_id in metric["evidence"][:6]:
            ev = evidence[ev_id]
            shown = await _get(client, ev["href"], seen)
            if ev["kind"] != "daily_sales":
                assert ev["record_id"] in shown, (ev, shown[:300])
            if ev.get("lineage"):
                lineage = await _get(client, ev["lineage"], seen)
                assert "raw" in lineage
        if metric["key"] == "units_sold":
            current = evidence[metric["evidence"][0]]
            shown = await client.get(current["href"], headers=ADMIN)
            assert shown.json()["total"] == metric["value"]


@pytest.mark.parametrize("llm", [False, True], ids=["no-llm", "scripted-llm"])
@pytest.mark.parametrize("mode", ["quick", "deep"])
async def test_ten_questions_each_get_a_report_whose_numbers_lead_to_their_records(
    asker: Asker, mode: str, llm: bool
) -> None:
    # given the demo store, with or without an LLM (one that plans the question it cannot
    # read as "what should I do", and summarises from the findings)
    script = Scripted({**PLAN, "intents": ["advice"], "products": []})
    asker.kernel.deps(IntelligenceModel).model = script.model() if llm else None
    # when a merchant's staff asks ten questions at once
    finished = await asyncio.gather(*(asker.ask(q, mode=mode, within=120) for q, _ in QUESTIONS))
    seen: dict[str, str] = {}
    for (question, agents), state in zip(QUESTIONS, finished, strict=True):
        # then each ends with a report of the question, in the mode asked
        assert state["status"] in {"done", "partial"}, state
        report = state["report"]
        assert report["question"] == question and report["mode"] == mode
        # with the agents the question needs among those that ran
        ran = {a["agent"] for a in report["agents"]}
        assert agents <= ran, (question, ran)
        # a written summary (the LLM's, its numbers the findings'), metrics, a confidence,
        # and evidence for each claim
        assert report["summary"]["text"].strip()
        assert report["summary"]["written_by"] == ("llm" if llm else "template")
        assert report["metrics"] and report["evidence"]
        assert report["confidence"]["label"] in {"high", "medium", "low"}
        await assert_traceable(asker.client, report, seen)
    # and the one the router cannot read was planned by the LLM, or, without one, says it
    # was not understood and gave a general overview
    overview = finished[-1]["report"]
    if llm:
        assert overview["planned_by"] == "llm" and script.plans == 1
    else:
        assert not overview["understood"] and overview["uncertainty"]


async def test_a_report_reads_as_html_and_as_pdf(asker: Asker) -> None:
    # given a Quick report
    state = await asker.ask("How are my prices compared to competitors?")
    report_id = state["report_id"]
    # when it is read as a page and as a PDF
    page = await asker.client.get(f"/v1/intelligence/reports/{report_id}.html", headers=ADMIN)
    pdf = await asker.client.get(f"/v1/intelligence/reports/{report_id}.pdf", headers=ADMIN)
    # then the page has the question, the summary, and the price-gap chart drawn
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "How are my prices compared to competitors?" in page.text and "<svg" in page.text
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # and the report is listed with its links
    listed = await asker.client.get("/v1/intelligence/reports", headers=ADMIN)
    assert report_id in {r["id"] for r in listed.json()["items"]}
