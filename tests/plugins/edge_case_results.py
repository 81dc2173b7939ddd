"""A pytest plugin recording how the tests marked with an edge case (EC…) or a business rule
(BR…) ended, for the knowledge catalog (`mercato.agents.knowledge.test_results`).

At the end of a session it merges the outcome of every marked test that ran into the results
file (`MERCATO_KNOWLEDGE_TEST_RESULTS`, default `<rootdir>/.mercato/test-results.json`): a
partial run updates only the tests it ran. One entry per node id, parametrizations apart
(the reader combines them). Under pytest-xdist only the controller writes: it receives every
worker's reports through `pytest_runtest_logreport`.

Registered by `tests/conftest.py`; elsewhere `pytest -p tests.plugins.edge_case_results`.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mercato.kernel.config import Settings

MARKERS = ("edge_case", "business_rule", "seed_property")
RESULTS_FILE = Path(".mercato") / "test-results.json"
"""Under the rootdir, as `mercato.agents.knowledge.test_results` reads it (not imported here:
it would load the whole knowledge agent into every pytest process)."""


class Recorder:
    """Collects the marked tests' reports and writes them at the session's end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.runs: dict[str, dict[str, Any]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if not any(marker in report.keywords for marker in MARKERS):
            return
        stop = getattr(report, "stop", None)
        moment = datetime.fromtimestamp(stop, UTC) if stop else datetime.now(UTC)
        run = self.runs.setdefault(report.nodeid, {"outcome": "passed", "at": "", "duration": 0})
        run["at"] = moment.isoformat(timespec="seconds")
        run["duration"] += report.duration
        if report.failed:
            run["outcome"] = "failed"
        elif report.skipped and run["outcome"] != "failed":
            run["outcome"] = "skipped"

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if not self.runs:
            return
        for run in self.runs.values():
            run["duration"] = round(run["duration"], 4)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(self.path):
            recorded = _read(self.path)
            recorded.update(self.runs)
            partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            partial.write_text(json.dumps(dict(sorted(recorded.items())), indent=1) + "\n")
            partial.replace(self.path)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "edge_case(id): the edge case (EC…) this test exercises")
    config.addinivalue_line(
        "markers", "business_rule(id): the business rule (BR…) this test exercises"
    )
    if hasattr(config, "workerinput"):  # an xdist worker: the controller records
        return
    configured = Settings().knowledge_test_results
    path = configured.expanduser() if configured else config.rootpath / RESULTS_FILE
    config.pluginmanager.register(Recorder(path), "mercato-edge-case-results")


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Two test sessions finishing at once merge one after the other."""
    try:
        import fcntl
    except ImportError:  # not POSIX: the atomic replace still keeps the file whole
        yield
        return
    with path.with_name(f"{path.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
