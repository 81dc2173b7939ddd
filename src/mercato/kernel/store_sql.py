"""Core statements on store tables, scoped to the store by construction (ADR 20).

ORM statements on store entities are filtered by the session (`db._scope_to_tenant`);
SQLAlchemy Core statements — `select(table)`, `update(table)`, `text(...)` — are not, so
every one that touches a store table is built by `in_store`:

    CART_VERSION = in_store(select(CARTS.c.version).where(CARTS.c.id == bindparam("cart_id")))
    ...
    version = (await uow.session.execute(CART_VERSION, {"cart_id": cart_id})).scalar()

`in_store` adds `tenant_id = :store_tenant_id` for every store table each SELECT, UPDATE
and DELETE of the statement reads or writes (subqueries included), and marks an INSERT so
its rows take the store's id. The kernel's guard (`store_guard`) fills `store_tenant_id`
from the tenant in context at every execution and refuses what is not scoped.

A store table is the table of a `TenantScoped` model (registered when its mapper is
built) or a Core table named in `register_store_table`. The kernel's own tables that carry
a `tenant_id` (outbox, sagas, dead letters) are not: they are cross-store by design.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import String, bindparam
from sqlalchemy.orm import Mapper
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.dml import Delete, Insert, Update
from sqlalchemy.sql.elements import (
    BinaryExpression,
    BindParameter,
    BooleanClauseList,
    ClauseElement,
    ColumnElement,
    Grouping,
    TextClause,
)
from sqlalchemy.sql.expression import Executable
from sqlalchemy.sql.selectable import AliasedReturnsRows, FromClause, Join, Select, TableClause

from mercato.kernel.errors import UnscopedStatement

S = TypeVar("S", bound=Executable)

TENANT_COLUMN = "tenant_id"
STORE_TENANT_ID = "store_tenant_id"
"""The bound parameter the kernel fills with the tenant in context; callers never pass it."""
STORE_TENANT = bindparam(STORE_TENANT_ID, type_=String(64))
SCOPED_OPTION = "store_scoped"
"""The execution option `in_store` sets: an INSERT so marked takes its rows' store from the
context. (Reads and writes need no mark: their scoping is read from their structure.)"""


class _Registry:
    """Store tables by name, with their mapper (the flush's statements are recognized by it)."""

    def __init__(self) -> None:
        self.mappers: dict[str, Mapper[Any] | None] = {}
        self.generation = 0
        """Raised by every registration: verdicts cached before it are judged again."""
        self._names: re.Pattern[str] | None = None

    def add(self, name: str, mapper: Mapper[Any] | None) -> None:
        if name in self.mappers and self.mappers[name] is not None and mapper is None:
            return
        self.mappers[name] = mapper
        self.generation += 1
        self._names = None

    def names_in(self, sql: str, *, whole_statement: bool = False) -> list[str]:
        """The store tables a piece of raw SQL names (as whole words, any case). A whole
        statement counts only if it reads or writes rows (`SELECT`, `WITH`, `INSERT`,
        `UPDATE`, `DELETE`…): not DDL, `PRAGMA`, `ANALYZE`, `EXPLAIN` or transaction control."""
        if whole_statement:
            first = _FIRST_WORDS.match(sql)  # matches any text (every part is optional)
            head = (first.group(1).upper(), first.group(2).upper()) if first else ("", "")
            if head[0] not in _ROW_STATEMENTS and head != ("EXPLAIN", "ANALYZE"):
                return []
        if self._names is None:
            names = "|".join(re.escape(n) for n in sorted(self.mappers, key=len, reverse=True))
            self._names = re.compile(rf"(?<![\w$])(?:{names or '(?!)'})(?![\w$])", re.IGNORECASE)
        return sorted({m.lower() for m in self._names.findall(sql)})


_FIRST_WORDS = re.compile(r"(?:\s|--[^\n]*\n|/\*.*?\*/|\()*(\w*)\W*(\w*)", re.DOTALL)
_ROW_STATEMENTS = frozenset(
    {"SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "UPSERT", "TRUNCATE"}
    | {"COPY", "TABLE", "VALUES"}
)

registry = _Registry()


def register_store_table(table: TableClause, mapper: Mapper[Any] | None = None) -> None:
    """Make `table` a store table: Core statements on it must be built by `in_store`.
    `TenantScoped` models' tables are registered on their own; call this for a Core table
    (or a model not mixed with `TenantScoped`) whose rows each belong to one store."""
    if TENANT_COLUMN not in table.c:
        raise ValueError(f"store table {table.name!r} has no {TENANT_COLUMN} column")
    registry.add(table.name, mapper)


def store_table_names() -> frozenset[str]:
    return frozenset(registry.mappers)


def store_criterion(from_: FromClause) -> ColumnElement[bool]:
    """`tenant_id = :store_tenant_id` for a store table or alias: what `in_store` adds, and
    what an outer join's ON clause must hold for the store table it may leave out."""
    return from_.c[TENANT_COLUMN] == STORE_TENANT


def in_store(statement: S) -> S:
    """`statement`, scoped to the store in context at each execution.

    SELECT, UPDATE, DELETE (and every subquery in them): `tenant_id = :store_tenant_id` for
    each store table they read or write. A store table on the optional side of an outer
    join is scoped by its ON clause, which cannot be amended here: put
    `store_criterion(table)` in it yourself (`in_store` refuses the statement otherwise).
    INSERT: each row takes the store in context as its `tenant_id` (a row naming another
    store is refused); the statement names none itself. Raw SQL (`text()`) must bind
    `:store_tenant_id` wherever it reads a store table: `in_store` can only check it binds it.

    Build once (a module constant), execute many times: the cost is here, not per execution.
    Raises `UnscopedStatement` for what cannot be scoped.
    """
    if isinstance(statement, TextClause):
        if STORE_TENANT_ID not in statement._bindparams:
            raise UnscopedStatement(f"raw SQL in a store binds :{STORE_TENANT_ID}: {statement}")
        scoped: Any = statement
    else:
        if isinstance(statement, Insert):
            _check_scopable_insert(statement)
        scoped = visitors.cloned_traverse(cast(Any, statement), {}, _SCOPERS)
    scoped = scoped.execution_options(**{SCOPED_OPTION: True})
    problems = audit(scoped).problems
    if problems:
        raise UnscopedStatement("in_store cannot scope: " + "; ".join(problems))
    return scoped  # type: ignore[no-any-return]


def _scope_where(node: Select[Any] | Update | Delete) -> None:
    """Cloned-traverse visitor: adds the criteria to a node cloned for this statement alone
    (hence in place, through the attribute `.where()` itself extends)."""
    where = conjuncts(node.whereclause)
    missing = tuple(
        store_criterion(found)
        for found, place in occurrences(node)
        if place is None and TENANT_COLUMN in found.c and not scoped_by(found, where)
    )
    node._where_criteria += missing


_SCOPERS = {"select": _scope_where, "update": _scope_where, "delete": _scope_where}


def _check_scopable_insert(statement: Insert) -> None:
    table = statement.table
    if not isinstance(table, TableClause) or table.name not in registry.mappers:
        return
    if statement.select is not None:
        raise UnscopedStatement(f"in_store does not scope INSERT … SELECT into {table.name}")
    if statement._multi_values:
        raise UnscopedStatement(
            f"in_store takes the rows of an INSERT into {table.name} as parameters "
            "(executemany), not as multi-row VALUES"
        )
    if any(_column_name(key) == TENANT_COLUMN for key in statement._values or {}):
        raise UnscopedStatement(
            f"an INSERT into {table.name} built by in_store takes its {TENANT_COLUMN} from "
            "the context: do not name it"
        )


# -- reading a statement -------------------------------------------------------------------


@dataclass(frozen=True)
class Audit:
    """What a statement does to store tables."""

    problems: list[str]
    """Each store table read or written without its criterion, said in words."""
    touches_store: bool
    binds_store: bool
    """Holds `:store_tenant_id` somewhere (so the kernel must fill it)."""


class On:
    """Where the criterion of a table on the optional side of an outer join must be: its ON."""

    __slots__ = ("clause",)

    def __init__(self, clause: ColumnElement[Any] | None) -> None:
        self.clause = clause


FULL = On(None)
"""The place of a table on either side of a FULL OUTER JOIN: no criterion scopes it."""
Place = On | None
"""None: the WHERE of the statement that reads or writes the table."""


def audit(statement: ClauseElement) -> Audit:
    """Walk every SELECT, UPDATE, DELETE and raw SQL in `statement` (subqueries, CTEs,
    unions included): a store table each reads or writes is scoped when a top-level AND of
    its WHERE is `table.tenant_id = :store_tenant_id` (its ON clause, for the optional side
    of an outer join). An INSERT's rows are judged at execution (`store_guard`)."""
    problems: list[str] = []
    touches = binds = False
    for node in visitors.iterate(statement):
        if isinstance(node, BindParameter):
            binds = binds or node.key == STORE_TENANT_ID
        elif isinstance(node, Select | Update | Delete):
            where = conjuncts(node.whereclause)
            if isinstance(node, Update) and _sets_tenant(node):
                problems.append(f"an UPDATE sets {TENANT_COLUMN}: rows do not move between stores")
            for found, place in occurrences(node):
                touches = True
                name = _table_of(found).name  # type: ignore[attr-defined]
                if place is FULL:
                    problems.append(f"{name} is in a FULL OUTER JOIN, which no criterion scopes")
                elif place is None:
                    if not scoped_by(found, where):
                        problems.append(
                            f"{_verb(node)} {name} without {name}.{TENANT_COLUMN} = "
                            f":{STORE_TENANT_ID}"
                        )
                elif not scoped_by(found, conjuncts(place.clause)):
                    problems.append(
                        f"{name} is outer-joined without store_criterion({name}) in its ON clause"
                    )
        elif isinstance(node, TextClause):
            named = registry.names_in(node.text, whole_statement=node is statement)
            if named:
                touches = True
                if STORE_TENANT_ID not in node._bindparams:
                    problems.append(f"raw SQL names {', '.join(named)} without :{STORE_TENANT_ID}")
        elif isinstance(node, Insert) and node is not statement:
            target = node.table
            if isinstance(target, TableClause) and target.name in registry.mappers:
                touches = True
                problems.append(f"an INSERT into {target.name} nested in another statement")
    return Audit(list(dict.fromkeys(problems)), touches, binds)


def occurrences(node: Select[Any] | Update | Delete) -> list[tuple[FromClause, Place]]:
    """Each store table (or alias of one) `node` itself reads or writes, with where its
    criterion must be. Subqueries are nodes of their own. A table joined is placed by its
    join, wherever else it is named (as the compiler lists it once, inside the join)."""
    if not isinstance(node, Select):
        found = [leaf for from_ in _dml_froms(node) for leaf in _leaves(from_, None)]
    elif node._propagate_attrs:  # ORM joins (to relationships…) are known to its compiler
        found = [leaf for from_ in node.get_final_froms() for leaf in _leaves(from_, None)]
    else:
        found = [leaf for from_ in node._from_obj for leaf in _leaves(from_, None)]
        for target, onclause, left, flags in node._setup_joins:
            if left is not None:
                found += _leaves(left, None)
            on = cast("ColumnElement[Any] | None", onclause)
            outer = FULL if flags["full"] else On(on) if flags["isouter"] else None
            found += _leaves(target, outer)  # type: ignore[arg-type]
        for element in (*node._raw_columns, *node._where_criteria):
            found += [leaf for from_ in element._from_objects for leaf in _leaves(from_, None)]
    placed: dict[int, tuple[FromClause, Place]] = {}
    for from_, place in found:
        placed.setdefault(id(from_._deannotate()), (from_, place))
    return list(placed.values())


def _leaves(from_: FromClause, place: Place) -> list[tuple[FromClause, Place]]:
    if isinstance(from_, Join):
        if from_.full:
            return _leaves(from_.left, FULL) + _leaves(from_.right, FULL)
        right = On(from_.onclause) if from_.isouter and place is not FULL else place
        return _leaves(from_.left, place) + _leaves(from_.right, right)
    table = _table_of(from_)
    if isinstance(table, TableClause) and table.name in registry.mappers:
        return [(from_, place)]
    return []


def _table_of(from_: FromClause) -> FromClause:
    """The table under aliases (`alias(t)`, `aliased(Model)`), or `from_` itself."""
    while isinstance(from_, AliasedReturnsRows):
        from_ = from_.element  # type: ignore[assignment]
    return from_


def _dml_froms(node: Update | Delete) -> list[FromClause]:
    """The target of an UPDATE or DELETE and the tables its WHERE and SET add to it
    (`UPDATE … FROM`, `DELETE … USING`), as the compiler would list them."""
    values: Iterable[Any] = (node._values or {}).values() if isinstance(node, Update) else ()
    clauses = (*node._where_criteria, *values)
    return [node.table, *(f for c in clauses for f in getattr(c, "_from_objects", ()))]


def conjuncts(clause: Any) -> list[Any]:
    """The top-level ANDs of a WHERE or ON clause (None: none)."""
    if clause is None:
        return []
    if isinstance(clause, Grouping):
        return conjuncts(clause.element)
    if isinstance(clause, BooleanClauseList) and clause.operator is operators.and_:
        return [part for inner in clause.clauses for part in conjuncts(inner)]
    return [clause]


def scoped_by(from_: FromClause, criteria: list[ColumnElement[Any]]) -> bool:
    """Whether one of `criteria` is `from_.tenant_id = :store_tenant_id`."""
    for criterion in criteria:
        if isinstance(criterion, BinaryExpression) and criterion.operator is operators.eq:
            left, right = criterion.left, criterion.right
            if _is_store_param(right) and _is_tenant_of(left, from_):
                return True
            if _is_store_param(left) and _is_tenant_of(right, from_):
                return True
    return False


def _is_store_param(element: Any) -> bool:
    return isinstance(element, BindParameter) and element.key == STORE_TENANT_ID


def _is_tenant_of(element: Any, from_: FromClause) -> bool:
    table = getattr(element, "table", None)
    return (
        getattr(element, "name", None) == TENANT_COLUMN
        and table is not None
        and (table is from_ or table._deannotate() is from_._deannotate())
    )


def _sets_tenant(node: Update) -> bool:
    table = _table_of(node.table)
    return (
        isinstance(table, TableClause)
        and table.name in registry.mappers
        and any(_column_name(key) == TENANT_COLUMN for key in node._values or {})
    )


def _verb(node: Select[Any] | Update | Delete) -> str:
    return (
        "reads"
        if isinstance(node, Select)
        else "updates"
        if isinstance(node, Update)
        else "deletes from"
    )


def _column_name(key: Any) -> str | None:
    return key if isinstance(key, str) else getattr(key, "key", None)
