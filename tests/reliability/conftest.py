"""Helpers to run `tests.reliability.node` as a real process and kill it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mercato.kernel.config import Settings

ROOT = Path(__file__).resolve().parents[2]


class Node:
    """One subprocess; read its milestone lines, then kill it."""

    def __init__(self, settings: Settings, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "MERCATO_LOG_LEVEL": "WARNING"}
        for name, value in settings.model_dump(exclude={"database_url", "broker_url"}).items():
            if value is not None and not isinstance(value, list | dict):
                env[f"MERCATO_{name.upper()}"] = str(value)
        env["MERCATO_DATABASE_URL"] = settings.resolved_database_url
        if settings.broker_url:
            env["MERCATO_BROKER_URL"] = settings.broker_url
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.node", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def wait_for(self, prefix: str, count: int = 1, timeout: float = 60) -> list[str]:
        """Read lines until `count` of them start with `prefix`."""
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        assert self.process.stdout is not None
        while len(seen) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"no {count} x {prefix!r} within {timeout} s")
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError(f"the node exited ({self.process.poll()}) before {prefix!r}")
            if line.startswith(prefix):
                seen.append(line.strip())
        return seen

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def nodes() -> Iterator[list[Node]]:
    started: list[Node] = []
    yield started
    for node in started:
        node.kill()
