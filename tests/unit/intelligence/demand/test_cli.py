"""`mercato intel forecast --input FILE.csv --horizon H [--freq D|W|M] --output OUT.csv`: the
contract's columns, H rows per series dated after each series' last date, nested intervals
and a model; bad input is refused with the line named, exit code 2 and no output file."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from mercato.agents.intelligence.demand import synth
from mercato.agents.intelligence.demand.csvio import OUTPUT
from mercato.cli import app

runner = CliRunner()


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_each_series_gets_horizon_rows_after_its_last_date(tmp_path: Path) -> None:
    # given two daily series ending on different days (one with a missing day: a zero), and
    # a third of a single row
    rng = np.random.default_rng(2)
    rows = [["series_id", "date", "quantity"]]
    ends = {"a": date(2026, 3, 1), "b": date(2026, 2, 20), "c": date(2026, 1, 5)}
    for name, days in (("a", 60), ("b", 45)):
        values = synth.daily(synth.Shape(level=25, yearly=0), days, rng)
        first = ends[name] - timedelta(days=days - 1)
        rows += [
            [name, (first + timedelta(days=k)).isoformat(), str(int(v))]
            for k, v in enumerate(values)
            if not (name == "b" and k == 10)
        ]
    rows.append(["c", "2026-01-05", "4"])
    source = _write(tmp_path / "series.csv", rows)
    out = tmp_path / "out.csv"
    # when they are forecast 14 days ahead
    answer = runner.invoke(
        app,
        ["intel", "forecast", "--input", str(source), "--horizon", "14", "--output", str(out)],
    )
    # then the output has the contract's columns, 14 rows a series dated after its last day,
    # nested non-negative intervals and the model chosen
    assert answer.exit_code == 0, answer.output
    with out.open() as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == OUTPUT
        found = list(reader)
    for name, last in ends.items():
        mine = [r for r in found if r["series_id"] == name]
        assert [r["date"] for r in mine] == [
            (last + timedelta(days=k)).isoformat() for k in range(1, 15)
        ]
        for r in mine:
            lo95, lo80, mid, hi80, hi95 = (
                float(r[k]) for k in ("lower_95", "lower_80", "forecast", "upper_80", "upper_95")
            )
            assert 0 <= lo95 <= lo80 <= mid <= hi80 <= hi95
            assert r["model"]


def test_monthly_series_step_by_month(tmp_path: Path) -> None:
    # given 30 months of sales dated on the month's last day
    rows = [["series_id", "date", "quantity"]]
    day = date(2023, 1, 31)
    for k in range(30):
        rows.append(["m", day.isoformat(), str(100 + 10 * (k % 12))])
        month = day.month % 12 + 1
        year = day.year + (day.month == 12)
        day = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
    source = _write(tmp_path / "monthly.csv", rows)
    out = tmp_path / "out.csv"
    # when forecast for 2 months
    answer = runner.invoke(
        app,
        ["intel", "forecast", "--input", str(source), "--horizon", "2", "--freq", "M",
         "--output", str(out)],
    )  # fmt: skip
    # then the dates are the next two months' (month ends stay month ends)
    assert answer.exit_code == 0, answer.output
    with out.open() as handle:
        assert [r["date"] for r in csv.DictReader(handle)] == ["2025-07-31", "2025-08-31"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["series_id", "day", "quantity"], ["a", "2026-01-01", "1"]], "line 1: missing column"),
        ([["series_id", "date", "quantity"], ["a", "2026-01-01", "1"], ["a", "01/02/2026", "1"]],
         "line 3: date '01/02/2026'"),
        ([["series_id", "date", "quantity"], ["a", "2026-01-01", "-4"]],
         "line 2: quantity '-4' is negative"),
        ([["series_id", "date", "quantity"], ["a", "2026-01-01", "1"], ["a", "2026-01-02", "many"]],
         "line 3: quantity 'many' is not a number"),
        ([["series_id", "date", "quantity"], ["a", "2026-01-01", "1"], ["a", "2026-01-01", "2"]],
         "line 3: series 'a' already has a quantity"),
        ([["series_id", "date", "quantity"]], "no data rows"),
    ],
)  # fmt: skip
def test_bad_input_names_the_line_and_writes_nothing(
    tmp_path: Path, rows: list[list[str]], message: str
) -> None:
    # given a file with one fault
    source = _write(tmp_path / "bad.csv", rows)
    out = tmp_path / "out.csv"
    # when it is given to the command
    answer = runner.invoke(
        app, ["intel", "forecast", "--input", str(source), "--horizon", "7", "--output", str(out)]
    )
    # then it stops with code 2, says which line is wrong, and writes no file
    assert answer.exit_code == 2
    assert message in " ".join(answer.output.split())
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]
