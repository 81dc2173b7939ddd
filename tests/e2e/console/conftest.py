"""The console in a real headless Chromium (Debian's `chromium`, driven by Playwright)
against a real `mercato serve` on a demo store: the demo data built once for the run, one
server per module on its own copy of it, a fresh browser
context (no cookies, no storage) per test, and a screenshot of any test that fails under
`test-artifacts/screenshots/`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.demo_store import demo_template, serve_copy

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


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data directory `mercato demo` made, once for the run (shared by the workers):
    each module's server runs on a copy of it."""
    return demo_template(tmp_path_factory, products=DEMO_PRODUCTS)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, demo_data: Path) -> Iterator[str]:
    """`mercato serve` on the module's own copy of the demo store; the server's base URL."""
    with serve_copy(demo_data, tmp_path_factory.mktemp("console")) as base:
        yield base


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
