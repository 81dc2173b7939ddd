"""The edge cases (EC…) the knowledge catalog serves, with the tests that cover them.

The cases themselves (EC001 to EC018 from seed 000, EC019 on from Mercato's tests) are data in
`edge_case_data`. A case is covered by every test marked `@pytest.mark.edge_case("EC…")`,
found by a static scan of the tests; its status is those tests' last recorded results.

    edge_cases(entity="payment", severity="critical")
    coverage_report()  # per case: its tests, their last results, covered or not
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from mercato.agents.knowledge import test_results
from mercato.agents.knowledge.edge_case_data import (
    SEED_EDGE_CASES,
    EdgeCase,
    EdgeCaseCategory,
    EdgeCaseSeverity,
)
from mercato.agents.knowledge.mercato_edge_case_data import MERCATO_EDGE_CASES
from mercato.agents.knowledge.test_results import RecordedResult

__all__ = [
    "EDGE_CASES",
    "MERCATO_EDGE_CASES",
    "SEED_EDGE_CASES",
    "Coverage",
    "EdgeCase",
    "EdgeCaseCategory",
    "EdgeCaseSeverity",
    "coverage_report",
    "covering_tests",
    "edge_case",
    "edge_cases",
]

EDGE_CASES: tuple[EdgeCase, ...] = SEED_EDGE_CASES + MERCATO_EDGE_CASES
_BY_ID = {case.id: case for case in EDGE_CASES}
MARKER = "edge_case"

Status = Literal["uncovered", "not_run", "passed", "failed", "skipped"]


def edge_cases(
    *,
    entity: str | None = None,
    workflow: str | None = None,
    category: EdgeCaseCategory | str | None = None,
    severity: EdgeCaseSeverity | str | None = None,
) -> list[EdgeCase]:
    """The edge cases matching every filter given (an empty string filters nothing, as in
    the seed's gRPC request), in id order."""
    return [
        case
        for case in EDGE_CASES
        if (not entity or case.entity == entity)
        and (not workflow or case.workflow == workflow)
        and (not category or case.category == category)
        and (not severity or case.severity == severity)
    ]


def edge_case(case_id: str) -> EdgeCase | None:
    return _BY_ID.get(case_id)


def covering_tests(tests_dir: Path) -> dict[str, list[str]]:
    """EC id → node ids of the tests marked with it (`test_results.marked_tests`)."""
    return test_results.marked_tests(tests_dir, MARKER)


@dataclass(frozen=True)
class Coverage:
    """One edge case's coverage: the tests naming it and how each last ended (None: no
    result recorded)."""

    id: str
    name: str
    tests: list[str]
    results: dict[str, RecordedResult | None]

    @property
    def covered(self) -> bool:
        return bool(self.tests)

    @property
    def status(self) -> Status:
        """uncovered (no test names it), not_run (no result recorded), failed (any test
        failed), passed (some passed, none failed) or skipped (every recorded one skipped)."""
        if not self.tests:
            return "uncovered"
        outcomes = {result.outcome for result in self.results.values() if result is not None}
        if not outcomes:
            return "not_run"
        if "failed" in outcomes:
            return "failed"
        return "passed" if "passed" in outcomes else "skipped"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "covered": self.covered,
            "status": self.status,
            "tests": [
                {"test": test, "result": asdict(result) if result is not None else None}
                for test, result in self.results.items()
            ],
        }


def coverage_report(
    *,
    tests_dir: Path | None = None,
    results: Path | None = None,
    cases: Sequence[EdgeCase] = EDGE_CASES,
) -> list[Coverage]:
    """Per edge case: the tests that cover it and their last recorded results. `tests_dir`
    defaults to the checkout's tests (none when installed: every case is then uncovered),
    `results` to `test_results.results_path()`."""
    folder = tests_dir if tests_dir is not None else test_results.tests_dir()
    covering = covering_tests(folder) if folder is not None else {}
    path = results if results is not None else test_results.results_path()
    recorded = test_results.results_for(
        {test for case in cases for test in covering.get(case.id, [])}, path
    )
    return [
        Coverage(
            id=case.id,
            name=case.name,
            tests=covering.get(case.id, []),
            results={test: recorded[test] for test in covering.get(case.id, [])},
        )
        for case in cases
    ]
