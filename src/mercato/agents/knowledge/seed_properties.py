"""Seed 001's correctness properties with the tests that prove them, the way `edge_cases`
lists edge cases: a property is covered by every test marked
`@pytest.mark.seed_property(N)` (found by a static scan of the tests), and its status is
those tests' last recorded results.

    property_report()           # every property: its tests, their last results
    property_report(area="Demand Forecast Agent")
"""

from __future__ import annotations

from pathlib import Path

from mercato.agents.knowledge import test_results
from mercato.agents.knowledge.edge_cases import Coverage
from mercato.agents.knowledge.seed_property_data import SEED_PROPERTIES, SeedProperty

__all__ = ["MARKER", "SEED_PROPERTIES", "SeedProperty", "property_report"]

MARKER = "seed_property"


def property_report(
    *,
    area: str | None = None,
    status: str | None = None,
    tests_dir: Path | None = None,
    results: Path | None = None,
) -> list[tuple[SeedProperty, Coverage]]:
    """Each property (of `area`, when given) with its coverage, in number order; `status`
    keeps those whose coverage has it (uncovered, not_run, passed, failed, skipped).
    `tests_dir` defaults to the checkout's tests (none when installed), `results` to
    `test_results.results_path()`."""
    folder = tests_dir if tests_dir is not None else test_results.tests_dir()
    covering = test_results.marked_tests(folder, MARKER) if folder is not None else {}
    path = results if results is not None else test_results.results_path()
    chosen = [p for p in SEED_PROPERTIES if not area or p.area == area]
    tests = {str(p.number): covering.get(str(p.number), []) for p in chosen}
    recorded = test_results.results_for({t for found in tests.values() for t in found}, path)
    report = [
        (
            prop,
            Coverage(
                id=f"P{prop.number}",
                name=prop.title,
                tests=tests[str(prop.number)],
                results={t: recorded[t] for t in tests[str(prop.number)]},
            ),
        )
        for prop in chosen
    ]
    return [(p, c) for p, c in report if not status or c.status == status]
