"""A `mercato serve` process a test started: wait until it answers /health/ready."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_ready(
    base: str, process: subprocess.Popen[str], why_not: Callable[[], str], seconds: float = 120
) -> None:
    """Return once `base` answers /health/ready; AssertionError (with `why_not()`, what the
    server said) if the process exits first or `seconds` go by."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited: {why_not()}")
        try:
            if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)  # not listening yet
            continue
        time.sleep(0.1)
    raise AssertionError(f"serve was not ready within {seconds:g} s: {why_not()}")
