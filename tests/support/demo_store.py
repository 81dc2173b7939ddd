"""A demo store for tests that drive a real `mercato serve`: the demo data is built once (a
`mercato demo` data directory, the template) and each server runs on a copy of its own.

    template = demo_template(tmp_path_factory, products=120)   # once a session
    with serve_copy(template, tmp_path_factory.mktemp("x"), MERCATO_X="1") as base: ...

The template holds nothing tied to its path (the SQLite database, the keys and secrets, the
pictures under `objects/`), so a copied directory is a store of its own; settings read at
serve time (`MERCATO_RETURN_WINDOW_DAYS`, ...) are given to `serve_copy`, not baked in."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.serve import free_port, wait_until_ready

MERCATO = [sys.executable, "-m", "mercato.cli"]


def demo_template(tmp_path_factory: pytest.TempPathFactory, *, products: int) -> Path:
    """The data directory of `mercato demo --products N`, built once a test session: under
    pytest-xdist the workers share the run's base temp directory and the first to take the
    lock builds it; the others wait and reuse it. Treat it as read-only.

    The lock is `flock` (the stdlib's; `filelock` is no dependency of ours): the kernel drops
    it when its holder exits, so a worker that dies mid-build leaves no stale lock."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # each worker's base is <run>/popen-gwN; <run> is new for every run (never reused)
        shared = shared.parent
    template = shared / f"demo-{products}"
    with open(f"{template}.lock", "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # released when the file closes
        if not template.is_dir():
            building = shared / f"demo-{products}.building"
            shutil.rmtree(building, ignore_errors=True)  # a worker that died half-way
            _demo(building, products)
            (building / "data").rename(template)  # complete or absent, never half there
            shutil.rmtree(building)
    return template


def _demo(home: Path, products: int) -> None:
    home.mkdir(parents=True)
    env = {**os.environ, "MERCATO_DATA_DIR": str(home / "data"), "MERCATO_LOG_LEVEL": "WARNING"}
    done = subprocess.run(
        [*MERCATO, "demo", "--products", str(products)],
        check=False,
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise AssertionError(f"mercato demo failed ({done.returncode}): {done.stderr[-2000:]}")


@contextmanager
def serve_copy(template: Path, home: Path, **settings: str) -> Iterator[str]:
    """`mercato serve` on a copy of `template` in `home` (its own data and log), with
    `settings` (MERCATO_* variables) on top of the tests' own; the server's base URL."""
    shutil.copytree(template, home / "data")
    env = {
        **os.environ,
        "MERCATO_DATA_DIR": str(home / "data"),
        "MERCATO_LOG_LEVEL": "WARNING",
        "MERCATO_GRPC_PORT": str(free_port()),
        # every test signs in from the same address: the sign-in limit (10 a minute) is the
        # API's tests' to prove, not the pages'
        "MERCATO_RATE_LIMIT_AUTH": "1000/minute",
        **settings,
    }
    port = free_port()
    log = home / "serve.log"  # a file, not a pipe nobody reads: a full pipe would stall the server
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [*MERCATO, "serve", "--port", str(port)],
            cwd=home,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            text=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_ready(base, process, lambda: log.read_text()[-2000:])
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
