"""Running a question this process took from the queue: read it (the router, or the LLM for a
question the router cannot parse), plan its agents, run them (`executor`), make the report
(`synthesis`) and its summary (`summarising`), keep it, and tell the watchers. The whole is
held to the mode's time limit; whatever happens, the question ends done, partial or failed,
never running."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import structlog
from opentelemetry import propagate, trace
from sqlalchemy import update

from mercato.agents.intelligence.ask import metrics
from mercato.agents.intelligence.ask.analysts import KINDS, Analysts
from mercato.agents.intelligence.ask.asking import principal_of
from mercato.agents.intelligence.ask.context import AnalystContext
from mercato.agents.intelligence.ask.executor import AgentRun, Caching, run_agents
from mercato.agents.intelligence.ask.limits import AgentLimits, RecordBudget, limits_for
from mercato.agents.intelligence.ask.live import TOPIC
from mercato.agents.intelligence.ask.models import IntelAgentRun, IntelQuery, IntelReport
from mercato.agents.intelligence.ask.planner import agents_for
from mercato.agents.intelligence.ask.products import ScopedProduct, in_scope
from mercato.agents.intelligence.ask.reading import read_question
from mercato.agents.intelligence.ask.scope import Mode, Route, Scope, route_to_dict
from mercato.agents.intelligence.ask.statuses import QueryStatus, ReportStatus
from mercato.agents.intelligence.ask.summarising import summarise
from mercato.agents.intelligence.ask.synthesis import AgentRow, Asked, synthesize
from mercato.agents.intelligence.cache import deps
from mercato.agents.intelligence.cache.analysis_cache import AnalysisCache
from mercato.agents.intelligence.governance import escalation, sla
from mercato.agents.intelligence.memory import conversations, preferences, prioritise, similar
from mercato.kernel.auth import Principal
from mercato.kernel.ids import new_id
from mercato.kernel.wiring import NotWiredError

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel

log = structlog.get_logger("mercato.intelligence.ask")
tracer = trace.get_tracer("mercato.intelligence")
OUTCOMES = {"ok": "ok", "failed": "failed", "timeout": "timeout", "limited": "failed"}
CONNECTION_WORDS = ("connection", "connect", "refused", "unreachable", "operationalerror")


async def announce(kernel: Kernel, query_id: str, message: dict[str, Any]) -> None:
    try:
        await kernel.broadcast.publish(TOPIC, {"query_id": query_id, **message})
    except Exception as exc:  # watchers also read the row: progress is best effort
        log.warning("intelligence_announce_failed", query_id=query_id, error=repr(exc))


async def _save_progress(kernel: Kernel, query_id: str, progress: dict[str, Any]) -> None:
    async with kernel.uow() as uow:
        await uow.session.execute(
            update(IntelQuery)
            .where(IntelQuery.id == query_id)
            .values(progress=dict(progress))
            .execution_options(synchronize_session=False)
        )
        await uow.commit()


async def run_question(kernel: Kernel, tenant: str, query_id: str) -> None:
    """Run the question to its end (its row says how it ended)."""
    async with kernel.uow(writes=False) as uow:
        row = await uow.session.get(IntelQuery, query_id)
    if row is None or row.status is not QueryStatus.RUNNING:
        return
    mode = Mode(row.mode)
    settings = kernel.settings
    limits = limits_for(
        mode, quick_s=settings.intel_quick_seconds, deep_s=settings.intel_deep_seconds
    )
    started = time.perf_counter()
    asked_in = propagate.extract(row.trace or {})
    with tracer.start_as_current_span("intelligence question", context=asked_in) as span:
        span.set_attribute("mercato.query_id", query_id)
        span.set_attribute("mercato.mode", mode.value)
        found = span.get_span_context().trace_id
        trace_id = f"{found:032x}" if found else None
        try:
            async with asyncio.timeout(limits.total_s):
                report = await _answer(kernel, row, principal_of(row.asker), started, trace_id)
            status = QueryStatus.DONE if report["status"] != "partial" else QueryStatus.PARTIAL
            await _finish(kernel, row, status, report=report, error=None, trace_id=trace_id)
        except TimeoutError:
            await _finish(
                kernel, row, QueryStatus.FAILED, report=None, trace_id=trace_id,
                error=f"no report within {mode.value} mode's limit of {limits.total_s:g} s",
            )  # fmt: skip
        except Exception as exc:
            log.exception("intelligence_question_failed", query_id=query_id, error=repr(exc))
            span.record_exception(exc)
            await _finish(
                kernel, row, QueryStatus.FAILED, report=None, trace_id=trace_id,
                error=f"{type(exc).__name__}: {exc}",
            )  # fmt: skip
    seconds = time.perf_counter() - started
    metrics.question_seconds.labels(mode.value, "ended").observe(seconds)
    try:
        async with kernel.uow() as uow:
            await sla.observe(
                uow, mode=mode.value, seconds=seconds, query_id=query_id, now=uow.clock.now()
            )
            await uow.commit()
    except Exception as exc:  # the SLA's bookkeeping never fails the question
        log.warning("intelligence_sla_observe_failed", error=repr(exc))


async def _answer(
    kernel: Kernel, row: IntelQuery, principal: Principal, started: float, trace_id: str | None
) -> dict[str, Any]:
    now = kernel.clock.now()
    mode = Mode(row.mode)
    route = await read_question(kernel, row, principal, mode=mode, now=now)
    agents = agents_for(route)
    products = await in_scope(kernel, route.scope, principal)
    async with kernel.uow(writes=False) as uow:
        prefs = await preferences.get(uow, principal.id)
    progress: dict[str, Any] = {name: {"status": "queued", "ms": 0.0} for name in agents}
    async with kernel.uow() as uow:
        await uow.session.execute(
            update(IntelQuery)
            .where(IntelQuery.id == row.id)
            .values(
                route=route_to_dict(route),
                agents=list(agents),
                progress=progress,
                trace_id=trace_id,
            )
            .execution_options(synchronize_session=False)
        )
        await uow.commit()
    await announce(
        kernel, row.id, {"type": "planned", "agents": list(agents), "route": route_to_dict(route)}
    )

    async def tell(agent: str, status: str, ms: float) -> None:
        progress[agent] = {"status": status, "ms": round(ms, 1)}
        if status != "running":  # the row is read by polling: its ends are enough there
            await _save_progress(kernel, row.id, progress)
        await announce(
            kernel, row.id, {"type": "agent", "agent": agent, "status": status, "ms": round(ms, 1)}
        )

    runs = await run_agents(
        kernel.deps(Analysts).by_name,
        agents,
        context_for=_contexts(kernel, principal, route, products, mode, now),
        limits=_agent_limits(kernel, mode, started),
        caching=_caching(kernel, principal, route, products, fresh=mode is Mode.DEEP),
        progress=tell,
        now=kernel.clock.now,
        mode=mode.value,
    )
    await _record_runs(kernel, row, runs)
    async with kernel.uow(writes=False) as uow:
        past = await similar.similar(uow, user_id=principal.id, question=row.question)
    report_id = new_id()
    asked = Asked(
        row.id, report_id, row.question, mode.value, route, kernel.clock.now(),
        (time.perf_counter() - started) * 1000,
    )  # fmt: skip
    report = synthesize(
        asked,
        [AgentRow(run.result, run.cache) for run in runs],
        rank_actions=lambda actions: prioritise.prioritise(actions, prefs),
        order_metrics=lambda found: prioritise.order_metrics(found, prefs),
        preferences=prefs.report_view(),
        similar=[p.as_dict() for p in past],
    )
    report["notes"] += [n for run in runs for n in run.result.notes]
    report["summary"] = await summarise(kernel, principal, report, query_id=row.id)
    report["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return report


def _agent_limits(kernel: Kernel, mode: Mode, started: float) -> AgentLimits:
    """The agents' limits, their time cut to what the question has left: reading the question
    and its products came out of the same limit, and the synthesis needs its share."""
    limits = limits_for(
        mode, quick_s=kernel.settings.intel_quick_seconds, deep_s=kernel.settings.intel_deep_seconds
    )
    left = limits.total_s - (time.perf_counter() - started)
    reserve = limits.total_s - limits.agent.timeout_s
    return replace(limits.agent, timeout_s=max(0.05, min(limits.agent.timeout_s, left - reserve)))


def _contexts(
    kernel: Kernel,
    principal: Principal,
    route: Route,
    products: list[ScopedProduct],
    mode: Mode,
    now: datetime,
) -> Callable[[RecordBudget], AnalystContext]:
    def make(budget: RecordBudget) -> AnalystContext:
        return AnalystContext(
            kernel, principal, route.scope, products, mode, now, budget,
            allow_crawl=kernel.settings.intel_deep_crawl,
        )  # fmt: skip

    return make


def _caching(
    kernel: Kernel,
    principal: Principal,
    route: Route,
    products: list[ScopedProduct],
    *,
    fresh: bool,
) -> Caching | None:
    try:
        cache = kernel.deps(AnalysisCache)
    except NotWiredError:
        return None
    scope = route.scope
    viewer = "all" if principal.merchant_id is None else f"merchant:{principal.merchant_id}"
    period = scope.period.as_dict() if scope.period else None
    described = repr(
        (sorted(p.id for p in products), scope.category_id, sorted(scope.filters.items()),
         scope.competitor, period, viewer)
    )  # fmt: skip
    key = hashlib.sha256(described.encode()).hexdigest()[:32]

    def depends(kind: str) -> list[str]:
        if scope.product_ids:
            return deps.for_products(kind, [p.id for p in products])
        if scope.category_id:
            return deps.for_category(kind, scope.category_id)
        return deps.for_store(kind)

    return Caching(cache, key, depends, KINDS, fresh)


async def _record_runs(kernel: Kernel, row: IntelQuery, runs: list[AgentRun]) -> None:
    """Each agent's run with its telemetry (seed 001 property 62), and its outcome counted
    toward the failure alerts (72 to 74)."""
    async with kernel.uow() as uow:
        now = uow.clock.now()
        for run in runs:
            r = run.result
            uow.session.add(
                IntelAgentRun(
                    id=new_id(), query_id=row.id, agent=r.agent, mode=row.mode,
                    status=r.status, started_at=run.started_at, duration_ms=r.duration_ms,
                    records_read=r.records_read, result_bytes=run.result_bytes, cache=run.cache,
                    error=r.error, trace_id=run.trace_id,
                )
            )  # fmt: skip
            outcome = OUTCOMES.get(str(r.status), "failed")
            if outcome == "failed" and any(w in (r.error or "").lower() for w in CONNECTION_WORDS):
                outcome = "connection_error"
            await escalation.record_outcome(
                uow, component=f"agent.{r.agent}", outcome=outcome,  # type: ignore[arg-type]
                error=r.error, now=now,
            )  # fmt: skip
        await uow.commit()


async def _finish(
    kernel: Kernel,
    row: IntelQuery,
    status: QueryStatus,
    *,
    report: dict[str, Any] | None,
    error: str | None,
    trace_id: str | None,
) -> None:
    async with kernel.uow() as uow:
        now = uow.clock.now()
        report_id = None
        if report is not None:
            report_id = report["id"]
            uow.session.add(
                IntelReport(
                    id=report_id, query_id=row.id, user_id=row.user_id, question=row.question,
                    mode=row.mode, status=ReportStatus(report["status"]),
                    summary=report["summary"]["text"], confidence=report["confidence"]["overall"],
                    body=report, created_at=now,
                )
            )  # fmt: skip
            if row.conversation_id:
                await conversations.remember(
                    uow, conversation_id=row.conversation_id, user_id=row.user_id,
                    query_id=row.id, question=row.question,
                    scope=Scope.from_dict(report["scope"]), intents=report["intents"], now=now,
                )  # fmt: skip
            await similar.record(
                uow, user_id=row.user_id, question=row.question, report_id=report_id, now=now
            )
        await uow.session.execute(
            update(IntelQuery)
            .where(IntelQuery.id == row.id)
            .values(status=status, report_id=report_id, error=error, finished_at=now,
                    lease_until=None, trace_id=trace_id)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        await uow.commit()
    await announce(
        kernel,
        row.id,
        {"type": "done", "status": str(status), "report_id": report_id, "error": error},
    )
