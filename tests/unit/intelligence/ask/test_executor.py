"""The executor runs a question's agents at once, each within its time limit and record
budget; an agent that fails, hangs or loads too much gives a result saying so, and the
others' findings stand (seed 001 properties 27 to 30, 45). Fake agents stand in for the
analysts: each sleeps, raises, hangs or loads records as the example says."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.ask.executor import Analyst, run_agents
from mercato.agents.intelligence.ask.findings import AgentResult, AgentStatus, Metric
from mercato.agents.intelligence.ask.limits import AgentLimits, RecordBudget

EXAMPLES = settings(max_examples=100, deadline=None, database=None)
NAMES = ("pricing", "competitors", "sentiment", "demand", "sales")
BEHAVIOURS = st.sampled_from(("ok", "fails", "hangs", "greedy"))
TIMEOUT = 0.1


class Ctx:
    """What the fake agents are given: only the budget matters to them."""

    def __init__(self, budget: RecordBudget) -> None:
        self.budget = budget
        self.notes: list[str] = []


def fake(name: str, behaviour: str, started: list[float], ended: list[float]) -> Analyst:
    async def analyse(ctx: Any) -> AgentResult:
        started.append(time.perf_counter())
        if behaviour == "fails":
            raise RuntimeError(f"{name} broke")
        if behaviour == "hangs":
            await asyncio.sleep(60)
        if behaviour == "greedy":
            for _ in range(100):
                ctx.budget.take(50)
        await asyncio.sleep(0.02)
        ended.append(time.perf_counter())
        return AgentResult(
            name, metrics=[Metric(f"{name}_metric", name, 1.0, "count")], confidence=0.8
        )

    return analyse  # type: ignore[return-value]


def now() -> datetime:
    return datetime(2026, 12, 6, tzinfo=UTC)


async def run(behaviours: dict[str, str]) -> tuple[list[Any], float, list[float], list[float]]:
    started: list[float] = []
    ended: list[float] = []
    analysts = {n: fake(n, b, started, ended) for n, b in behaviours.items()}
    clock = time.perf_counter()
    runs = await run_agents(
        analysts,
        list(behaviours),
        context_for=Ctx,  # type: ignore[arg-type]
        limits=AgentLimits(timeout_s=TIMEOUT, max_records=1_000),
        now=now,
        mode="quick",
    )
    return runs, time.perf_counter() - clock, started, ended


@pytest.mark.seed_property(45)
@EXAMPLES
@given(behaviours=st.dictionaries(st.sampled_from(NAMES), BEHAVIOURS, min_size=1))
async def test_property_45_one_agents_failure_never_touches_the_others_findings(
    behaviours: dict[str, str],
) -> None:
    # given agents that work, fail, hang or load too much
    # when they run for one question
    runs, _, _, _ = await run(behaviours)
    # then each has a result in the order named; the ones that worked keep their findings
    assert [r.result.agent for r in runs] == list(behaviours)
    expected = {
        "ok": AgentStatus.OK,
        "fails": AgentStatus.FAILED,
        "hangs": AgentStatus.TIMEOUT,
        "greedy": AgentStatus.LIMITED,
    }
    for r in runs:
        behaviour = behaviours[r.result.agent]
        assert r.result.status is expected[behaviour]
        if behaviour == "ok":
            assert [m.key for m in r.result.metrics] == [f"{r.result.agent}_metric"]
        else:
            # and a failed one found nothing, and says why as a data-quality warning
            assert r.result.metrics == [] and r.result.error
            assert r.result.warnings[0].agent == r.result.agent


@pytest.mark.seed_property(29)
@EXAMPLES
@given(records=st.lists(st.integers(1, 400), min_size=1, max_size=30))
async def test_property_29_an_agent_stops_at_its_record_budget(records: list[int]) -> None:
    # given an agent that loads batches of records against a budget of 1,000
    async def loader(ctx: Any) -> AgentResult:
        for n in records:
            ctx.budget.take(n)
        return AgentResult("demand", confidence=0.5)

    # when it runs
    runs = await run_agents(
        {"demand": loader},  # type: ignore[dict-item]
        ["demand"],
        context_for=Ctx,  # type: ignore[arg-type]
        limits=AgentLimits(timeout_s=1.0, max_records=1_000),
        now=now,
        mode="deep",
    )
    # then it finishes only if what it loaded stayed within the budget
    result = runs[0].result
    assert (result.status is AgentStatus.OK) == (sum(records) <= 1_000)
    assert result.records_read == sum(records) or result.records_read > 1_000


@pytest.mark.seed_property(30)
@settings(max_examples=100, deadline=None, database=None)
@given(count=st.integers(2, 5))
async def test_property_30_independent_agents_run_at_the_same_time(count: int) -> None:
    # given agents that each take about 20 ms
    behaviours = dict.fromkeys(NAMES[:count], "ok")
    # when they run for one question
    runs, seconds, started, ended = await run(behaviours)
    # then every one started before any finished, and the whole took less than one after another
    assert len(started) == count and max(started) < min(ended)
    assert all(r.result.status is AgentStatus.OK for r in runs)
    assert count < 3 or seconds < 0.02 * count


@pytest.mark.seed_property(27)
@pytest.mark.seed_property(28)
@EXAMPLES
@given(behaviours=st.dictionaries(st.sampled_from(NAMES), BEHAVIOURS, min_size=1))
async def test_property_27_28_a_question_ends_within_its_modes_limit_whatever_its_agents_do(
    behaviours: dict[str, str],
) -> None:
    # given agents among which some hang
    # when they run with a limit of 50 ms each
    _, seconds, _, _ = await run(behaviours)
    # then the run ends within the limit (and some slack for the event loop), never later
    assert seconds < TIMEOUT + 0.5
