"""Imports run one way (ARCHITECTURE.md, "Layout"): no module of Mercato imports itself back
through others, not even through an import deferred into a function; the kernel imports no
agent and nothing assembled from them; an agent knows another only through its `service`,
`events`, `rules` or `ports` modules, never its tables (`models`) or its API."""

from __future__ import annotations

from pathlib import Path

from tests.support.import_graph import ImportGraph, read_graph

SRC = Path(__file__).resolve().parents[2] / "src"
AGENTS = "mercato.agents."
SHARED = {"service", "events", "rules", "ports"}
"""What an agent offers other agents (`ports`: what it asks of them, for them to provide)."""


def graph() -> ImportGraph:
    return read_graph(SRC, "mercato")


def describe(found: ImportGraph, cycle: list[str]) -> str:
    inside = set(cycle)
    arrows = [f"{m} -> {t}" for m in cycle for t in sorted(found.edges[m] & inside)]
    return f"{len(cycle)} modules: " + "; ".join(arrows)


def test_no_module_of_mercato_is_part_of_an_import_cycle() -> None:
    found = graph()
    assert len(found.edges) > 200  # the whole package was read
    cycles = found.cycles()
    assert not cycles, "import cycles:\n" + "\n".join(describe(found, c) for c in cycles)


def test_the_kernel_imports_no_agent_and_nothing_built_on_the_agents() -> None:
    found = graph()
    upward = [
        f"{module} -> {target}"
        for module, targets in sorted(found.edges.items())
        if module.startswith("mercato.kernel")
        for target in sorted(targets | found.typing_edges[module])
        if not target.startswith("mercato.kernel") and target != "mercato"  # its version
    ]
    assert upward == []


def agent_of(module: str) -> str | None:
    return module.split(".")[2] if module.startswith(AGENTS) else None


def test_an_agent_imports_another_only_through_its_service_events_rules_or_ports() -> None:
    found = graph()
    reaching_in = [
        f"{module} -> {target}"
        for module, targets in sorted(found.edges.items())
        for target in sorted(targets | found.typing_edges[module])
        if agent_of(module) is not None
        and agent_of(target) not in (None, agent_of(module))
        and target.split(".")[3:4] not in ([name] for name in SHARED)
    ]
    assert reaching_in == []


# -- the graph finds what it should -----------------------------------------------------


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_an_import_deferred_into_a_function_still_closes_a_cycle(tmp_path: Path) -> None:
    # given a module that imports another at the top, which imports it back in a function
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg import b\n",
            "pkg/b.py": "def later():\n    from pkg.a import thing\n",
            "pkg/c.py": "from . import a\n",
        },
    )
    # then the two form a cycle, and the module that only imports one of them is not in it
    assert read_graph(tmp_path, "pkg").cycles() == [["pkg.a", "pkg.b"]]


def test_an_import_for_type_checkers_only_is_not_a_cycle(tmp_path: Path) -> None:
    # given a module that imports another only under TYPE_CHECKING
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg import b\n",
            "pkg/b.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import X\n"
            ),
        },
    )
    found = read_graph(tmp_path, "pkg")
    # then there is no cycle, and the type-only import is kept apart
    assert found.cycles() == []
    assert found.typing_edges["pkg.b"] == {"pkg.a"}
