"""`mercato serve` as a user runs it: a real server process, several workers, one store."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """`mercato serve --workers 2` on a fresh data directory; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "MERCATO_DATA_DIR": str(tmp_path / "data"),
        "MERCATO_LOG_LEVEL": "WARNING",
        "MERCATO_GRPC_PORT": str(free_port()),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "mercato.cli", "serve", "--port", str(port), "--workers", "2"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)  # not listening yet
            continue
        if process.poll() is not None:
            raise AssertionError(f"serve exited: {process.stderr.read() if process.stderr else ''}")
        time.sleep(0.1)
    else:
        raise AssertionError("serve was not ready within 60 s")
    yield base
    process.terminate()
    process.wait(timeout=20)


def test_a_fresh_data_directory_is_migrated_and_served_by_two_workers(server: str) -> None:
    # given a server started on an empty data directory with two workers
    # when a client makes forty requests
    with httpx.Client(base_url=server) as client:
        for _ in range(40):
            assert client.get("/health/live").status_code == 200
        health = client.get("/health").json()
        metrics = client.get("/metrics").text
        docs = client.get("/docs")
        asset = client.get("/static-offline-docs/swagger-ui-bundle.js")
    # then the schema is in place, and the metrics count every request across both workers
    assert health["status"] == "ok" and health["mode"] == "embedded"
    series = 'http_request_duration_seconds_count{method="GET",route="/health/live",status="200"}'
    count = re.search("^mercato_" + re.escape(series) + r" (\S+)$", metrics, re.MULTILINE)
    assert count is not None and float(count.group(1)) == 40
    # and the API docs need nothing from the internet
    assert docs.status_code == 200 and "cdn" not in docs.text
    assert asset.status_code == 200 and len(asset.content) > 100_000
