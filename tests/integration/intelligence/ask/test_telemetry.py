"""Every analysis agent's run is telemetry (seed 001 properties 62 to 64): a row in
`intel_agent_runs` and an `intelligence_agent_ran` log line with its status, time, records
read, result size and cache outcome; an agent that raises is logged with its context and
traceback; a question is one trace, its agents' spans children of the question's.

The properties run the executor (`run_agents`) directly with the test's agents, on one
SQLite store; one question each goes the whole way through `POST /v1/intelligence/query`."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from opentelemetry import trace
from sqlalchemy import select

from mercato.agents.intelligence.ask.analysts import KINDS, Analysts
from mercato.agents.intelligence.ask.context import AnalystContext
from mercato.agents.intelligence.ask.executor import Analyst, Caching, run_agents
from mercato.agents.intelligence.ask.findings import AgentResult
from mercato.agents.intelligence.ask.limits import AgentLimits, RecordBudget
from mercato.agents.intelligence.ask.models import IntelAgentRun, IntelQuery
from mercato.agents.intelligence.ask.planner import AGENTS
from mercato.agents.intelligence.ask.products import ScopedProduct
from mercato.agents.intelligence.ask.queue import Dispatcher
from mercato.agents.intelligence.ask.running import _record_runs, run_question
from mercato.agents.intelligence.ask.scope import Mode, Scope
from mercato.agents.intelligence.cache.analysis_cache import AnalysisCache
from mercato.kernel.auth import Principal
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.intelligence.ask.test_queue import Store, analysts, idle, opened
from tests.support.logs import captured_logs
from tests.support.store import store_for
from tests.support.tracing import span_exporter

EXAMPLES = hypothesis_settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LIMITS = AgentLimits(timeout_s=0.01, max_records=1_000)
"""A hang is cut at 10 ms: the test's agents that do not hang never wait."""
STATUS = {"ok": "ok", "fails": "failed", "hangs": "timeout"}
BEHAVIOURS = st.tuples(st.sampled_from(sorted(STATUS)), st.integers(0, 200))
"""What an agent does after reading some records."""
PRODUCT = ScopedProduct(
    "p-telemetry", "Telemetry kettle", Decimal("20.00"), "EUR", None, None, None, (),
    frozenset(), True,
)  # fmt: skip
_serial = itertools.count(1)


def behaving(name: str, behaviour: str, records: int) -> Analyst:
    async def analyse(ctx: AnalystContext) -> AgentResult:
        ctx.budget.take(records)
        if behaviour == "fails":
            raise ValueError(f"{name} read {records} records and gave up")
        if behaviour == "hangs":
            await asyncio.Event().wait()
        return AgentResult(name, confidence=0.5, insights=[], records_read=records)

    return analyse


@pytest.fixture
async def store(make_settings: Callable[..., Settings]) -> AsyncIterator[Store]:
    async with opened(make_settings("sqlite")) as found:
        yield found


def contexts(store: Store, mode: Mode) -> Callable[[RecordBudget], AnalystContext]:
    principal = Principal(id="tester", tenant_id="default", kind="user", roles=frozenset({"admin"}))

    def make(budget: RecordBudget) -> AnalystContext:
        return AnalystContext(
            store.kernel, principal, Scope(), [PRODUCT], mode, store.kernel.clock.now(), budget
        )

    return make


def caching(store: Store, *, deep: bool) -> Caching:
    return Caching(
        store.kernel.deps(AnalysisCache), f"telemetry-{next(_serial)}", lambda kind: [kind],
        KINDS, deep,
    )  # fmt: skip


async def runs_of(store: Store, query_id: str) -> dict[str, IntelAgentRun]:
    async with store.kernel.uow(writes=False) as uow:
        rows = await uow.session.scalars(
            select(IntelAgentRun).where(IntelAgentRun.query_id == query_id)
        )
        return {r.agent: r for r in rows}


