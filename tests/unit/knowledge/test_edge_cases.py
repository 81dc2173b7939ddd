"""The edge-case catalog: the seed's EC001 to EC018 as written, Mercato's own from EC019, the
tests that cover each (found from their markers) and those tests' last recorded results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mercato.agents.knowledge import test_results
from mercato.agents.knowledge.edge_cases import (
    EDGE_CASES,
    MERCATO_EDGE_CASES,
    SEED_EDGE_CASES,
    EdgeCase,
    EdgeCaseCategory,
    EdgeCaseSeverity,
    coverage_report,
    covering_tests,
    edge_case,
    edge_cases,
)
from mercato.agents.knowledge.test_results import marked_tests, results_for
from tests.plugins import edge_case_results

ROOT = Path(__file__).resolve().parents[3]
TESTS = ROOT / "tests"


# The catalog


def test_the_seeds_eighteen_are_all_there_in_order() -> None:
    assert [case.id for case in SEED_EDGE_CASES] == [f"EC{n:03d}" for n in range(1, 19)]
    for case in SEED_EDGE_CASES:
        assert case.name and case.entity and case.description and case.test_approach
        assert case.expected_behavior


def test_seed_fields_are_as_the_seed_writes_them() -> None:
    ec002 = edge_case("EC002")
    assert ec002 is not None
    assert (ec002.name, ec002.category, ec002.severity, ec002.entity, ec002.workflow) == (
        "inventory_oversell",
        EdgeCaseCategory.CONCURRENCY,
        EdgeCaseSeverity.CRITICAL,
        "order",
        "checkout",
    )
    assert ec002.example_data == {"product_inventory": 1, "concurrent_orders": 5}
    ec004 = edge_case("EC004")
    assert ec004 is not None
    assert ec004.expected_behavior == (
        "Reconciliation job detects and completes order, or retry is idempotent"
    )
    assert ec004.test_approach == "Inject network delay after payment gateway returns success"
    ec009 = edge_case("EC009")
    assert ec009 is not None
    assert ec009.example_data["test_names"] == ["O'Brien", "José García", "日本語", "🎉 Party"]
    ec015 = edge_case("EC015")
    assert ec015 is not None
    assert ec015.test_approach == "Search with: '; DROP TABLE products; --"
    assert (ec015.category, ec015.severity) == ("security", "critical")


def test_a_case_the_seed_gives_no_workflow_or_example_has_none() -> None:
    ec005 = edge_case("EC005")
    assert ec005 is not None
    assert (ec005.workflow, ec005.example_data) == (None, {})


def test_mercatos_own_cases_continue_from_ec019_with_every_field() -> None:
    assert [case.id for case in MERCATO_EDGE_CASES] == [
        f"EC{n:03d}" for n in range(19, 19 + len(MERCATO_EDGE_CASES))
    ]
    for case in MERCATO_EDGE_CASES:
        assert case.name and case.entity and case.description and case.test_approach
        assert case.expected_behavior and case.example_data
    names = [case.name for case in EDGE_CASES]
    assert len(names) == len(set(names))


def test_an_edge_case_as_json_has_plain_values() -> None:
    ec003 = edge_case("EC003")
    assert ec003 is not None
    data = ec003.as_dict()
    assert (data["category"], data["severity"]) == ("concurrency", "critical")
    assert json.loads(json.dumps(data))["example_data"]["idempotency_key"] == (
        "same-key-both-requests"
    )


# Filters


def test_filters_by_entity_workflow_category_and_severity() -> None:
    # when filtered one way at a time
    payments = edge_cases(entity="payment")
    checkout = edge_cases(workflow="checkout")
    network = edge_cases(category=EdgeCaseCategory.NETWORK)
    low = edge_cases(severity="low")
    # then each holds just what matches
    assert payments and {case.entity for case in payments} == {"payment"}
    assert {"EC003", "EC004", "EC017"} <= {case.id for case in payments}
    assert {case.workflow for case in checkout} == {"checkout"}
    assert {"EC004", "EC005"} <= {case.id for case in network}
    assert {case.id for case in low} == {"EC009", "EC012"}


def test_filters_combine_and_an_empty_filter_filters_nothing() -> None:
    critical_payments = edge_cases(entity="payment", severity="critical", workflow="checkout")
    assert {"EC003", "EC004"} <= {case.id for case in critical_payments}
    assert all(case.severity == "critical" for case in critical_payments)
    assert edge_cases(entity="", workflow="", category="") == list(EDGE_CASES)
    assert edge_cases(entity="spaceship") == []


def test_an_unknown_id_is_none() -> None:
    assert edge_case("EC999") is None


# Which tests cover what


def test_the_scan_finds_the_markers_in_mercatos_tests() -> None:
    # when Mercato's tests are scanned
    covering = covering_tests(TESTS)
    # then known markers are found, with pytest's node ids
    assert (
        "tests/integration/checkout/test_checkout.py::test_the_same_request_again_replays_the_first_answer"
        in covering["EC003"]
    )
    assert (
        "tests/reliability/test_kill_checkout.py::"
        "test_checkouts_killed_at_each_saga_step_end_confirmed_or_cancelled"
    ) in covering["EC023"]


def test_every_marker_names_a_catalogued_edge_case_and_every_new_one_has_a_test() -> None:
    covering = covering_tests(TESTS)
    known = {case.id for case in EDGE_CASES}
    assert set(covering) - known == set(), "markers naming no edge case"
    assert {case.id for case in MERCATO_EDGE_CASES} - set(covering) == set()


SYNTHETIC = """
import pytest
from pytest import mark

