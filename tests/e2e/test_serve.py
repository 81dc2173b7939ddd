"""`mercato serve` as a user runs it: a real server process, several workers, one store."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.serve import free_port, wait_until_ready


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
    wait_until_ready(base, process, lambda: process.stderr.read() if process.stderr else "")
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
