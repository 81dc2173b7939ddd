"""Health endpoints check the real dependencies; metrics, logs and traces tell what happened."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.observability import configure_logging
from tests.conftest import eventually
from tests.support import example_agent
from tests.support.http import client_for


async def test_ready_and_health_report_up_components(kernel: Kernel) -> None:
    async with client_for(kernel) as client:
        ready = await client.get("/health/ready")
        health = await client.get("/health")
        live = await client.get("/health/live")
    assert (live.status_code, ready.status_code, health.status_code) == (200, 200, 200)
    assert {c["name"]: c["status"] for c in ready.json()["checks"]} == {
        "database": "up",
        "broker": "up",
    }
    body = health.json()
    assert body["agents"] == ["example"] and body["mode"] in {"embedded", "scaled"}
    assert {c["name"] for c in body["components"]} == {"database", "broker", "relay"}


async def test_ready_is_503_when_the_broker_is_unreachable(
    make_settings: Callable[..., Settings],
) -> None:
    # given a kernel pointed at a Redis port where nothing listens
    settings = make_settings("sqlite", broker_url="redis://127.0.0.1:1/0")
    kernel = Kernel.build(settings, agents=[example_agent.agent])
    try:
        async with client_for(kernel, start=False) as client:
            ready = await client.get("/health/ready")
            health = await client.get("/health")
    finally:
        await kernel.stop()
    # then readiness fails and names the broker as down
    assert ready.status_code == 503
    checks = {c["name"]: c["status"] for c in ready.json()["checks"]}
    assert checks == {"database": "up", "broker": "down"}
    assert health.status_code == 503 and health.json()["status"] == "degraded"


async def test_metrics_count_requests_and_events(kernel: Kernel) -> None:
    async with client_for(kernel) as client:
        await client.post("/v1/notes", json={"text": "counted"})

        async def handled() -> bool:
            text = (await client.get("/metrics")).text
            return 'mercato_events_handled_total{handler="example.count_note"}' in text

        await eventually(handled)
        text = (await client.get("/metrics")).text
    assert (
        'mercato_http_request_duration_seconds_count{method="POST",route="/v1/notes",status="201"}'
        in text
    )
    for family in (
        "mercato_events_published_total",
        "mercato_outbox_lag_seconds",
        "mercato_events_dead_lettered_total",
        "mercato_saga_outcomes_total",
    ):
        assert f"# TYPE {family.removesuffix('_total')}" in text


async def test_logs_are_json_lines_with_the_request_and_correlation_ids(
    kernel: Kernel,
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(kernel.settings)
    async with client_for(kernel) as client:
        await client.post(
            "/v1/notes",
            json={"text": "boom"},
            headers={"x-request-id": "req-log-1", "x-correlation-id": "corr-log-1"},
        )
    lines = [
        json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")
    ]
    error = next(line for line in lines if line["event"] == "unhandled_error")
    assert error["request_id"] == "req-log-1"
    assert error["correlation_id"] == "corr-log-1"
    assert error["tenant_id"] == "default" and error["level"] == "error"


_EXPORTER: list[InMemorySpanExporter] = []


def _span_exporter() -> InMemorySpanExporter:
    """OpenTelemetry allows one global provider per process: install it once, or add this
    exporter to the SDK provider another test installed."""
    if not _EXPORTER:
        exporter = InMemorySpanExporter()
        provider = trace.get_tracer_provider()
        if not isinstance(provider, TracerProvider):
            provider = TracerProvider()
            trace.set_tracer_provider(provider)
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        _EXPORTER.append(exporter)
    return _EXPORTER[0]


async def test_a_trace_follows_a_request_into_the_event_handlers(kernel: Kernel) -> None:
    # given spans exported to memory
    exporter = _span_exporter()
    exporter.clear()
    # when a request writes a note whose event is handled
    async with client_for(kernel) as client:
        await client.post("/v1/notes", json={"text": "traced"})

        async def handled() -> bool:
            return sum(s.name == "handle note.written" for s in exporter.get_finished_spans()) == 2

        await eventually(handled)
    # then the handlers' spans belong to the request's trace
    spans = exporter.get_finished_spans()
    request = next(s for s in spans if s.name == "POST /v1/notes")
    handlers = [s for s in spans if s.name == "handle note.written"]
    assert {s.context.trace_id for s in handlers} == {request.context.trace_id}
    in_request = {
        s.context.span_id
        for s in spans
        if s.context.trace_id == request.context.trace_id and s.name != "handle note.written"
    }
    assert all(s.parent is not None and s.parent.span_id in in_request for s in handlers)
