"""Spans exported to memory, for tests that check what was traced.

OpenTelemetry lets a process set its global tracer provider once. `span_exporter()` installs
an SDK provider when none is installed yet, or adds a processor to the SDK provider already
installed (by another test module, say), and returns an in-memory exporter fed by it:

    exporter = span_exporter()
    exporter.clear()
    ...  # run the traced code
    spans = exporter.get_finished_spans()

Mercato's module-level tracers (`trace.get_tracer(...)`) are proxies that reach whichever
provider is global when they first start a span, so spans reach the exporter whichever
installed the provider.
"""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

_EXPORTERS: list[InMemorySpanExporter] = []


def span_exporter() -> InMemorySpanExporter:
    """An in-memory exporter of every span this process finishes (made once per process)."""
    if _EXPORTERS:
        return _EXPORTERS[0]
    exporter = InMemorySpanExporter()
    installed = trace.get_tracer_provider()
    if isinstance(installed, TracerProvider):
        installed.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
        if trace.get_tracer_provider() is not provider:
            raise RuntimeError("another tracer provider, not the SDK's, is installed")
    _EXPORTERS.append(exporter)
    return exporter
