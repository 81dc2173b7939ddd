"""The tests test Mercato as it is: no test replaces a piece of Mercato's own code.

A test that needs a different clock, model, limit or failing dependency passes it in (a
parameter, a constructor argument, a setting, a fake of another agent's service from
`tests/fakes/`) or makes a real fault (a database trigger, a stopped server). Patching
environment variables, the working directory and third-party code stays allowed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
PATCHERS = {"setattr", "delattr", "setitem", "delitem"}
"""`monkeypatch` methods that replace something; setenv, delenv, chdir stay allowed."""
MOCK_PATCHERS = {"patch", "object", "dict", "multiple"}
"""`mock.patch(…)`, `mock.patch.object(…)`, `mock.patch.dict(…)`, `mock.patch.multiple(…)`."""


@dataclass(frozen=True)
class Patch:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def mercato_patches(source: str, path: str = "<test>") -> list[Patch]:
    """Where `source` replaces something of Mercato's: a monkeypatch or mock.patch aimed at
    a `mercato` module or what it holds, or an assignment to one."""
    tree = ast.parse(source)
    imported = _imports(tree)

    def ours(target: ast.expr) -> bool:
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            return target.value == "mercato" or target.value.startswith("mercato.")
        root = target
        while isinstance(root, ast.Attribute | ast.Subscript | ast.Call):
            root = root.func if isinstance(root, ast.Call) else root.value
        return isinstance(root, ast.Name) and imported.get(root.id, "").startswith("mercato")

    found: list[Patch] = []
    for node in ast.walk(tree):
        what = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            first = node.args[0] if node.args else None
            if first is None:
                continue
            if name in PATCHERS and _is_monkeypatch(node.func.value) and ours(first):
                what = f"monkeypatch.{name}({ast.unparse(first)}, …)"
            elif name in MOCK_PATCHERS and _is_mock_patch(node.func) and ours(first):
                what = f"{ast.unparse(node.func)}({ast.unparse(first)}, …)"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "patch" and node.args and ours(node.args[0]):
                what = f"patch({ast.unparse(node.args[0])}, …)"
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete):
            targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute | ast.Subscript) and ours(target):
                    what = f"{ast.unparse(target)} = …"
        if what is not None:
            found.append(Patch(path, getattr(node, "lineno", 0), what))
    return found


def _imports(tree: ast.Module) -> dict[str, str]:
    """Each name a module binds by importing, and what it names (`mercato.demo`, …)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    names[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _is_monkeypatch(value: ast.expr) -> bool:
    return isinstance(value, ast.Name) and value.id in {"monkeypatch", "mp"}


def _is_mock_patch(func: ast.Attribute) -> bool:
    text = ast.unparse(func)
    return text.startswith(("mock.patch", "unittest.mock.patch", "patch."))


def test_no_test_patches_mercatos_own_code() -> None:
    # given every test module, fixture and support file
    found = [
        patch
        for path in sorted(TESTS.rglob("*.py"))
        for patch in mercato_patches(path.read_text(), str(path.relative_to(TESTS.parent)))
    ]
    # then none replaces Mercato's code (pass the dependency in, or make a real fault)
    assert found == [], "\n".join(map(str, found))


def test_the_scan_finds_each_way_of_patching_mercato() -> None:
    # given a test that patches Mercato in every way the scan knows
    source = """
from unittest import mock
from unittest.mock import patch
from mercato import demo
from mercato.agents.knowledge import search as knowledge_search
import mercato.kernel.rules
from mercato.agents.knowledge.testdata import RECIPES

def test_it(monkeypatch):
    monkeypatch.setattr(demo, "_opening_stock", None)
    monkeypatch.setattr("mercato.agents.knowledge.search.encoder", None)
    monkeypatch.setitem(mercato.kernel.rules._rules, "BR001", None)
    monkeypatch.delattr(knowledge_search.INDEX, "search")
    monkeypatch.setitem(RECIPES, "EC007", None)
    with mock.patch.object(demo, "BATCH", 1), patch("mercato.demo.BATCH", 2):
        assert demo.BATCH
    demo.BATCH = 3
"""
    # when scanned, then each one is found, by its line
    assert sorted(p.line for p in mercato_patches(source)) == [10, 11, 12, 13, 14, 15, 15, 17]


def test_the_scan_allows_the_environment_and_other_code() -> None:
    # given a test that sets the environment, the directory and patches a library
    source = """
import json
from mercato.kernel.config import Settings

def test_it(monkeypatch, tmp_path):
    monkeypatch.setenv("MERCATO_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MERCATO_BROKER_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(json, "dumps", str)
    settings = Settings()
    settings.data_dir = tmp_path
"""
    # when scanned, then nothing is found (a local object built from Mercato is the test's)
    assert mercato_patches(source) == []
