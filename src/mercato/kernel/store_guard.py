"""The guard on every statement the kernel's engines execute (ADR 20), always on.

An engine `before_execute` hook, so it sees `session.execute(...)` and a bare connection's
`execute(...)` alike (and a `before_cursor_execute` one for `exec_driver_sql(...)`):

- a statement built by `in_store` gets `store_tenant_id` (and an INSERT's rows their
  `tenant_id`) from the tenant in context; none in context is `TenantContextMissing`;
- a Core statement that reads, updates or deletes a store table without its criterion, an
  INSERT whose rows name no store (or, with a store in context, another one), raw SQL that
  names a store table without binding `:store_tenant_id`: `UnscopedStatement`, before
  anything reaches the database — unless it carries `all_tenants=True`, the mark of the jobs
  that work across stores;
- ORM statements run by a session pass: `db._scope_to_tenant` scoped them. The ORM's flush
  (rows it loaded scoped, or stamped when added) is recognized by its mapper's compiled cache.

Judging a statement walks it, once: the verdict is kept on the statement object, so a
module-level constant is judged at its first execution and never again, and by shape, so a
statement built anew at each call is judged once per shape.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import Any, Final

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Mapper
from sqlalchemy.sql.ddl import BaseDDLElement
from sqlalchemy.sql.dml import Delete, Insert, Update
from sqlalchemy.sql.elements import BindParameter, ClauseElement
from sqlalchemy.sql.lambdas import StatementLambdaElement
from sqlalchemy.sql.selectable import TableClause

from mercato.kernel.context import tenant_var
from mercato.kernel.errors import TenantContextMissing, UnscopedStatement
from mercato.kernel.store_sql import (
    SCOPED_OPTION,
    STORE_TENANT_ID,
    TENANT_COLUMN,
    audit,
    conjuncts,
    registry,
    scoped_by,
)

Params = dict[str, Any]
Executed = tuple[Any, Sequence[Params], Params]
Verdict = Callable[[Any, Sequence[Params], Params, Any], Executed]

ORM_SESSION_OPTION: Final = "_result_disable_adapt_to_context"
"""Set by the ORM session on every ORM statement it runs, after `do_orm_execute` (so an ORM
statement without it was run on a bare connection, and is judged like a Core one). Should a
SQLAlchemy release drop it, ORM statements are judged and refused: the guard fails closed."""


def install(engine: AsyncEngine) -> None:
    event.listen(engine.sync_engine, "before_execute", _before_execute, retval=True)
    event.listen(engine.sync_engine, "before_cursor_execute", _before_driver_sql)


def _before_execute(
    _conn: Any, elem: Any, multiparams: Sequence[Params], params: Params, options: Any
) -> Executed:
    orm = elem._propagate_attrs
    if (
        orm
        and ORM_SESSION_OPTION in options
        and not elem.is_insert
        and orm.get("compile_state_plugin") == "orm"
    ):
        return elem, multiparams, params
    held = elem.__dict__.get(_VERDICT)
    if held is not None and held[0]() is elem and held[1] == registry.generation:
        verdict = held[2]
    else:
        verdict = _verdict_by_shape(elem)
        elem.__dict__[_VERDICT] = (weakref.ref(elem), registry.generation, verdict)
    if verdict is None:
        return elem, multiparams, params
    return verdict(elem, multiparams, params, options)  # type: ignore[no-any-return]


_VERDICT = "_mercato_store_verdict"
"""Kept on the statement with a weak reference to it: a statement derived from it
(`.where()`, `.returning()`) copies its attributes, and the reference tells the copy the
verdict is not its own."""


_BY_SHAPE: dict[tuple[Any, ...], Verdict | None] = {}


def _verdict_by_shape(statement: Any) -> Verdict | None:
    """The verdict of statements of this shape. A statement built anew at each execution is
    judged once per shape: by SQLAlchemy's cache key, which it computes for its own compiled
    cache anyway (once per statement object: the key is kept on it). The key leaves out the
    values bound, on which no verdict depends (an INSERT's stores are read at execution)."""
    if isinstance(statement, BaseDDLElement) or not isinstance(statement, ClauseElement):
        return None  # DDL; a sequence's next value
    key = statement._generate_cache_key()
    if key is None:  # a statement SQLAlchemy does not cache: judged each time
        return judge(statement)
    scoped = bool(getattr(statement, "_execution_options", {}).get(SCOPED_OPTION))
    shape = (key.key, scoped, registry.generation)
    try:
        return _BY_SHAPE[shape]
    except KeyError:
        pass
    verdict = _BY_SHAPE[shape] = judge(statement)
    if len(_BY_SHAPE) > 4096:
        _BY_SHAPE.clear()
    return verdict


def judge(statement: Any) -> Verdict | None:
    """What executing `statement` takes: None (it touches no store table, or its scoping
    needs nothing at execution), or the verdict that fills, checks or refuses."""
    if isinstance(statement, StatementLambdaElement):
        return judge(statement._resolved)
    if isinstance(statement, BaseDDLElement):
        return None
    found = audit(statement)
    target = getattr(statement, "table", None)
    target_name = target.name if isinstance(target, TableClause) else None
    # The flush writes with Core statements on the mapper's table; an ORM statement is never
    # the flush's (a bulk UPDATE by primary key, which no loader criteria scope, is refused).
    core = not statement._propagate_attrs
    mapper = registry.mappers.get(target_name) if target_name and core else None
    if isinstance(statement, Insert) and target_name in registry.mappers:
        problems = [*found.problems, *_conflict_problems(statement, target_name)]
        if problems:
            return Refused(problems, None)
        if statement._execution_options.get(SCOPED_OPTION):
            return ScopedInsert(found.binds_store)
        if statement.select is not None:
            return Refused([f"an INSERT … SELECT into {target_name} names no store"], None)
        return CheckedInsert(target_name, mapper)
    if found.problems:
        return Refused(found.problems, mapper if isinstance(statement, Update | Delete) else None)
    if found.binds_store:
        return fill_update if isinstance(statement, Update) else fill
    return None


# -- verdicts ------------------------------------------------------------------------------


def _tenant() -> str:
    tenant = tenant_var.get()
    if tenant is None:
        raise TenantContextMissing("a statement scoped to the store ran with no store in context")
    return tenant


def fill(elem: Any, multiparams: Sequence[Params], params: Params, _options: Any) -> Executed:
    tenant = _tenant()
    if multiparams:
        return elem, [{**row, STORE_TENANT_ID: tenant} for row in multiparams], params
    return elem, multiparams, {**params, STORE_TENANT_ID: tenant}


def fill_update(elem: Any, multiparams: Sequence[Params], params: Params, options: Any) -> Executed:
    for row in multiparams or (params,):
        if TENANT_COLUMN in row:
            raise UnscopedStatement("an UPDATE scoped to the store may not set tenant_id")
    return fill(elem, multiparams, params, options)


class Refused:
    __slots__ = ("mapper", "message")

    def __init__(self, problems: list[str], mapper: Mapper[Any] | None) -> None:
        self.message = (
            "a statement on store tables is not scoped to the store: "
            + "; ".join(problems)
            + ". Build it with in_store() (mercato.kernel.store_sql), or mark a job that"
            " works across stores all_tenants=True"
        )
        self.mapper = mapper
        """The mapper of the updated or deleted table: its flush's statements pass."""

    def __call__(
        self, elem: Any, multiparams: Sequence[Params], params: Params, options: Any
    ) -> Executed:
        if options.get("all_tenants") or _is_flush(self.mapper, options):
            return elem, multiparams, params
        raise UnscopedStatement(self.message)


class ScopedInsert:
    """An INSERT built by `in_store`: each row takes the store in context."""

    __slots__ = ("binds_store",)

    def __init__(self, binds_store: bool) -> None:
        self.binds_store = binds_store

    def __call__(
        self, elem: Any, multiparams: Sequence[Params], params: Params, _options: Any
    ) -> Executed:
        tenant = _tenant()
        extra = {TENANT_COLUMN: tenant, STORE_TENANT_ID: tenant} if self.binds_store else None
        rows = []
        for row in multiparams or (params,):
            named = row.get(TENANT_COLUMN)
            if named is not None and named != tenant:
                raise UnscopedStatement(f"a row of store {named!r} inserted in store {tenant!r}")
            rows.append({**row, **extra} if extra else {**row, TENANT_COLUMN: tenant})
        return (elem, rows, params) if multiparams else (elem, multiparams, rows[0])


_UNKNOWN: Final = object()
"""A row's store given by an expression, not a value: it cannot be checked."""


class CheckedInsert:
    """An INSERT not built by `in_store`: every row must name its store, and with a store in
    context, that one (the ORM's flush excepted: it may write rows of several stores at once,
    each stamped when it was added)."""

    __slots__ = ("mapper", "table")

    def __init__(self, table: str, mapper: Mapper[Any] | None) -> None:
        self.table, self.mapper = table, mapper

    def __call__(
        self, elem: Any, multiparams: Sequence[Params], params: Params, options: Any
    ) -> Executed:
        tenant = tenant_var.get()
        strict = tenant is not None and not options.get("all_tenants")
        if strict and _is_flush(self.mapper, options):
            strict = False
        named = _named_stores(elem) if elem._values or elem._multi_values else ()
        if len(named) > 1:  # multi-row VALUES: the statement names each row's store
            stores = named
        else:
            default = named[0] if named else None
            stores = [row.get(TENANT_COLUMN, default) for row in multiparams or (params,)]
        for store in stores:
            if store is None or store is _UNKNOWN:
                raise UnscopedStatement(
                    f"an INSERT into {self.table} has a row with no {TENANT_COLUMN} value: "
                    "build it with in_store() to take the store in context"
                )
            if strict and store != tenant:
                raise UnscopedStatement(
                    f"an INSERT into {self.table} writes a row of store {store!r} in store "
                    f"{tenant!r}; a job across stores marks it all_tenants=True"
                )
        return elem, multiparams, params


def _is_flush(mapper: Mapper[Any] | None, options: Any) -> bool:
    return (
        mapper is not None and options.get("compiled_cache") is mapper.base_mapper._compiled_cache
    )


def _named_stores(statement: Insert) -> Sequence[Any]:
    """The stores the statement's own VALUES name: none (the rows come as parameters), one
    (`.values(tenant_id=…)`, or a default for the parameter rows), or one per VALUES row."""
    if statement._multi_values:
        rows = [row for group in statement._multi_values for row in group]
        return [_named_in(row) if isinstance(row, dict) else _UNKNOWN for row in rows]
    if statement._values:
        return [_named_in(statement._values)]
    return []


def _named_in(values: dict[Any, Any]) -> Any:
    for key, value in values.items():
        if (key if isinstance(key, str) else getattr(key, "key", None)) == TENANT_COLUMN:
            if isinstance(value, BindParameter):
                return value.value if value.callable is None else _UNKNOWN
            return _UNKNOWN if isinstance(value, ClauseElement) else value
    return None


def _conflict_problems(statement: Insert, table: str) -> list[str]:
    """`ON CONFLICT DO UPDATE` updates the row the new one collides with: only a conflict on
    a key that holds `tenant_id` (or a WHERE scoping the update) keeps it in the store."""
    clause = statement._post_values_clause
    if clause is None or not hasattr(clause, "update_whereclause"):
        return []
    targets = getattr(clause, "inferred_target_elements", None) or ()
    if any(getattr(t, "name", t) == TENANT_COLUMN for t in targets):
        return []
    if scoped_by(statement.table, conjuncts(clause.update_whereclause)):
        return []
    return [f"ON CONFLICT DO UPDATE on {table} by a key without {TENANT_COLUMN}"]


_DRIVER_SQL: dict[str, tuple[int, list[str]]] = {}


def _before_driver_sql(
    _conn: Any, _cursor: Any, sql: str, _params: Any, context: Any, _many: bool
) -> None:
    """SQL handed to the driver as it is (`exec_driver_sql`, which `before_execute` does not
    see): it cannot bind the store, so naming a store table is refused unless the statement
    is marked all_tenants. (A compiled statement was judged before it was compiled.)"""
    if context is None or context.compiled is not None:
        return
    known = _DRIVER_SQL.get(sql)
    if known is None or known[0] != registry.generation:
        if len(_DRIVER_SQL) > 512:
            _DRIVER_SQL.clear()
        known = _DRIVER_SQL[sql] = (
            registry.generation,
            registry.names_in(sql, whole_statement=True),
        )
    if known[1] and not context.execution_options.get("all_tenants"):
        raise UnscopedStatement(
            f"driver SQL names store tables ({', '.join(known[1])}) and cannot be scoped to "
            "the store: use a Core statement built by in_store(), or mark it all_tenants=True"
        )
