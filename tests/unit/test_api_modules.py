"""An agent's HTTP modules do parse → service → schema, nothing more (ARCHITECTURE.md): they
import none of the agent's tables at run time (a type in a signature may be named under
`TYPE_CHECKING`) and never reach the database session themselves."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.import_graph import read_graph

SRC = Path(__file__).resolve().parents[2] / "src"
AGENTS = SRC / "mercato" / "agents"


def api_modules() -> list[Path]:
    found = [*AGENTS.glob("*/api*.py"), *AGENTS.glob("*/admin_api.py"), *AGENTS.glob("*/*/api.py")]
    return sorted(found)


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(SRC).with_suffix("").parts)


def test_there_are_api_modules_to_check() -> None:
    names = {module_name(p) for p in api_modules()}
    assert {"mercato.agents.catalog.api", "mercato.agents.orders.checkout.api"} <= names


def test_no_api_module_imports_tables_at_run_time() -> None:
    graph = read_graph(SRC, "mercato")
    reaching = [
        f"{module_name(path)} -> {target}"
        for path in api_modules()
        for target in sorted(graph.edges[module_name(path)])
        if target.endswith(".models")
    ]
    assert reaching == []


def test_no_api_module_uses_a_unit_of_works_session() -> None:
    using = [
        f"{module_name(path)}:{node.lineno}"
        for path in api_modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "session"
    ]
    assert using == []
