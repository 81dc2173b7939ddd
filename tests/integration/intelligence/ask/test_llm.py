"""The LLM's part in a question: planning one (a structured answer whose names are resolved
against the store's vocabulary, unknown ones dropped and noted) and writing the executive
summary from the findings alone; tokens from the run's usage; a provider's failure raised for
the caller to fall back. With pydantic-ai's scripted `FunctionModel`, and through the OpenAI
provider against the local server speaking its wire format."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from pydantic_ai.exceptions import ModelHTTPError
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.openai import OpenAIProvider

from mercato.agents.intelligence.ask.llm import FINDINGS, plan_with_llm, write_summary_with_llm
from mercato.agents.intelligence.ask.numbers import unverified_numbers
from mercato.agents.intelligence.ask.planner import AGENTS, agents_for
from mercato.agents.intelligence.ask.router import WHY_NOTE
from mercato.agents.intelligence.ask.scope import Intent, Mode
from tests.fakes.llm_script import Script
from tests.fakes.openai_api import API_KEY, USAGE, FakeOpenAI
from tests.unit.intelligence.ask.grammar import STORE

TODAY = date(2026, 12, 6)
QUESTION = "is the aster parka in teal doing ok against rivalmart on amazon lately?"
PLAN = {
    "intents": ["price_position", "sales_trend"],
    "products": ["Aster Parka", "Moon Boots"],
    "category": None,
    "competitor": "rivalmart",
    "marketplace": "Amazon",
    "filters": {"color": "teal", "material": "silk"},
    "period": "last month",
    "deep": True,
}
SUMMARY = "Sales of the Aster Parka fell by 12.5% to 40 units in November 2026."
REPORT: dict[str, Any] = {
    "id": "r1",
    "question": QUESTION,
    "scope": {"product_names": ["Aster Parka"], "period": {"label": "November 2026"}},
    "metrics": [
        {"key": "units", "label": "Units sold", "value": 40, "unit": "units", "previous": 45.7,
         "change": -5.7, "change_percent": -12.47, "evidence": ["ev-1"], "agent": "sales"}
    ],
    "risks": [], "actions": [], "insights": [], "data_quality": [],
    "confidence": {"overall": 0.6, "label": "medium", "by_agent": {"sales": 0.6}},
    "evidence": [{"id": "ev-1", "kind": "order_line", "record_id": "o-99"}],
    "agents": [{"agent": "sales", "status": "ok", "records_read": 1234}],
}  # fmt: skip


def planner_model(seen: list[str]) -> FunctionModel:
    """A scripted model that answers PLAN through the output tool it is offered."""

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        seen.append(str(messages[-1].parts[-1].content))  # type: ignore[union-attr]
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, PLAN)])

    return FunctionModel(respond, model_name="scripted-planner")


def writer_model(seen: list[str]) -> FunctionModel:
    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        seen.append(str(messages[-1].parts[-1].content))  # type: ignore[union-attr]
        return ModelResponse(parts=[TextPart(SUMMARY)])

    return FunctionModel(respond, model_name="scripted-writer")


async def test_a_planned_question_is_resolved_against_the_vocabulary() -> None:
    # given a model that plans the question with a known and an unknown product, a known
    # competitor and marketplace in other spellings, a known and an unknown filter
    seen: list[str] = []
    # when the question is planned with it
    plan = await plan_with_llm(planner_model(seen), QUESTION, STORE, today=TODAY)
    # then the route holds what the store knows, planned by the LLM
    route = plan.route
    assert seen == [QUESTION]
    assert (route.planned_by, route.understood, route.mode) == ("llm", True, Mode.DEEP)
    assert route.intents == (Intent.PRICE_POSITION, Intent.SALES_TREND)
    assert (route.scope.product_ids, route.scope.product_names) == (("p0",), ("Aster Parka",))
    assert (route.scope.competitor, route.scope.marketplace) == ("Rivalmart", "Amazon")
    assert route.scope.filters == {"colour": "teal"}
    assert route.scope.period is not None and route.scope.period.label == "November 2026"
    # and what it did not know is dropped and noted
    assert "unknown product dropped: Moon Boots" in route.notes
    assert "unknown filter dropped: material = silk" in route.notes
    # and the tokens are the run's
    assert plan.model_name == "scripted-planner"
    assert plan.input_tokens > 0 and plan.output_tokens > 0


async def test_the_summary_writer_is_given_the_findings_only() -> None:
    # given a report with its evidence, telemetry and an id
    seen: list[str] = []
    # when the model writes its summary
    summary = await write_summary_with_llm(writer_model(seen), REPORT)
    # then it was given the findings, without evidence, ids or telemetry
    given = json.loads(seen[0])
    assert sorted(given) == sorted(FINDINGS)
    assert "evidence" not in given["metrics"][0] and "1234" not in seen[0]
    # and its words are the summary, every number in them found in the report
    assert summary.text == SUMMARY
    assert unverified_numbers(summary.text, REPORT) == []
    assert summary.model_name == "scripted-writer" and summary.input_tokens > 0


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    script = Script(calls={QUESTION: [("final_result", PLAN)]}, fallback=SUMMARY)
    with FakeOpenAI(script).running() as fake:
        yield fake


def _through(fake: FakeOpenAI) -> OpenAIChatModel:
    return OpenAIChatModel(
        "local-test", provider=OpenAIProvider(base_url=f"{fake.url}/v1", api_key=API_KEY)
    )


async def test_planning_through_the_openai_provider(fake_openai: FakeOpenAI) -> None:
    # given the OpenAI provider pointed at a local server answering through the output tool
    model = _through(fake_openai)
    # when a question is planned and a summary written
    plan = await plan_with_llm(model, QUESTION, STORE, today=TODAY)
    summary = await write_summary_with_llm(model, REPORT)
    # then the model was offered the plan's output tool, and the store's names
    offered = fake_openai.bodies[0]
    assert [t["function"]["name"] for t in offered["tools"]] == ["final_result"]
    assert "Rivalmart" in json.dumps(offered["messages"])
    # and the plan is resolved, the summary is the model's, the tokens are the server's
    assert plan.route.scope.product_ids == ("p0",) and plan.route.planned_by == "llm"
    assert (plan.input_tokens, plan.output_tokens) == (
        USAGE["prompt_tokens"],
        USAGE["completion_tokens"],
    )
    assert plan.model_name == "local-test"
    assert summary.text == SUMMARY
    assert json.loads(fake_openai.script.prompts[-1])["question"] == QUESTION


async def test_a_provider_outage_is_raised_for_the_caller_to_fall_back(
    fake_openai: FakeOpenAI,
) -> None:
    # given the provider is down
    fake_openai.down = True
    model = _through(fake_openai)
    # when a question is planned, and a summary written
    # then each raises, and the server was asked
    with pytest.raises(ModelHTTPError, match="503"):
        await plan_with_llm(model, QUESTION, STORE, today=TODAY)
    with pytest.raises(ModelHTTPError, match="503"):
        await write_summary_with_llm(model, REPORT)
    assert fake_openai.script.prompts == []


async def test_a_planned_why_question_asks_for_the_causes() -> None:
    # given a question asking why, planned by the scripted model
    plan = await plan_with_llm(planner_model([]), "why did it drop?", STORE, today=TODAY)
    # then the route says it asks why (the planner adds what explains a sales trend)
    assert WHY_NOTE in plan.route.notes
    assert agents_for(plan.route) == AGENTS
