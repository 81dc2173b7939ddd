"""`mercato gen` (the knowledge agent's command): test data on stdout or in a file, a progress
bar and a summary on stderr, exit code 2 with the reason for a request the generator
refuses."""

from __future__ import annotations

import csv
import gc
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from mercato.agents.knowledge.testdata import statements
from mercato.cli import app

runner = CliRunner()


def test_gen_writes_json_to_stdout_and_a_summary_to_stderr() -> None:
    result = runner.invoke(
        app, ["gen", "order", "--count", "20", "-s", "high_value=5", "-s", "single_item=3",
              "--seed", "7"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert len(records) == 20
    assert sum(r["scenario"] == "high_value" for r in records) == 5
    assert "coherence 1.000" in result.stderr
    assert "seed 7" in result.stderr


def test_gen_is_repeatable_with_a_seed_and_writes_csv() -> None:
    args = ["gen", "customer", "-n", "12", "--format", "csv", "--seed", "3"]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    assert len(list(csv.DictReader(io.StringIO(first.stdout)))) == 12


def test_gen_writes_sql_with_edge_cases_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "carts.sql"
    result = runner.invoke(
        app, ["gen", "cart", "-n", "30", "--format", "sql", "--edge-cases", "--workflow",
              "cart_abandonment", "--seed", "1", "--output", str(target)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    document = target.read_text(encoding="utf-8")
    assert any(s.startswith("INSERT INTO carts ") for s in statements(document))
    assert "-- EC006 breaks BR003" in document
    assert f"to {target}" in result.stderr


def test_scenarios_without_counts_share_the_records() -> None:
    result = runner.invoke(
        app,
        ["gen", "payment", "-n", "9", "-s", "card_declined", "-s", "full_refund", "--seed", "2"],
    )
    assert result.exit_code == 0, result.output
    scenarios = [r["scenario"] for r in json.loads(result.stdout)]
    assert sorted(set(scenarios)) == ["card_declined", "full_refund"]


def test_a_refused_request_exits_2_with_the_reason() -> None:
    unknown = runner.invoke(app, ["gen", "spaceship"])
    assert unknown.exit_code == 2
    assert "unknown_entity" in unknown.stderr
    too_many = runner.invoke(app, ["gen", "order", "-n", "3", "-s", "high_value=4"])
    assert too_many.exit_code == 2 and "invalid_scenario_counts" in too_many.stderr
    not_a_count = runner.invoke(app, ["gen", "order", "-s", "high_value=lots"])
    assert not_a_count.exit_code == 2 and "NAME=COUNT" in not_a_count.stderr
    bad_format = runner.invoke(app, ["gen", "order", "--format", "xml"])
    assert bad_format.exit_code == 2 and "invalid_format" in bad_format.stderr


def test_an_output_it_cannot_write_exits_2_with_the_reason(tmp_path: Path) -> None:
    target = tmp_path / "no-such-directory" / "orders.json"
    result = runner.invoke(app, ["gen", "order", "-n", "3", "--seed", "1", "--output", str(target)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "cannot write" in result.stderr and "No such file or directory" in result.stderr
    assert "Traceback" not in result.output
    assert not target.parent.exists()


def test_gen_leaves_the_garbage_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    result = runner.invoke(app, ["gen", "customer", "-n", "3", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert gc.isenabled()
