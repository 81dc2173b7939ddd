"""`mercato intel sentiment --input FILE.txt`: one JSON line per input line, in order, on
stdout or into --output; a file that does not exist is refused."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from mercato.cli import app

runner = CliRunner()


def test_each_line_becomes_a_json_line_in_order(tmp_path: Path) -> None:
    # given a file of texts, a blank line among them
    source = tmp_path / "reviews.txt"
    source.write_text("I love it, works perfectly\n\nTerrible, broke after a day\n")
    # when it is analysed to stdout and to a file
    printed = runner.invoke(app, ["intel", "sentiment", "--input", str(source)])
    written = runner.invoke(
        app, ["intel", "sentiment", "--input", str(source), "--output", str(tmp_path / "o.jsonl")]
    )
    # then each line has its analysis, in the file's order, the same either way
    assert printed.exit_code == 0, printed.output
    rows = [json.loads(line) for line in printed.stdout.splitlines()]
    assert [r["label"] for r in rows] == ["positive", "neutral", "negative"]
    assert set(rows[0]) == {"label", "polarity", "confidence", "aspects"}
    assert written.exit_code == 0
    assert [json.loads(x) for x in (tmp_path / "o.jsonl").read_text().splitlines()] == rows


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    answer = runner.invoke(app, ["intel", "sentiment", "--input", str(tmp_path / "none.txt")])
    assert answer.exit_code == 2
    assert not (tmp_path / "none.txt").exists()
