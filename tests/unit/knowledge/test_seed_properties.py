"""Seed 001's properties in the knowledge catalog: all of them, as the seed numbers them, each
with the tests marked `@pytest.mark.seed_property(N)`."""

from __future__ import annotations

import json
from pathlib import Path

from mercato.agents.knowledge.seed_properties import SEED_PROPERTIES, property_report


def test_every_property_of_the_seed_is_listed_once_in_number_order() -> None:
    numbers = [p.number for p in SEED_PROPERTIES]

    assert numbers == sorted(set(numbers))
    assert set(numbers) == set(range(1, 86)) - {54}  # the seed has no Property 54
    by_number = {p.number: p for p in SEED_PROPERTIES}
    assert by_number[14].title == "Pricing recommendations respect margin constraints"
    assert by_number[14].validates == ("3.6",)
    assert by_number[82].validates == ("20.1", "20.3")
    assert all(p.title and p.area and p.validates for p in SEED_PROPERTIES)


def test_a_property_is_covered_by_the_tests_marked_with_its_number(tmp_path: Path) -> None:
    # given a test module proving property 14 twice and property 21 once, and a recorded run
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_pricing.py").write_text(
        "import pytest\n\n"
        "@pytest.mark.seed_property(14)\n"
        "def test_property_14_floor() -> None: ...\n\n"
        "class TestMore:\n"
        "    pytestmark = [pytest.mark.seed_property(14), pytest.mark.seed_property(21)]\n\n"
        "    def test_both(self) -> None: ...\n"
    )
    results = tmp_path / "results.json"
    node = "tests/test_pricing.py::test_property_14_floor"
    results.write_text(json.dumps({node: {"outcome": "passed", "at": "2026-12-06", "duration": 1}}))

    # when the catalog reports them
    report = {p.number: c for p, c in property_report(tests_dir=tests, results=results)}

    # then each property has its tests, and its status follows their last results
    assert report[14].tests == [node, "tests/test_pricing.py::TestMore::test_both"]
    assert report[14].status == "passed"
    assert report[21].tests == ["tests/test_pricing.py::TestMore::test_both"]
    assert report[21].status == "not_run"
    assert report[1].status == "uncovered"


def test_the_report_filters_by_area_and_status(tmp_path: Path) -> None:
    forecasts = property_report(area="Demand Forecast Agent", tests_dir=tmp_path, results=None)
    uncovered = property_report(status="uncovered", tests_dir=tmp_path, results=None)
    passed = property_report(status="passed", tests_dir=tmp_path, results=None)

    assert [p.number for p, _ in forecasts] == [21, 22, 23, 24, 25]
    assert len(uncovered) == len(SEED_PROPERTIES)
    assert passed == []
