"""scripts/coverage_by_agent.py: the suite's coverage per agent, each held to the bar."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "coverage_by_agent.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("coverage_by_agent", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def summary(statements: int, missing: int, branches: int = 0, partial: int = 0) -> dict[str, Any]:
    return {
        "summary": {
            "num_statements": statements,
            "missing_lines": missing,
            "num_branches": branches,
            "missing_branches": partial,
            "percent_covered": 0.0,
        }
    }


def test_each_file_counts_for_its_agent_the_kernel_or_the_app() -> None:
    script = load()
    assert script.part_of("src/mercato/agents/cart/service.py") == "cart"
    assert script.part_of("src/mercato/agents/orders/checkout/steps.py") == "orders"
    assert script.part_of("src/mercato/kernel/transports/redis_streams.py") == "kernel"
    assert script.part_of("src/mercato/cli.py") == "app"
    assert script.part_of("src/mercato/agents/__init__.py") == "app"


def test_an_agent_under_the_bar_is_named_and_the_others_pass() -> None:
    # given cart at 95 % of its lines over two files, and inventory at 85 %
    script = load()
    report = {
        "files": {
            "src/mercato/agents/cart/a.py": summary(100, 5, branches=10, partial=5),
            "src/mercato/agents/cart/b.py": summary(100, 5),
            "src/mercato/agents/inventory/c.py": summary(100, 15),
            "src/mercato/kernel/d.py": summary(10, 0),
        }
    }
    # when grouped and shown against 90 %
    parts = {p.name: p for p in script.parts_from(report)}
    shown = script.table(list(parts.values()), 90.0)
    # then the bar is on lines (branches shown beside), and only inventory is marked
    assert parts["cart"].lines_percent == 95.0
    assert round(parts["cart"].percent, 1) == round(100 * (190 + 5) / 210, 1)
    assert parts["inventory"].lines_percent == 85.0
    marked = [line.split()[0] for line in shown.splitlines() if "under 90 %" in line]
    assert marked == ["inventory"]
    assert shown.splitlines()[2].startswith("kernel")  # the kernel first, agents by name


def test_without_coverage_data_it_says_so(tmp_path: Path) -> None:
    assert load().main(["--data", str(tmp_path / ".coverage")]) == 2


def test_only_agents_fail_the_run() -> None:
    # given the kernel and the app under the bar, and every agent over it
    script = load()
    report = {
        "files": {
            "src/mercato/kernel/a.py": summary(100, 50),
            "src/mercato/cli.py": summary(100, 50),
            "src/mercato/agents/cart/b.py": summary(100, 5),
        }
    }
    # when the bar is checked, then no agent is under it; with cart at 80 %, cart is
    assert script.agents_under(script.parts_from(report), 90.0) == []
    report["files"]["src/mercato/agents/cart/b.py"] = summary(100, 20)
    assert script.agents_under(script.parts_from(report), 90.0) == ["cart"]