pytestmark = [pytest.mark.slow, pytest.mark.edge_case("EC100")]


@pytest.mark.edge_case("EC001")
def test_decorated():
    assert 1 + 1 == 2


@mark.edge_case("EC002", "EC003")
@pytest.mark.parametrize("n", [1, 2])
async def test_async_with_two(n):
    assert n in (1, 2)


def helper_with_a_mark():
    return None


@pytest.mark.edge_case("EC004")
class TestGroup:
    pytestmark = pytest.mark.edge_case("EC005")

    def test_in_class(self):
        assert isinstance(self, TestGroup)

    class TestInner:
        @pytest.mark.business_rule("BR001")
        def test_nested(self):
            assert self is not None


class Helper:
    @pytest.mark.edge_case("EC006")
    def test_not_collected(self):
        assert self is not None
"""


def synthetic_tests(root: Path) -> Path:
    tests = root / "tests"
    (tests / "unit").mkdir(parents=True)
    (tests / "unit" / "test_synthetic.py").write_text(SYNTHETIC)
    (tests / "unit" / "helpers.py").write_text('@pytest.mark.edge_case("EC007")\ndef test_x(): 0')
    (tests / "test_other.py").write_text("def test_unmarked():\n    pass\n")
    (tests / "test_broken.py").write_text('@pytest.mark.edge_case("EC008")\ndef test_(:')
    return tests


def test_the_scan_reads_functions_classes_and_pytestmark(tmp_path: Path) -> None:
    # given a tests directory with marks in every place pytest reads them
    tests = synthetic_tests(tmp_path)
    module = "tests/unit/test_synthetic.py"
    # when it is scanned
    covering = covering_tests(tests)
    # then each test has its own, its class's and its module's marks; non-tests have none
    everything = [f"{module}::{name}" for name in ("test_decorated", "test_async_with_two")]
    in_class = [
        f"{module}::TestGroup::test_in_class",
        f"{module}::TestGroup::TestInner::test_nested",
    ]
    assert covering == {
        "EC001": [f"{module}::test_decorated"],
        "EC002": [f"{module}::test_async_with_two"],
        "EC003": [f"{module}::test_async_with_two"],
        "EC004": in_class,
        "EC005": in_class,
        "EC100": everything + in_class,
    }
    assert marked_tests(tests, "business_rule") == {
        "BR001": [f"{module}::TestGroup::TestInner::test_nested"]
    }


def test_the_scan_sees_a_file_that_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a scanned tests directory
    tests = synthetic_tests(tmp_path)
    assert "EC200" not in covering_tests(tests)
    # when a marker is added to one of its files
    other = tests / "test_other.py"
    other.write_text('import pytest\n\n\n@pytest.mark.edge_case("EC200")\ndef test_new():\n    0\n')
    # then the next scan finds it (the folder named as given, relative or not)
    assert covering_tests(tests)["EC200"] == ["tests/test_other.py::test_new"]
    monkeypatch.chdir(tmp_path)
    assert covering_tests(Path("tests"))["EC200"] == ["tests/test_other.py::test_new"]


# Recorded results


def write_results(path: Path, runs: dict[str, tuple[str, str]]) -> Path:
    path.write_text(
        json.dumps(
            {node: {"outcome": o, "at": at, "duration": 0.5} for node, (o, at) in runs.items()}
        )
    )
    return path


def test_parametrizations_combine_into_one_result(tmp_path: Path) -> None:
    # given results recorded per parametrization
    path = write_results(
        tmp_path / "results.json",
        {
            "t.py::test_ok[sqlite]": ("passed", "2026-01-01T10:00:00+00:00"),
            "t.py::test_ok[postgres]": ("skipped", "2026-01-01T10:00:01+00:00"),
            "t.py::test_bad[sqlite]": ("passed", "2026-01-01T10:00:00+00:00"),
            "t.py::test_bad[postgres]": ("failed", "2026-01-01T10:00:02+00:00"),
            "t.py::test_off[sqlite]": ("skipped", "2026-01-01T10:00:00+00:00"),
            "t.py::test_plain": ("passed", "2026-01-01T09:00:00+00:00"),
        },
    )
    # when they are read by test
    ids = ["t.py::test_ok", "t.py::test_bad", "t.py::test_off", "t.py::test_plain", "t.py::never"]
    results = results_for(ids, path)
    # then a test passed only if every parametrization that ran passed; skips are listed
    ok, bad, off, plain = (results[test] for test in ids[:4])
    assert ok is not None and (ok.outcome, ok.skipped) == ("passed", ["t.py::test_ok[postgres]"])
    assert (ok.at, ok.duration) == ("2026-01-01T10:00:01+00:00", 1.0)
    assert bad is not None and bad.outcome == "failed"
    assert off is not None and off.outcome == "skipped"
    assert plain is not None and (plain.outcome, len(plain.runs)) == ("passed", 1)
    # and a test with nothing recorded has no result
    assert results["t.py::never"] is None


def test_no_file_or_a_broken_one_means_no_result_recorded(tmp_path: Path) -> None:
    assert results_for(["t.py::test_a"], tmp_path / "absent.json") == {"t.py::test_a": None}
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert results_for(["t.py::test_a"], broken) == {"t.py::test_a": None}
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps({"t.py::test_a": {"outcome": "exploded"}}))
    assert results_for(["t.py::test_a"], odd) == {"t.py::test_a": None}


def test_the_results_file_is_the_setting_or_the_checkouts_default(tmp_path: Path) -> None:
    from mercato.kernel.config import Settings

    configured = Settings(knowledge_test_results=tmp_path / "r.json")
    assert test_results.results_path(configured) == tmp_path / "r.json"
    assert test_results.results_path(Settings(), root=tmp_path) == (
        tmp_path / ".mercato" / "test-results.json"
    )
    assert test_results.project_root() == ROOT
    assert test_results.tests_dir() == TESTS
    # and the plugin writes where the reader reads
    assert edge_case_results.RESULTS_FILE == test_results.RESULTS_FILE


# The plugin that records them

PLUGGED = """
import pytest

