"""Structured logs, Prometheus metrics and OpenTelemetry tracing.

Logs are JSON lines from structlog with the request, correlation and tenant ids bound by the
edge. Metrics are named `mercato_*`. Tracing is off unless `MERCATO_OTLP_ENDPOINT` is set;
the trace context rides in each event's envelope, so a handler's span joins the request's
trace.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from contextvars import ContextVar
from types import SimpleNamespace
from typing import Any

import structlog
from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from mercato.kernel.config import Settings

metrics = SimpleNamespace(
    http_latency=Histogram(
        "mercato_http_request_duration_seconds",
        "HTTP request latency by route template",
        ["method", "route", "status"],
        buckets=(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5),
    ),
    events_published=Counter(
        "mercato_events_published_total", "Events the relay handed to the transport", ["type"]
    ),
    events_handled=Counter("mercato_events_handled_total", "Events handled", ["handler"]),
    events_failed=Counter(
        "mercato_events_failed_total", "Handler attempts that raised", ["handler"]
    ),
    events_dead_lettered=Counter(
        "mercato_events_dead_lettered_total", "Events moved to the dead-letter store", ["handler"]
    ),
    event_delivery_seconds=Histogram(
        "mercato_event_delivery_seconds",
        "From an event's occurrence to its handler's commit",
        ["handler"],
        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    ),
    outbox_lag=Gauge(
        "mercato_outbox_lag_seconds",
        "Age of the oldest event the relay picked up last",
        multiprocess_mode="livemax",
    ),
    outbox_relayed_batch=Gauge(
        "mercato_outbox_batch_size", "Size of the relay's last batch", multiprocess_mode="livemax"
    ),
    saga_outcomes=Counter(
        "mercato_saga_outcomes_total", "Sagas finished, by outcome", ["saga", "outcome"]
    ),
    saga_steps=Counter(
        "mercato_saga_steps_total", "Saga steps run, by result", ["saga", "step", "result"]
    ),
    sql_statements=Counter(
        "mercato_sql_statements_total",
        "SQL statements that read or write data (transaction control left out), by the "
        "route whose request sent them (`background`: relay, handlers, jobs, resumed sagas)",
        ["route"],
    ),
)

statement_tally: ContextVar[list[int] | None] = ContextVar("mercato_statements", default=None)
"""The statements of the request in progress (set at the edge), so that they are counted
under its route: what a checkout costs in SQL is read from the metrics."""


_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


def count_statements(engine: AsyncEngine) -> None:
    """Count every statement `engine` sends that reads or writes data, into the request's
    tally or as background. Transaction control (BEGIN, SAVEPOINT…) is left out: the
    PostgreSQL driver issues its BEGIN outside this hook anyway, so counting it on SQLite
    only would make the two stacks' figures differ."""

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip()[:9].upper().startswith(_CONTROL):
            tally_statement()


_BACKGROUND_STATEMENTS = metrics.sql_statements.labels("background")


def tally_statement() -> None:
    """One statement sent, counted under the request in progress or as background (what
    `count_statements` does for SQLAlchemy's executions; prepared statements call it)."""
    tally = statement_tally.get()
    if tally is None:
        _BACKGROUND_STATEMENTS.inc()
    else:
        tally[0] += 1


SECRET_KEYS = frozenset(
    {
        "password",
        "new_password",
        "current_password",
        "token",
        "access_token",
        "refresh_token",
        "session_token",
        "authorization",
        "api_key",
        "secret",
        "reset_token",
        "x-session-token",
    }
)
_SECRET_PATTERNS = [
    re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+"),  # a JWT
    re.compile(r"\b(mk|ms|mr|mt)_[\w-]{16,}"),  # Mercato keys and session/refresh/reset tokens
    re.compile(r"(?i)(bearer\s+)\S+"),
]


def redact(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Never let a password or a token reach the logs, whatever a caller passes."""
    for key, value in list(event.items()):
        if key.lower() in SECRET_KEYS:
            event[key] = "[redacted]"
        elif isinstance(value, str):
            event[key] = _scrub(value)
    return event


def _scrub(text: str) -> str:
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.re.groups else "") + "[redacted]", text)
    return text


def configure_logging(settings: Settings) -> None:
    """JSON lines to stderr (or readable console lines when `MERCATO_LOG_JSON=false`)."""
    level = getattr(logging, settings.log_level)
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if settings.log_json
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            redact,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(message)s")


_tracing_configured = False


def configure_tracing(settings: Settings) -> None:
    """Export spans over OTLP/HTTP when an endpoint is configured; otherwise do nothing."""
    global _tracing_configured
    if not settings.otlp_endpoint or _tracing_configured:
        return
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    endpoint = settings.otlp_endpoint.rstrip("/")
    if not endpoint.endswith("/v1/traces"):
        endpoint += "/v1/traces"
    provider = TracerProvider(resource=Resource.create({"service.name": settings.service_name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    trace.set_tracer_provider(provider)
    _tracing_configured = True
