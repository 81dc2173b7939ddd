"""The console in a real headless Chromium (Debian's `chromium`, driven by Playwright)
against a real `mercato serve` on a demo store: one server per module, a fresh browser
context (no cookies, no storage) per test, and a screenshot of any test that fails under
`test-artifacts/screenshots/`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.serve import free_port, wait_until_ready

playwright_api = pytest.importorskip("playwright.sync_api")

SCREENSHOTS = Path("test-artifacts/screenshots")
DEMO_PRODUCTS = 120


def chromium() -> str:
    """Debian's Chromium (`MERCATO_CHROMIUM` to point elsewhere); CI must have it."""
    found = os.environ.get("MERCATO_CHROMIUM") or shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed (scripts/test installs Debian's chromium)")
    pytest.skip("chromium is not installed")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`mercato demo`, then `mercato serve` on its data directory; the server's base URL."""
    home = tmp_path_factory.mktemp("console")
    env = {
        **os.environ,
        "MERCATO_DATA_DIR": str(home / "data"),
        "MERCATO_LOG_LEVEL": "WARNING",
        "MERCATO_GRPC_PORT": str(free_port()),
        # every test signs in from the same address: the sign-in limit (10 a minute) is the
        # API's tests' to prove, not the pages'
        "MERCATO_RATE_LIMIT_AUTH": "1000/minute",
    }
    command = [sys.executable, "-m", "mercato.cli"]
    subprocess.run(
        [*command, "demo", "--products", str(DEMO_PRODUCTS)],
        cwd=home,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    log = home / "serve.log"  # a file, not a pipe nobody reads: a full pipe would stall the server
    process = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        cwd=home,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_ready(base, process, lambda: log.read_text()[-2000:])
    yield base
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[_FAILED] = report.failed


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(browser: Any, store: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A new page in a context of its own, at the store; its uncaught errors are kept in
    `page.errors`, and what else the browser said is printed if the test fails."""
    context = browser.new_context(base_url=store, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    opened = context.new_page()
    opened.errors = []
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    opened.log = []  # what the browser said besides: shown when the test fails
    opened.on("console", lambda message: opened.log.append(f"{message.type}: {message.text}"))
    opened.on(
        "requestfailed", lambda request: opened.log.append(f"{request.url}: {request.failure}")
    )
    yield opened
    if request.node.stash.get(_FAILED, False):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        opened.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
        print("the browser said:", *opened.errors, *opened.log, sep="\n  ")
    context.close()