pytestmark = pytest.mark.business_rule("BR900")


@pytest.mark.edge_case("EC001")
@pytest.mark.parametrize("stack", ["a", pytest.param("b", marks=pytest.mark.skip("no b"))])
def test_param(stack):
    assert stack == "a"


@pytest.mark.edge_case("EC002")
class TestGroup:
    def test_fails(self):
        assert False


def test_rule_only():
    assert [1, 2][-1] == 2
"""
UNMARKED = "def test_unmarked():\n    assert 2 > 1\n"


def run_pytest(folder: Path, results: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MERCATO_KNOWLEDGE_TEST_RESULTS": str(results)}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.plugins.edge_case_results", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def plugged_project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
    (folder / "test_plugged.py").write_text(textwrap.dedent(PLUGGED))
    (folder / "test_unmarked.py").write_text(UNMARKED)
    return folder


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_the_plugin_records_every_marked_test(tmp_path: Path, workers: list[str]) -> None:
    # given a project with marked and unmarked tests, and an earlier result of another test
    folder = plugged_project(tmp_path)
    results = tmp_path / "out" / "results.json"
    results.parent.mkdir()
    earlier = {"outcome": "passed", "at": "2026-01-01T00:00:00+00:00", "duration": 1.0}
    results.write_text(json.dumps({"test_gone.py::test_old": earlier}))

    # when its tests run with the plugin
    run = run_pytest(folder, results, *workers)

    # then every marked test's outcome is merged in, per parametrization
    assert run.returncode == 1, run.stdout + run.stderr  # TestGroup::test_fails fails
    recorded = json.loads(results.read_text())
    assert {node: entry["outcome"] for node, entry in recorded.items()} == {
        "test_gone.py::test_old": "passed",
        "test_plugged.py::TestGroup::test_fails": "failed",
        "test_plugged.py::test_param[a]": "passed",
        "test_plugged.py::test_param[b]": "skipped",
        "test_plugged.py::test_rule_only": "passed",
    }
    entry = recorded["test_plugged.py::test_param[a]"]
    assert set(entry) == {"outcome", "at", "duration"} and entry["duration"] >= 0
    # and the reader combines them
    combined = results_for(["test_plugged.py::test_param"], results)["test_plugged.py::test_param"]
    assert combined is not None
    assert (combined.outcome, combined.skipped) == ("passed", ["test_plugged.py::test_param[b]"])


def test_a_partial_run_updates_only_the_tests_it_ran(tmp_path: Path) -> None:
    # given a full run recorded, the failing test since fixed
    folder = plugged_project(tmp_path)
    results = tmp_path / "results.json"
    run_pytest(folder, results)
    before = json.loads(results.read_text())
    plugged = folder / "test_plugged.py"
    plugged.write_text(plugged.read_text().replace("assert False", "assert True"))

    # when only that test runs again
    run = run_pytest(folder, results, "test_plugged.py::TestGroup")

    # then its entry changes and the others are kept as they were
    assert run.returncode == 0, run.stdout + run.stderr
    after = json.loads(results.read_text())
    assert after["test_plugged.py::TestGroup::test_fails"]["outcome"] == "passed"
    unchanged = {k: v for k, v in after.items() if "TestGroup" not in k}
    assert unchanged == {k: v for k, v in before.items() if "TestGroup" not in k}


# The coverage report


def test_the_report_gives_each_case_its_tests_results_and_coverage(tmp_path: Path) -> None:
    # given synthetic tests and results recorded for some of them
    tests = synthetic_tests(tmp_path)
    module = "tests/unit/test_synthetic.py"
    results = write_results(
        tmp_path / "results.json",
        {
            f"{module}::test_decorated": ("passed", "2026-01-01T10:00:00+00:00"),
            f"{module}::test_async_with_two[1]": ("passed", "2026-01-01T10:00:00+00:00"),
            f"{module}::test_async_with_two[2]": ("failed", "2026-01-01T10:00:00+00:00"),
        },
    )
    cases = [
        EdgeCase(id=f"EC{n:03d}", name=f"case_{n}", category=EdgeCaseCategory.DATA, entity="x")
        for n in (1, 2, 4, 99)
    ]

    # when the coverage is reported
    report = {row.id: row for row in coverage_report(tests_dir=tests, results=results, cases=cases)}

    # then a covered case lists its tests and their results; a case no test names is uncovered
    assert report["EC001"].covered and report["EC001"].status == "passed"
    assert report["EC001"].tests == [f"{module}::test_decorated"]
    assert report["EC002"].status == "failed"
    assert report["EC004"].covered and report["EC004"].status == "not_run"
    assert set(report["EC004"].results.values()) == {None}
    assert (report["EC099"].covered, report["EC099"].status, report["EC099"].tests) == (
        False,
        "uncovered",
        [],
    )
    data = json.loads(json.dumps(report["EC002"].as_dict()))
    assert data["tests"][0]["result"]["outcome"] == "failed"


def test_the_report_over_mercatos_tests_covers_every_catalogued_case_it_can() -> None:
    # when the real catalog is reported against Mercato's tests
    report = coverage_report(tests_dir=TESTS, results=Path("/nonexistent/results.json"))
    # then every case is there once, covered exactly when a test names it
    assert [row.id for row in report] == [case.id for case in EDGE_CASES]
    covering = covering_tests(TESTS)
    for row in report:
        assert row.covered == (row.id in covering)
        assert row.status == ("not_run" if row.covered else "uncovered")