@pytest.mark.seed_property(62)
@EXAMPLES
@given(
    plan=st.dictionaries(st.sampled_from(AGENTS), BEHAVIOURS, min_size=1),
    mode=st.sampled_from(list(Mode)),
)
async def test_property_62_agent_executions_are_logged_with_telemetry(
    store: Store, plan: dict[str, tuple[str, int]], mode: Mode
) -> None:
    # given agents that answer, raise or hang after reading some records
    fakes = {name: behaving(name, *behaviour) for name, behaviour in plan.items()}
    query = IntelQuery(id=f"telemetry-{next(_serial)}", mode=mode.value)
    # when a question's agents run and their runs are recorded
    with captured_logs() as logs:
        runs = await run_agents(
            fakes, list(plan), context_for=contexts(store, mode), limits=LIMITS,
            caching=caching(store, deep=mode is Mode.DEEP), now=store.kernel.clock.now,
            mode=mode.value,
        )  # fmt: skip
    await _record_runs(store.kernel, query, runs)
    # then each agent has a row with its status, time, records read, result size and cache
    rows = await runs_of(store, query.id)
    assert set(rows) == set(plan)
    ran = {e["agent"]: e for e in logs if e["event"] == "intelligence_agent_ran"}
    assert set(ran) == set(plan)
    for name, (behaviour, records) in plan.items():
        row, event = rows[name], ran[name]
        cache = ("bypass" if mode is Mode.DEEP else "miss") if behaviour == "ok" else "none"
        assert (row.status, row.mode, row.records_read, row.cache) == (
            STATUS[behaviour],
            mode.value,
            records,
            cache,
        )
        assert row.duration_ms >= 0 and row.result_bytes > 0
        assert (row.error is None) == (behaviour == "ok")
        # and a log line with the same figures
        assert {k: event[k] for k in ("status", "mode", "records_read", "cache")} == {
            "status": row.status, "mode": row.mode, "records_read": records, "cache": cache,
        }  # fmt: skip
        assert (event["duration_ms"], event["result_bytes"]) == (row.duration_ms, row.result_bytes)


RAISERS = st.sampled_from(["read_the_feed", "parse_the_reviews", "fit_the_model"])
ERRORS = st.sampled_from([ValueError, KeyError, RuntimeError, ZeroDivisionError, OSError])


def raising(function: str, error: type[Exception], message: str) -> Analyst:
    """An agent whose helper named `function` raises `error(message)`."""

    def helper() -> None:
        raise error(message)

    helper.__name__ = helper.__qualname__ = function
    helper.__code__ = helper.__code__.replace(co_name=function, co_qualname=function)

    async def analyse(ctx: AnalystContext) -> AgentResult:
        helper()
        return AgentResult("unreachable")

    return analyse


@pytest.mark.seed_property(63)
@EXAMPLES
@given(
    agent=st.sampled_from(AGENTS),
    mode=st.sampled_from(list(Mode)),
    function=RAISERS,
    error=ERRORS,
    message=st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=30),
)
async def test_property_63_errors_are_logged_with_context(
    store: Store, agent: str, mode: Mode, function: str, error: type[Exception], message: str
) -> None:
    # given an agent that raises in one of its functions
    fakes = {agent: raising(function, error, message)}
    # when it runs
    with captured_logs() as logs:
        [run] = await run_agents(
            fakes, [agent], context_for=contexts(store, mode), limits=LIMITS, now=datetime.now,
            mode=mode.value,
        )  # fmt: skip
    # then its failure is logged once, as an error, with the agent, mode and error
    [failed] = [e for e in logs if e["event"] == "intelligence_agent_failed"]
    assert failed["log_level"] == "error"
    assert (failed["agent"], failed["mode"]) == (agent, mode.value)
    assert failed["error"] == repr(error(message))
    # and a traceback that reaches the function that raised
    assert "Traceback" in failed["traceback"] and f"in {function}" in failed["traceback"]
    assert error.__name__ in failed["traceback"]
    # and the run says it failed, with its error
    assert str(run.result.status) == "failed" and run.result.error == f"failed: {error(message)}"


@pytest.mark.seed_property(64)
@EXAMPLES
@given(agents=st.lists(st.sampled_from(AGENTS), min_size=1, unique=True),
       mode=st.sampled_from(list(Mode)))  # fmt: skip
async def test_property_64_agent_spans_are_children_of_the_question_s(
    store: Store, agents: list[str], mode: Mode
) -> None:
    exporter = span_exporter()
    exporter.clear()
    fakes = {name: behaving(name, "ok", 1) for name in agents}
    # when a question's agents run inside the question's span
    with trace.get_tracer("tests").start_as_current_span("a question") as question:
        runs = await run_agents(
            fakes, agents, context_for=contexts(store, mode), limits=LIMITS, now=datetime.now,
            mode=mode.value,
        )  # fmt: skip
    # then each agent has a span of its own, a child of the question's, in its trace
    spans = {s.name: s for s in exporter.get_finished_spans()}
    trace_id = question.get_span_context().trace_id
    for name, run in zip(agents, runs, strict=True):
        span = spans[f"intelligence agent {name}"]
        assert span.parent is not None
        assert span.parent.span_id == question.get_span_context().span_id
        assert span.context.trace_id == trace_id and run.trace_id == f"{trace_id:032x}"
        assert span.attributes is not None and span.attributes["mercato.agent"] == name
        assert span.attributes["mercato.mode"] == mode.value


