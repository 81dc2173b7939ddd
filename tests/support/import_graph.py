"""The import graph of a package, read from its source with `ast` (nothing is imported).

An edge A → B means module A imports module B when it runs: at the top level, in `if`/`try`/
`with` blocks and class bodies, and (unlike Python's own view of a cycle) inside functions
too, since a deferred import only hides a cycle. Imports under `if TYPE_CHECKING:` are not
edges (`typing_edges` has them apart). `from pkg import name` is an edge to `pkg.name` when
that is a module, else to `pkg`; importing a submodule is not an edge to its parents.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ImportGraph:
    edges: dict[str, set[str]] = field(default_factory=dict)
    typing_edges: dict[str, set[str]] = field(default_factory=dict)
    """Imports only for type checkers (`if TYPE_CHECKING:`)."""

    def cycles(self) -> list[list[str]]:
        """Each set of modules that import one another in a circle (largest first)."""
        found = [c for c in strongly_connected(self.edges) if len(c) > 1]
        return sorted(found, key=lambda c: (-len(c), c))


def read_graph(root: Path, package: str) -> ImportGraph:
    modules = _modules(root, package)
    graph = ImportGraph({m: set() for m in modules}, {m: set() for m in modules})
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, typing_only in _imports(tree.body, typing_only=False):
            for target in _targets(node, module, path.name == "__init__.py", modules):
                if target != module:
                    (graph.typing_edges if typing_only else graph.edges)[module].add(target)
    return graph


def _modules(root: Path, package: str) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


BLOCKS = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.With,
    ast.AsyncWith,
    ast.For,
    ast.AsyncFor,
    ast.While,
)
"""Statements whose bodies run when the module does, or later (functions): both count."""


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(
    body: list[ast.stmt], *, typing_only: bool
) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, typing_only
        elif isinstance(node, ast.If):
            inner = typing_only or _is_type_checking(node.test)
            yield from _imports(node.body, typing_only=inner)
            yield from _imports(node.orelse, typing_only=typing_only)
        elif isinstance(node, ast.Try):
            for block in (node.body, *(h.body for h in node.handlers), node.orelse, node.finalbody):
                yield from _imports(block, typing_only=typing_only)
        elif isinstance(node, BLOCKS):
            yield from _imports(node.body, typing_only=typing_only)
            yield from _imports(getattr(node, "orelse", []), typing_only=typing_only)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                yield from _imports(case.body, typing_only=typing_only)


def _targets(
    node: ast.Import | ast.ImportFrom, module: str, is_package: bool, modules: dict[str, Path]
) -> Iterator[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        prefix = node.module or ""
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join([*base, *([node.module] if node.module else [])])
        names = [
            f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in modules else prefix
            for alias in node.names
        ]
    for name in names:
        known = name
        while known and known not in modules:  # the nearest module of ours; outside: none
            known = known.rpartition(".")[0]
        if known:
            yield known


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the graph is deeper than Python's recursion limit likes)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(sorted(edges[start])))]
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(edges.get(successor, ())))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components
