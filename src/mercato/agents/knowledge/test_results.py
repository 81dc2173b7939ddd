"""What Mercato's tests say about the catalog: which tests name an edge case or a business
rule (`marked_tests`, a static scan of their markers), and how those tests last ended
(`results_for`, read from the file the pytest plugin `tests.plugins.edge_case_results`
writes).

Where the results live: `Settings.knowledge_test_results` (`MERCATO_KNOWLEDGE_TEST_RESULTS`)
when set, else `.mercato/test-results.json` in the project checkout (the directory holding
`pyproject.toml`, `src/mercato` and `tests/`; pytest's rootdir there). An installed package
has no checkout: no tests are found and no result is recorded, which the catalog reports as
such. The file maps a test's node id to {"outcome": passed|failed|skipped, "at": ISO time,
"duration": seconds}, one entry per parametrization (`…::test_x[sqlite]`).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from mercato.kernel.config import Settings

Outcome = Literal["passed", "failed", "skipped"]
OUTCOMES: frozenset[str] = frozenset({"passed", "failed", "skipped"})
RESULTS_FILE = Path(".mercato") / "test-results.json"
_TEST_FILE = re.compile(r"^(test_.*|.*_test)\.py$")


# Where things are


@cache
def project_root() -> Path | None:
    """The source checkout Mercato runs from (`<root>/src/mercato`), or None when installed."""
    package = Path(__file__).resolve().parents[2]  # …/src/mercato
    root = package.parents[1]
    if package.parent.name == "src" and (root / "pyproject.toml").is_file():
        return root
    return None


def tests_dir() -> Path | None:
    root = project_root()
    return root / "tests" if root is not None and (root / "tests").is_dir() else None


def results_path(settings: Settings | None = None, *, root: Path | None = None) -> Path | None:
    """The results file: the setting when set, else `.mercato/test-results.json` under `root`
    (default: the project checkout); None when there is neither."""
    configured = (settings or Settings()).knowledge_test_results
    if configured is not None:
        return configured.expanduser()
    root = root or project_root()
    return root / RESULTS_FILE if root is not None else None


# Which tests name what (a static scan: nothing is imported or collected)


def marked_tests(tests: Path, marker: str) -> dict[str, list[str]]:
    """Marker argument (e.g. "EC003") → node ids of the tests carrying
    `@pytest.mark.<marker>("EC003")`, on the function, its class (or the class's
    `pytestmark`) or the module's `pytestmark`. Node ids are relative to the tests directory's
    parent, as pytest writes them from the project root. A file is parsed again only when it
    changed since this process last read it."""
    found: dict[str, list[str]] = {}
    tests = tests.resolve()
    for path in sorted(tests.rglob("*.py")):
        if not _TEST_FILE.match(path.name):
            continue
        stat = path.stat()
        marks = _marks_in_file(path, marker, stat.st_mtime_ns, stat.st_size)
        prefix = path.relative_to(tests.parent).as_posix()
        for name, ids in marks:
            for mark_id in ids:
                found.setdefault(mark_id, []).append(f"{prefix}::{name}")
    return dict(sorted(found.items()))


@lru_cache(maxsize=4096)
def _marks_in_file(
    path: Path, marker: str, mtime_ns: int, size: int
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    source = path.read_text(encoding="utf-8")
    if marker not in source:
        return ()
    try:
        module = ast.parse(source, filename=str(path))
    except SyntaxError:  # pytest reports it when collecting; the catalog just skips it
        return ()
    inherited = _pytestmark_ids(module.body, marker)
    return tuple(_marked(module.body, "", inherited, marker))


def _marked(
    body: list[ast.stmt], prefix: str, inherited: tuple[str, ...], marker: str
) -> Iterator[tuple[str, tuple[str, ...]]]:
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name.startswith("test"):
                ids = _unique(inherited + _decorator_ids(node.decorator_list, marker))
                if ids:
                    yield prefix + node.name, ids
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            ids = (
                inherited
                + _decorator_ids(node.decorator_list, marker)
                + _pytestmark_ids(node.body, marker)
            )
            yield from _marked(node.body, f"{prefix}{node.name}::", ids, marker)


def _decorator_ids(decorators: list[ast.expr], marker: str) -> tuple[str, ...]:
    return tuple(mark_id for d in decorators for mark_id in _mark_ids(d, marker))


def _pytestmark_ids(body: list[ast.stmt], marker: str) -> tuple[str, ...]:
    ids: tuple[str, ...] = ()
    for node in body:
        if isinstance(node, ast.Assign):
            named = any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)
        elif isinstance(node, ast.AnnAssign):
            named = isinstance(node.target, ast.Name) and node.target.id == "pytestmark"
        else:
            continue
        if not named or node.value is None:
            continue
        values = node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else [node.value]
        ids += tuple(mark_id for value in values for mark_id in _mark_ids(value, marker))
    return ids


def _mark_ids(expr: ast.expr, marker: str) -> tuple[str, ...]:
    """The string (or whole-number) arguments of `pytest.mark.<marker>(…)` or
    `mark.<marker>(…)`, as strings."""
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)):
        return ()
    func = expr.func
    owner = func.value
    is_mark = (isinstance(owner, ast.Attribute) and owner.attr == "mark") or (
        isinstance(owner, ast.Name) and owner.id == "mark"
    )
    if func.attr != marker or not is_mark:
        return ()
    return tuple(
        str(arg.value)
        for arg in expr.args
        if isinstance(arg, ast.Constant)
        and isinstance(arg.value, str | int)
        and not isinstance(arg.value, bool)
    )


def _unique(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


# How they last ended


@dataclass(frozen=True)
class Run:
    """One recorded run of one node (one parametrization)."""

    node_id: str
    outcome: Outcome
    at: str
    duration: float


@dataclass(frozen=True)
class RecordedResult:
    """A test's last recorded result, its parametrizations combined: failed if any failed,
    passed if every one that ran passed (those skipped are listed in `skipped`), skipped if
    none ran."""

    test: str
    outcome: Outcome
    at: str
    duration: float
    runs: list[Run] = field(default_factory=list)

    @property
    def skipped(self) -> list[str]:
        return [run.node_id for run in self.runs if run.outcome == "skipped"]


def read_results(path: Path | None) -> dict[str, Run]:
    """Every recorded run in the file, by node id; empty when there is no (readable) file."""
    if path is None:
        return {}
    try:
        stat = path.stat()
    except OSError:
        return {}
    return _read(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int, size: int) -> dict[str, Run]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {node: run for node, entry in data.items() if (run := _run(node, entry)) is not None}


def _run(node_id: str, entry: Any) -> Run | None:
    if not isinstance(entry, dict) or entry.get("outcome") not in OUTCOMES:
        return None
    duration = entry.get("duration")
    return Run(
        node_id=node_id,
        outcome=entry["outcome"],
        at=str(entry.get("at", "")),
        duration=float(duration) if isinstance(duration, int | float) else 0.0,
    )


def results_for(ids: Iterable[str], path: Path | None = None) -> dict[str, RecordedResult | None]:
    """Each test's (node id without parameters, as `marked_tests` gives them) last recorded
    result, or None when none is recorded. `path` defaults to `results_path()`."""
    runs = read_results(path if path is not None else results_path())
    by_test: dict[str, list[Run]] = {}
    for node_id, run in runs.items():
        by_test.setdefault(node_id.split("[", 1)[0], []).append(run)
    return {test: combine(test, by_test.get(test, [])) for test in ids}


def combine(test: str, runs: list[Run]) -> RecordedResult | None:
    if not runs:
        return None
    outcomes = {run.outcome for run in runs}
    outcome: Outcome = (
        "failed" if "failed" in outcomes else "passed" if "passed" in outcomes else "skipped"
    )
    return RecordedResult(
        test=test,
        outcome=outcome,
        at=max(run.at for run in runs),
        duration=round(sum(run.duration for run in runs), 6),
        runs=sorted(runs, key=lambda run: run.node_id),
    )
