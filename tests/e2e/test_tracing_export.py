"""With MERCATO_OTLP_ENDPOINT set, a real server exports its spans over OTLP/HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from tests.e2e.test_serve import free_port


class Collector(ThreadingHTTPServer):
    """A minimal OTLP/HTTP trace receiver that keeps what it is sent."""

    def __init__(self) -> None:
        self.received: list[ExportTraceServiceRequest] = []
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.path == "/v1/traces":
                    request = ExportTraceServiceRequest()
                    request.ParseFromString(body)
                    collector.received.append(request)
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return None

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def collector() -> Iterator[Collector]:
    server = Collector()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_spans_of_a_request_reach_the_configured_collector(
    tmp_path: Path, collector: Collector
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "MERCATO_DATA_DIR": str(tmp_path / "data"),
        "MERCATO_OTLP_ENDPOINT": f"http://127.0.0.1:{collector.server_address[1]}",
        "MERCATO_SERVICE_NAME": "mercato-under-test",
        "OTEL_BSP_SCHEDULE_DELAY": "100",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "mercato.cli", "serve", "--port", str(port), "--no-grpc"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        while time.monotonic() < deadline and not collector.received:
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=20)
    spans = [
        (resource, span)
        for request in collector.received
        for resource in request.resource_spans
        for scope in resource.scope_spans
        for span in scope.spans
    ]
    assert any(span.name == "GET /health/live" for _, span in spans)
    services = {
        attr.value.string_value
        for resource, _ in spans
        for attr in resource.resource.attributes
        if attr.key == "service.name"
    }
    assert services == {"mercato-under-test"}
