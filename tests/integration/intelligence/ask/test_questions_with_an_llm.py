"""Questions with an LLM configured (a scripted model, and the OpenAI provider against a local
server speaking its wire format): a question the router cannot parse is planned by the LLM,
and the plan is kept, so asking it again costs no planning tokens (seed 001 property 46);
the summary is the LLM's when every number in it is one of the findings', the template's
otherwise; tokens are counted per user; a spent budget refuses Deep mode with a suggested
action, and Quick mode goes on without the LLM."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.openai import OpenAIProvider

from mercato.agents.intelligence.ask.brain import IntelligenceModel
from tests.fakes.llm_script import Script
from tests.fakes.openai_api import API_KEY, FakeOpenAI
from tests.integration.identity.conftest import ADMIN
from tests.integration.intelligence.ask.conftest import Asker
from tests.integration.intelligence.ask.scripted import PLAN, Scripted

VAGUE = "Anything worth worrying about with the Summit Mesh Trail Shoe?"


def _with(asker: Asker, model: Any) -> None:
    asker.kernel.deps(IntelligenceModel).model = model


async def _usage(asker: Asker) -> dict[str, Any]:
    found = await asker.client.get("/v1/intelligence/usage", headers=ADMIN)
    assert found.status_code == 200, found.text
    return found.json()


async def test_a_question_the_router_cannot_read_is_planned_once_and_summarised_by_the_llm(
    asker: Asker,
) -> None:
    # given an LLM
    script = Scripted()
    _with(asker, script.model())
    usage = await _usage(asker)
    before = usage["total"]["tokens"]
    calls = {s["key"]: s["calls"] for s in usage["by_purpose"]}
    # when a question the router cannot read is asked
    first = (await asker.ask(VAGUE))["report"]
    # then the LLM planned it: the product it named, the agents its intents need
    assert first["planned_by"] == "llm" and script.plans == 1
    assert first["scope"]["product_names"] == ["Summit Mesh Trail Shoe No. 16"]
    assert {"sentiment", "demand"} <= {a["agent"] for a in first["agents"]}
    # and wrote the summary, every number of which is a finding's
    assert first["summary"]["written_by"] == "llm" and first["summary"]["unverified_numbers"] == []
    assert first["summary"]["text"].startswith("The first figure stands at")
    spent = (await _usage(asker))["total"]["tokens"]
    assert spent > before
    # when it is asked again, the plan is the cache's: no planning tokens
    again = (await asker.ask(VAGUE))["report"]
    assert again["planned_by"] == "llm" and script.plans == 1 and script.summaries == 2
    purposes = {s["key"]: s["calls"] for s in (await _usage(asker))["by_purpose"]}
    assert purposes.get("plan", 0) - calls.get("plan", 0) == 1
    assert purposes.get("summary", 0) - calls.get("summary", 0) == 2


async def test_a_summary_stating_a_number_the_findings_do_not_hold_is_not_shown(
    asker: Asker,
) -> None:
    # given an LLM that makes a number up
    script = Scripted()
    script.invent = True
    _with(asker, script.model())
    # when a question is asked
    report = (await asker.ask("How are my prices compared to competitors?"))["report"]
    # then the template's summary is shown, and the report says why
    assert script.summaries == 1
    assert report["summary"]["written_by"] == "template"
    assert report["summary"]["unverified_numbers"] == ["987%"]
    assert "987" not in report["summary"]["text"]
    assert any(w["kind"] == "unverified_summary" for w in report["data_quality"])


async def test_a_spent_budget_refuses_deep_mode_and_quick_mode_goes_on_without_the_llm(
    asker: Asker,
) -> None:
    # given an LLM, and a store whose month's budget is already used
    script = Scripted()
    _with(asker, script.model())
    await asker.ask("How are my prices compared to competitors?")
    shrunk = await asker.client.put(
        "/v1/intelligence/budget", json={"scope": "store", "monthly_tokens": 1}, headers=ADMIN
    )
    assert shrunk.status_code == 200, shrunk.text
    asked = script.summaries
    try:
        # when a Deep question is asked
        refused = await asker.client.post(
            "/v1/intelligence/query", json={"question": "Why did sales drop?", "mode": "deep"},
            headers=ADMIN,
        )  # fmt: skip
        # then it is refused with a clear error and what to do instead
        assert refused.status_code == 429
        problem = refused.json()
        assert problem["code"] == "intel_budget_exceeded" and "Quick" in problem["suggested_action"]
        # and a Quick one is answered, its summary written without the LLM
        quick = (await asker.ask("Why did sales drop?"))["report"]
        assert quick["summary"]["written_by"] == "template" and script.summaries == asked
    finally:
        await asker.client.put(
            "/v1/intelligence/budget",
            json={"scope": "store", "monthly_tokens": 2_000_000},
            headers=ADMIN,
        )


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    summary = "Your prices are close to the market."
    plan_call = ("final_result", PLAN)
    with FakeOpenAI(Script(calls={VAGUE.lower(): [plan_call]}, fallback=summary)).running() as fake:
        yield fake


async def test_the_openai_provider_plans_and_summarises_over_its_wire_format(
    asker: Asker, fake_openai: FakeOpenAI
) -> None:
    # given the OpenAI provider pointed at a local server speaking its wire format
    model = OpenAIChatModel(
        "local-test", provider=OpenAIProvider(base_url=f"{fake_openai.url}/v1", api_key=API_KEY)
    )
    _with(asker, model)
    # when a question the router cannot read is asked
    report = (await asker.ask(VAGUE))["report"]
    # then the server planned it and wrote a summary holding no number
    assert report["planned_by"] == "llm"
    assert report["summary"] == {
        "text": "Your prices are close to the market.",
        "written_by": "llm",
        "unverified_numbers": [],
    }
    assert any(re.search(r"final_result", json.dumps(b)) for b in fake_openai.bodies)
