"""ADR 20: every Core statement Mercato builds once (a module or class constant) and that
touches a store table is scoped by `in_store` or marked `all_tenants` — proven by walking
them all, so a fast path cannot ship one that is not."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.expression import Executable
from sqlalchemy.sql.selectable import TableClause

import mercato.agents
import mercato.kernel
from mercato.kernel.prepared import EntityInsert, Prepared
from mercato.kernel.prepared_in import PreparedIn
from mercato.kernel.store_sql import SCOPED_OPTION, audit, registry
from tests.support import store_statements


def every_module() -> list[ModuleType]:
    """Every module of the kernel and the agents, imported."""
    names = [
        info.name
        for package in (mercato.kernel, mercato.agents)
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
    ]
    return [importlib.import_module(name) for name in names]


def constants(module: ModuleType) -> Iterator[tuple[str, Any]]:
    """(where, statement) for each SQLAlchemy statement `module` holds: its names, what its
    tuples, lists and dicts hold, and its classes' attributes."""

    def walk(where: str, value: Any, depth: int) -> Iterator[tuple[str, Any]]:
        if isinstance(value, ClauseElement) and isinstance(value, Executable):
            yield where, value
        elif isinstance(value, Prepared | PreparedIn):  # compiled once, run through the driver
            yield where, value.statement
        elif isinstance(value, EntityInsert):
            yield where, value.prepared.statement
        elif depth > 2:
            return
        elif isinstance(value, tuple | list | set | frozenset):
            for i, item in enumerate(value):
                yield from walk(f"{where}[{i}]", item, depth + 1)
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(f"{where}[{key!r}]", item, depth + 1)
        elif isinstance(value, type) and value.__module__ == module.__name__:
            for name, item in vars(value).items():
                yield from walk(f"{where}.{name}", item, depth + 1)

    for name, value in vars(module).items():
        yield from walk(f"{module.__name__}.{name}", value, 0)


def unscoped(statement: Any) -> str | None:
    """Why `statement` may not run in a store as it is, or None."""
    if statement.get_execution_options().get("all_tenants"):
        return None
    target = getattr(statement, "table", None)
    if isinstance(statement, Insert) and isinstance(target, TableClause):
        if target.name in registry.mappers and not statement.get_execution_options().get(
            SCOPED_OPTION
        ):
            return f"an INSERT into {target.name} not built by in_store"
    elif statement._propagate_attrs.get("compile_state_plugin") == "orm":
        return None  # the session scopes it; on a bare connection the guard judges it
    return "; ".join(audit(statement).problems) or None


def findings(modules: list[ModuleType]) -> dict[str, str]:
    return {
        where: why
        for module in modules
        for where, statement in constants(module)
        if (why := unscoped(statement)) is not None
    }


def test_every_core_statement_constant_of_mercato_is_scoped_to_the_store() -> None:
    # given every module of the kernel and the agents
    modules = every_module()
    assert len(modules) > 200  # the whole package was walked
    # then no statement constant touches a store table unscoped
    assert findings(modules) == {}


def test_the_walk_finds_the_unscoped_constants_and_only_them() -> None:
    # given a module holding scoped, cross-store, ORM and unscoped statement constants
    found = findings([store_statements])
    # then the walk reports exactly the unscoped ones, wherever they are held
    prefix = "tests.support.store_statements."
    assert sorted(found) == [
        prefix + "IN_A_TUPLE[1]",
        prefix + "Queries.IN_A_CLASS",
        prefix + "UNSCOPED",
        prefix + "UNSCOPED_IN_LIST",
        prefix + "UNSCOPED_RAW",
        prefix + "UNSCOPED_WRITE",
    ]
    assert found[prefix + "UNSCOPED_RAW"] == (
        "raw SQL names example_notes without :store_tenant_id"
    )