# -- the whole way ----------------------------------------------------------------------


@pytest.fixture
async def asked(settings: Settings) -> AsyncIterator[Store]:
    quick = settings.model_copy(update={"intel_quick_seconds": 2.0})
    async with opened(quick) as found:
        await found.product()
        yield found


async def read_the_reviews(ctx: AnalystContext) -> AgentResult:
    raise LookupError("no reviews table")


async def take_a_while(ctx: AnalystContext) -> AgentResult:
    await asyncio.sleep(0.3)
    return AgentResult("pricing", confidence=0.5)


@pytest.mark.seed_property(62)
@pytest.mark.seed_property(63)
@pytest.mark.seed_property(64)
async def test_a_question_asked_over_http_is_logged_and_traced(asked: Store) -> None:
    exporter = span_exporter()
    exporter.clear()
    # given the demand agent hangs, the sentiment agent raises, the others find something
    asked.kernel.deps(Analysts).by_name.update(
        analysts(demand=behaving("demand", "hangs", 3), sentiment=read_the_reviews)
    )
    runner = Dispatcher(asked.kernel, run_question)
    # when a question needing all five is asked and run
    with captured_logs() as logs:
        query_id = (await asked.ask())["query_id"]
        runner.wake()
        state = await asked.finished(query_id)
    await idle(runner)
    assert state["status"] == "partial", state
    # then each agent's run is a row and a log line (62)
    rows = await runs_of(asked, query_id)
    assert {a: r.status for a, r in rows.items()} == {
        "pricing": "ok", "competitors": "ok", "sentiment": "failed", "demand": "timeout",
        "sales": "ok",
    }  # fmt: skip
    assert all(r.result_bytes > 0 and r.duration_ms >= 0 for r in rows.values())
    assert rows["demand"].records_read == 3 and rows["pricing"].cache == "miss"
    ran = {e["agent"]: e for e in logs if e["event"] == "intelligence_agent_ran"}
    assert {a: e["status"] for a, e in ran.items()} == {a: r.status for a, r in rows.items()}
    # and the failure is logged with its context (63)
    [failed] = [e for e in logs if e["event"] == "intelligence_agent_failed"]
    assert failed["agent"] == "sentiment" and failed["mode"] == "quick"
    assert failed["error"] == repr(LookupError("no reviews table"))
    assert "in read_the_reviews" in failed["traceback"]
    # and the question is one trace: its span the parent of each agent's (64)
    spans = exporter.get_finished_spans()
    [question] = [s for s in spans if s.name == "intelligence question"]
    assert question.attributes is not None and question.attributes["mercato.query_id"] == query_id
    trace_hex = f"{question.context.trace_id:032x}"
    for agent in AGENTS:
        [span] = [s for s in spans if s.name == f"intelligence agent {agent}"]
        assert span.parent is not None and span.parent.span_id == question.context.span_id
        assert span.context.trace_id == question.context.trace_id
        assert rows[agent].trace_id == trace_hex
    # and the question's row names that trace
    assert (await asked.row(query_id)).trace_id == trace_hex
    assert {e["trace_id"] for e in ran.values()} == {trace_hex}


async def test_each_question_is_traced_in_the_request_that_asked_it(settings: Settings) -> None:
    """A question runs in the trace of the request that asked it (the process that accepted
    it takes it), not in that of whichever request last woke the process's dispatcher."""
    exporter = span_exporter()
    exporter.clear()
    one = settings.model_copy(update={"intel_questions_per_process": 1})
    async with store_for(one, start=False) as (kernel, client):
        with bind(tenant_id=one.default_tenant):
            asked = Store(kernel, client)
            await asked.product()
            kernel.deps(Analysts).by_name.update(analysts(pricing=take_a_while))
            # given a question running on the process's dispatcher, and a second one asked
            # meanwhile (the process runs one at a time)
            first = (await asked.ask())["query_id"]
            second = (await asked.ask())["query_id"]
            # when both have run
            await asked.finished(first)
            await asked.finished(second)
            await idle(kernel.deps(Dispatcher))
    # then each question's span is a child of its own request's span, in its trace
    spans = exporter.get_finished_spans()
    requests = sorted(
        (s for s in spans if s.name == "POST /v1/intelligence/query" and s.parent is None),
        key=lambda s: s.start_time or 0,
    )
    questions = {
        s.attributes["mercato.query_id"]: s
        for s in spans
        if s.name == "intelligence question" and s.attributes is not None
    }
    assert len(requests) == 2 and set(questions) == {first, second}
    for request, query_id in zip(requests, (first, second), strict=True):
        question = questions[query_id]
        assert question.context.trace_id == request.context.trace_id, query_id
