#!/usr/bin/env python
"""Test coverage per agent, from the data `pytest --cov` left (`.coverage`).

Every agent must stay at or above the bar (seed 002: more than 90 %), so one well-tested
agent cannot hide a poorly tested one in the total; the kernel and the app (app.py, the CLI,
the demo, the worker) are shown, and marked when under it, but do not fail the run. The bar
is on lines, as seed 002 counts; branches (and the two together, coverage.py's own figure)
are shown beside them when they were measured (`branch = true` in pyproject.toml's coverage
settings; off by default, for the suite's time). Exits 1 when an agent is under the bar, 2
without data.

    python scripts/coverage_by_agent.py [--data .coverage] [--fail-under 90]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import coverage

PACKAGE = "mercato"
NOT_AGENTS = ("kernel", "app")


@dataclass
class Part:
    name: str
    statements: int = 0
    missing_lines: int = 0
    branches: int = 0
    missing_branches: int = 0
    files: list[tuple[str, float]] = field(default_factory=list)

    @property
    def lines_percent(self) -> float:
        return _percent(self.statements - self.missing_lines, self.statements)

    @property
    def percent(self) -> float:
        """Lines and branches together (coverage.py's own figure)."""
        covered = self.statements - self.missing_lines + self.branches - self.missing_branches
        return _percent(covered, self.statements + self.branches)


def _percent(covered: int, total: int) -> float:
    return 100.0 * covered / total if total else 100.0


def part_of(path: str) -> str:
    """`agents/cart/service.py` → cart, `kernel/db.py` → kernel, anything else → app."""
    parts = Path(path).parts
    inside = parts[parts.index(PACKAGE) + 1 :] if PACKAGE in parts else parts
    if len(inside) > 2 and inside[0] == "agents":
        return inside[1]
    if len(inside) > 1 and inside[0] == "kernel":
        return "kernel"
    return "app"


def parts_from(report: dict[str, object]) -> list[Part]:
    """Group the files of a `coverage json` report by agent."""
    found: dict[str, Part] = {}
    files = report["files"]
    assert isinstance(files, dict)
    for path, data in sorted(files.items()):
        summary = data["summary"]
        part = found.setdefault(part_of(path), Part(part_of(path)))
        part.statements += summary["num_statements"]
        part.missing_lines += summary["missing_lines"]
        part.branches += summary.get("num_branches", 0)
        part.missing_branches += summary.get("missing_branches", 0)
        part.files.append((path, summary["percent_covered"]))
    order = {"kernel": 0, "app": 2}
    return sorted(found.values(), key=lambda p: (order.get(p.name, 1), p.name))


def agents_under(parts: list[Part], bar: float) -> list[str]:
    """The agents (not the kernel, not the app) with less than `bar` % of their lines run."""
    return [p.name for p in parts if p.name not in NOT_AGENTS and p.lines_percent < bar]


def table(parts: list[Part], bar: float) -> str:
    branches = any(part.branches for part in parts)  # measured only with `branch = true`
    head = f"{'part':<14}{'lines':>8}" + (f"{'branches':>10}{'both':>8}" if branches else "")
    rows = [head, "-" * len(head)]
    for part in parts:
        mark = "" if part.lines_percent >= bar else f"   lines under {bar:g} %"
        row = f"{part.name:<14}{part.lines_percent:>7.1f}%"
        if branches:
            row += (
                f"{_percent(part.branches - part.missing_branches, part.branches):>9.1f}%"
                f"{part.percent:>7.1f}%"
            )
        rows.append(row + mark)
    return "\n".join(rows)


def load_report(data_file: Path) -> dict[str, object]:
    cov = coverage.Coverage(data_file=str(data_file))
    cov.load()
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "coverage.json"
        cov.json_report(outfile=str(out))
        loaded: dict[str, object] = json.loads(out.read_text())
    return loaded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(".coverage"))
    parser.add_argument("--fail-under", type=float, default=90.0)
    parser.add_argument("--worst", type=int, default=0, help="also list the N least covered files")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no coverage data at {args.data} (run pytest with --cov)", file=sys.stderr)
        return 2
    parts = parts_from(load_report(args.data))
    print(table(parts, args.fail_under))
    if args.worst:
        files = sorted((pct, path) for p in parts for path, pct in p.files)
        for pct, path in files[: args.worst]:
            print(f"{pct:6.1f}%  {path}")
    under = agents_under(parts, args.fail_under)
    if under:
        print(f"agents under {args.fail_under:g} % of lines: {', '.join(under)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
