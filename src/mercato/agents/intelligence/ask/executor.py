"""Runs a question's analysis agents: all at once (they are independent: seed 001 property
30), each within its time limit and record budget (29), each failure its own (45): an agent
that raises, hangs or passes its limit gives a result saying so, and the others' findings
still make the report. Quick mode reads each agent's result through the cache; Deep mode
makes it fresh and stores it. Every run is timed, traced and logged (62 to 64)."""

from __future__ import annotations

import asyncio
import time
import traceback
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import orjson
import structlog
from opentelemetry import trace

from mercato.agents.intelligence.ask import codec, metrics
from mercato.agents.intelligence.ask.context import AnalystContext
from mercato.agents.intelligence.ask.findings import AgentResult, AgentStatus, QualityWarning
from mercato.agents.intelligence.ask.limits import AgentLimits, LimitReached, RecordBudget

log = structlog.get_logger("mercato.intelligence.ask")
tracer = trace.get_tracer("mercato.intelligence")

Analyst = Callable[[AnalystContext], Awaitable[AgentResult]]
Progress = Callable[[str, str, float], Awaitable[None]]
"""(agent, status, milliseconds so far): "running" when it starts, its outcome when done."""


class ResultCache(Protocol):
    async def get_or_compute(
        self,
        key: str,
        *,
        kind: str,
        deps: Iterable[str],
        compute: Callable[[], Awaitable[dict[str, Any]]],
        fresh: bool = False,
    ) -> tuple[dict[str, Any], Any]: ...


@dataclass(frozen=True)
class Caching:
    cache: ResultCache
    key: str
    """The question's scope, period and viewer; the agent's name is added."""
    deps: Callable[[str], Sequence[str]]
    """A data kind → what an entry of it depends on (products, category, store)."""
    kinds: Mapping[str, str]
    """Agent → the data kind whose freshness applies to it."""
    fresh: bool
    """Deep mode: make it again and store it."""


@dataclass
class AgentRun:
    result: AgentResult
    cache: str
    started_at: datetime
    trace_id: str | None
    result_bytes: int


async def run_agents(
    analysts: Mapping[str, Analyst],
    names: Sequence[str],
    *,
    context_for: Callable[[RecordBudget], AnalystContext],
    limits: AgentLimits,
    caching: Caching | None = None,
    progress: Progress | None = None,
    now: Callable[[], datetime],
    mode: str,
) -> list[AgentRun]:
    """Every named agent's run, in the order named; never raises for an agent's failure."""
    return list(
        await asyncio.gather(
            *(
                _run_one(name, analysts[name], context_for, limits, caching, progress, now, mode)
                for name in names
            )
        )
    )


async def _run_one(
    name: str,
    analyst: Analyst,
    context_for: Callable[[RecordBudget], AnalystContext],
    limits: AgentLimits,
    caching: Caching | None,
    progress: Progress | None,
    now: Callable[[], datetime],
    mode: str,
) -> AgentRun:
    started, clock = now(), time.perf_counter()
    budget = RecordBudget(limits.max_records)
    cache_outcome = "none"
    with tracer.start_as_current_span(f"intelligence agent {name}") as span:
        span.set_attribute("mercato.agent", name)
        span.set_attribute("mercato.mode", mode)
        trace_id = _trace_id(span)
        if progress is not None:
            await _tell(progress, name, "running", 0.0)
        try:
            async with asyncio.timeout(limits.timeout_s):
                produce = _producer(analyst, context_for(budget))
                if caching is None:
                    result = await produce()
                else:
                    result, cache_outcome = await _cached(name, produce, caching)
        except TimeoutError:
            result = _failed(
                name,
                AgentStatus.TIMEOUT,
                "timeout",
                f"gave no answer within {limits.timeout_s:g} s",
            )
        except LimitReached as exc:
            result = _failed(name, AgentStatus.LIMITED, "limited", f"stopped at its limit: {exc}")
        except Exception as exc:  # an agent's failure is its own: the others' findings stand
            log.error(
                "intelligence_agent_failed",
                traceback=traceback.format_exc(limit=12),
                agent=name,
                mode=mode,
                records_read=budget.used,
                error=repr(exc),
            )
            span.record_exception(exc)
            result = _failed(name, AgentStatus.FAILED, "agent_failed", f"failed: {exc}")
        result.duration_ms = round((time.perf_counter() - clock) * 1000, 1)
        result.records_read = max(result.records_read, budget.used)
        span.set_attribute("mercato.status", str(result.status))
        span.set_attribute("mercato.records_read", result.records_read)
    size = len(orjson.dumps(codec.encode(result)))
    metrics.agent_seconds.labels(name, mode, str(result.status)).observe(result.duration_ms / 1000)
    log.info(
        "intelligence_agent_ran", agent=name, mode=mode, status=str(result.status),
        duration_ms=result.duration_ms, records_read=result.records_read, result_bytes=size,
        cache=cache_outcome, trace_id=trace_id,
    )  # fmt: skip
    if progress is not None:
        await _tell(progress, name, str(result.status), result.duration_ms)
    return AgentRun(result, cache_outcome, started, trace_id, size)


def _producer(analyst: Analyst, ctx: AnalystContext) -> Callable[[], Awaitable[AgentResult]]:
    async def produce() -> AgentResult:
        result = await analyst(ctx)
        result.notes += ctx.notes
        return result

    return produce


async def _cached(
    name: str, produce: Callable[[], Awaitable[AgentResult]], caching: Caching
) -> tuple[AgentResult, str]:
    async def compute() -> dict[str, Any]:
        return codec.encode(await produce())

    kind = caching.kinds.get(name, name)
    value, outcome = await caching.cache.get_or_compute(
        f"{name}:{caching.key}",
        kind=kind,
        deps=caching.deps(kind),
        compute=compute,
        fresh=caching.fresh,
    )
    label = str(getattr(outcome, "value", outcome)).lower()
    metrics.agent_cache.labels(name, label).inc()
    return codec.decode(value), label


def _failed(name: str, status: AgentStatus, kind: str, message: str) -> AgentResult:
    return AgentResult(
        name,
        status=status,
        error=message,
        warnings=[QualityWarning(kind, f"the {name} agent {message}", name)],
    )


async def _tell(progress: Progress, name: str, status: str, ms: float) -> None:
    try:
        await progress(name, status, ms)
    except Exception as exc:  # progress is best effort: the question goes on
        log.warning("intelligence_progress_failed", agent=name, error=repr(exc))


def _trace_id(span: trace.Span) -> str | None:
    """The span's trace id in hex, None when tracing is off (the id is then 0)."""
    found = span.get_span_context().trace_id
    return f"{found:032x}" if found else None
