"""Prepared statements: Core statements compiled once per dialect and sent straight to the
driver on the unit of work's own connection (ADR 22).

The hot paths (checkout, cart writes, reads built from rows) spend most of their CPU in the
ORM and SQLAlchemy's execution machinery rather than in the database: loading an entity
costs about five times what the driver takes to run its statement. A `Prepared` keeps what
SQLAlchemy works out on every execution (the SQL string, the order of the parameters, the
type conversions both ways) from its first use on a dialect, and runs the statement in the
same transaction as the rest of the unit of work:

    STOCK_OF = Prepared(
        select(stock.c.id, stock.c.on_hand).where(stock.c.variant_id == bindparam("variant"))
    )
    row = await STOCK_OF.first(uow, variant=variant_id)     # row.id, row.on_hand

What it keeps from SQLAlchemy: the statement is built with Core, so its SQL is SQLAlchemy's;
the values pass through the columns' own bind and result processors (UTC datetimes, enums,
JSON); a constraint violation is raised as `sqlalchemy.exc.IntegrityError`, as the ORM would.
What it gives up: Python-side column defaults (every value is passed), expanding `IN`
parameters (a prepared statement has a fixed shape), and the ORM's identity map (a row
changed here is not refreshed in entities the session already holds, so a unit of work
does not mix the two for the same rows).

Store tables: a statement built with `in_store` carries the `store_tenant_id` parameter,
which is filled here from the tenant in context (never by the caller); see
`mercato.kernel.store_sql`.
"""

from __future__ import annotations

import functools
import sqlite3
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from mercato.kernel import context
from mercato.kernel.observability import tally_statement
from mercato.kernel.read_only import READS, WriteInReadOnlyError
from mercato.kernel.store_guard import judge
from mercato.kernel.store_sql import (
    TENANT_COLUMN,
    in_store,
    registry,
    store_table_names,
)

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession


class HasDriver(Protocol):
    """What a prepared statement runs on: a unit of work, or a `SessionDriver`."""

    async def driver(self) -> Driver: ...


try:  # the PostgreSQL driver's errors, when it is installed
    import asyncpg  # type: ignore[import-untyped]

    _INTEGRITY_ERRORS: tuple[type[Exception], ...] = (
        sqlite3.IntegrityError,
        asyncpg.IntegrityConstraintViolationError,
    )
except ImportError:  # pragma: no cover - asyncpg is a dependency
    _INTEGRITY_ERRORS = (sqlite3.IntegrityError,)


@dataclass(frozen=True)
class _Compiled:
    """A statement as one dialect runs it."""

    sql: str
    names: tuple[str, ...]
    """The bind parameters in the order the SQL takes them."""
    binders: tuple[Callable[[Any], Any] | None, ...]
    """Each parameter's conversion to what the driver takes (None: as is)."""
    fixed: Mapping[str, Any]
    """Values the statement itself holds (literals turned into parameters)."""
    row: Any
    """A named tuple class of the result's columns (None: no rows come back)."""
    readers: tuple[Callable[[Any], Any] | None, ...]
    """Each result column's conversion from what the driver returns."""
    writes: bool
    """An INSERT, UPDATE or DELETE: refused in a unit of work that only reads."""


class Prepared:
    """A Core statement, compiled once per dialect, run on a unit of work's connection."""

    def __init__(self, statement: ClauseElement, *, columns: Sequence[str] | None = None) -> None:
        """`columns`: for an INSERT, the columns every row gives (in any order)."""
        self.statement = statement
        self._columns = list(columns) if columns is not None else None
        self._compiled: dict[str, _Compiled] = {}
        self._options = statement.get_execution_options()  # type: ignore[attr-defined]
        self._verdict: Any = None
        self._verdict_generation = -1
        """The store guard's verdict (judged at first use: the store tables are known once
        the models are mapped), and the registry's generation it was judged in."""

    def _for(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            found = self._compiled[dialect.name] = self._compile(dialect)
        return found

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect, column_keys=self._columns)
        assert isinstance(compiled, SQLCompiler)
        if compiled.positiontup is None:
            raise TypeError(f"{dialect.name} does not take positional parameters")
        binds = compiled.binds
        for name in compiled.positiontup:
            if binds[name].expanding:
                raise TypeError(f"a prepared statement has a fixed shape: {name!r} expands")
        if compiled.insert_prefetch or compiled.update_prefetch:
            missing = [c.key for c in (*compiled.insert_prefetch, *compiled.update_prefetch)]
            raise TypeError(f"pass every column with a Python default: {missing}")
        processors = compiled._bind_processors
        names = tuple(compiled.positiontup)
        fixed = {
            name: binds[name].effective_value
            for name in names
            if not binds[name].required and binds[name].callable is None
        }
        row: Any = None
        readers: tuple[Callable[[Any], Any] | None, ...] = ()
        if compiled._result_columns:
            keys = [entry[0] for entry in compiled._result_columns]
            row = namedtuple("Row", keys, rename=True)  # type: ignore[misc,no-redef]
            readers = tuple(
                entry[3]._cached_result_processor(dialect, None)
                for entry in compiled._result_columns
            )
        return _Compiled(
            sql=compiled.string,
            names=names,
            binders=tuple(processors.get(name) for name in names),  # type: ignore[misc]
            fixed=fixed,
            row=row,
            readers=readers,
            writes=bool(compiled.isinsert or compiled.isupdate or compiled.isdelete),
        )

    def _args(self, compiled: _Compiled, params: Mapping[str, Any]) -> list[Any]:
        args = []
        for name, binder in zip(compiled.names, compiled.binders, strict=True):
            value = params[name] if name in params else compiled.fixed[name]
            args.append(value if binder is None or value is None else binder(value))
        return args

    def _checked(self, rows: Sequence[Mapping[str, Any]]) -> Sequence[Mapping[str, Any]]:
        """The parameters as the store guard (ADR 20) lets them run: the store in context
        filled in, or the statement refused; what the engine's hook does for a statement
        SQLAlchemy executes, which a prepared one never reaches."""
        verdict = self._verdict_for()
        if verdict is _as_is:
            return rows
        _, many, _ = verdict(self.statement, list(rows), {}, self._options)
        return many  # type: ignore[no-any-return]

    def _one(self, params: Mapping[str, Any]) -> Mapping[str, Any]:
        verdict = self._verdict_for()
        if verdict is _as_is:
            return params
        _, _, one = verdict(self.statement, (), params, self._options)
        return one  # type: ignore[no-any-return]

    def _verdict_for(self) -> Any:
        if self._verdict_generation != registry.generation:
            self._verdict = judge(self.statement)
            self._verdict_generation = registry.generation
        return self._verdict or _as_is

    def _rows(self, compiled: _Compiled, raw: Sequence[Sequence[Any]]) -> list[Any]:
        make, readers = compiled.row._make, compiled.readers
        if not any(readers):
            return [make(values) for values in raw]
        return [
            make([v if f is None else f(v) for f, v in zip(readers, values, strict=True)])
            for values in raw
        ]

    async def all(self, uow: HasDriver, **params: Any) -> list[Any]:
        """Every row the statement returns, as named tuples."""
        driver = await uow.driver()
        compiled = self._for(driver.dialect)
        args = self._args(compiled, self._one(params))
        return self._rows(compiled, await driver.fetch(compiled, args))

    async def first(self, uow: HasDriver, **params: Any) -> Any | None:
        rows = await self.all(uow, **params)
        return rows[0] if rows else None

    async def one(self, uow: HasDriver, **params: Any) -> Any:
        """The one row the statement returns (an aggregate's); LookupError if none."""
        row = await self.first(uow, **params)
        if row is None:
            raise LookupError("the statement returned no row")
        return row

    async def scalar(self, uow: HasDriver, **params: Any) -> Any:
        row = await self.first(uow, **params)
        return None if row is None else row[0]

    async def run(self, uow: HasDriver, **params: Any) -> int:
        """Run a statement that returns no rows; how many rows it changed."""
        driver = await uow.driver()
        compiled = self._for(driver.dialect)
        return await driver.execute(compiled, self._args(compiled, self._one(params)))

    async def run_many(self, uow: HasDriver, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run the statement once per parameter set (an INSERT of many rows)."""
        if not rows:
            return
        driver = await uow.driver()
        compiled = self._for(driver.dialect)
        checked = self._checked(rows)
        await driver.execute_many(compiled, [self._args(compiled, row) for row in checked])


class EntityInsert:
    """An INSERT of every column of a model's table, from entities that are never added to
    the session: `await ORDERS.add(uow, order)` writes what `session.add(order)` and a flush
    would, without the ORM's flush. A column left None takes its Python default; a store
    row takes the store in context and may not name another one (the INSERT is built by
    `in_store`, whose check the prepared statement applies). `unless_taken`: the INSERT is
    `ON CONFLICT DO NOTHING`, and `add_unless_taken` says whether the row went in (where the
    ORM would need a savepoint to survive the unique index refusing it)."""

    def __init__(self, model: type[Any], *, unless_taken: bool = False) -> None:
        table = model.__table__
        self._columns = [column.key for column in table.columns]
        self._defaults: dict[str, Callable[[], Any]] = {}
        for column in table.columns:
            default = column.default
            if default is None:
                continue
            if default.is_scalar:
                self._defaults[column.key] = functools.partial(_same, default.arg)
            elif default.is_callable:
                self._defaults[column.key] = functools.partial(default.arg, None)
        self._store = table.name in store_table_names()
        statement = insert(table)
        if unless_taken:  # PostgreSQL's and SQLite's spell it alike: this compiles for both
            statement = postgresql.insert(table).on_conflict_do_nothing()
        self.prepared = Prepared(
            in_store(statement) if self._store else statement, columns=self._columns
        )

    async def add(self, uow: HasDriver, *entities: Any) -> None:
        tenant = context.current_tenant() if self._store else None
        await self.prepared.run_many(uow, [self._row(entity, tenant) for entity in entities])

    async def add_unless_taken(self, uow: HasDriver, entity: Any) -> bool:
        """Write `entity` unless a unique index holds a row like it already: True if
        written."""
        tenant = context.current_tenant() if self._store else None
        return await self.prepared.run(uow, **self._row(entity, tenant)) == 1

    def _row(self, entity: Any, tenant: str | None) -> dict[str, Any]:
        row = {column: getattr(entity, column) for column in self._columns}
        for column, default in self._defaults.items():
            if row[column] is None:
                row[column] = default()
                setattr(entity, column, row[column])
        if self._store and row[TENANT_COLUMN] is None:
            setattr(entity, TENANT_COLUMN, tenant)  # what the statement writes (or refuses)
        return row


def _as_is(elem: Any, many: Any, one: Any, _options: Any) -> tuple[Any, Any, Any]:
    return elem, many, one


def _same(value: Any) -> Any:
    return value


class SessionDriver:
    """The driver under a plain session's transaction (for kernel code that has a session
    but no unit of work, such as the relay)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._driver: Driver | None = None
        self._nested: Any = None

    async def driver(self) -> Driver:
        session = self.session
        if session.new or session.dirty or session.deleted:
            await session.flush()  # what autoflush would do before a statement
        nested = session.sync_session.get_nested_transaction()
        if self._driver is None or nested is not self._nested:
            # The session emits a savepoint (`begin_nested`) when a statement first needs its
            # connection inside it: asking for the connection here makes it emit one, or a
            # prepared statement run in the savepoint would not be undone with it.
            connection = await session.connection()
            self._nested = nested
            if self._driver is None:
                self._driver = await _driver_of(connection)
        return self._driver


class ConnectionDriver:
    """The driver under a connection's transaction (`Database.aside`'s)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self._driver: Driver | None = None

    async def driver(self) -> Driver:
        if self._driver is None:
            self._driver = await _driver_of(self.connection)
        return self._driver


async def _driver_of(connection: AsyncConnection) -> Driver:
    raw = await connection.get_raw_connection()
    reads = bool(connection.sync_engine.get_execution_options().get(READS))
    return Driver(connection.dialect, raw.driver_connection, raw.dbapi_connection, reads=reads)


class Driver:
    """The driver connection under a unit of work's transaction, as `Prepared` uses it."""

    def __init__(
        self, dialect: Dialect, connection: Any, adapter: Any, *, reads: bool = False
    ) -> None:
        self.dialect = dialect
        self._reads = reads
        """A reading unit of work's: no transaction on PostgreSQL, and no writes."""
        self._connection = connection
        self._adapter = adapter
        self._sqlite = dialect.name == "sqlite"
        # SQLite: the statement runs on the event loop's thread, not on aiosqlite's worker.
        # A hop to the worker and back costs more CPU than a hot path's short statement
        # takes to run, and a statement here never waits on a lock: it runs inside the unit
        # of work's transaction, begun already (a writer's BEGIN IMMEDIATE, which may wait
        # for another process, stays on the worker), and WAL readers do not wait for writers.
        # The connection is opened with check_same_thread=False; the unit of work uses it
        # one statement at a time, so the two threads never use it at once.
        self._inline: sqlite3.Connection = connection._conn if self._sqlite else None  # type: ignore[assignment]

    async def fetch(self, compiled: _Compiled, args: list[Any]) -> Sequence[Sequence[Any]]:
        tally_statement()
        try:
            if self._sqlite:
                return self._inline.execute(compiled.sql, args).fetchall()
            await self._begun(compiled)
            return await self._connection.fetch(compiled.sql, *args)  # type: ignore[no-any-return]
        except _INTEGRITY_ERRORS as exc:
            raise IntegrityError(compiled.sql, args, exc) from exc

    async def execute(self, compiled: _Compiled, args: list[Any]) -> int:
        tally_statement()
        try:
            if self._sqlite:
                return int(self._inline.execute(compiled.sql, args).rowcount)
            await self._begun(compiled)
            status = await self._connection.execute(compiled.sql, *args)
        except _INTEGRITY_ERRORS as exc:
            raise IntegrityError(compiled.sql, args, exc) from exc
        count = status.rsplit(" ", 1)[-1]
        return int(count) if count.isdigit() else 0

    async def execute_many(self, compiled: _Compiled, rows: list[list[Any]]) -> None:
        tally_statement()  # one executemany, counted once (as SQLAlchemy's hook counts it)
        try:
            if self._sqlite:
                self._inline.executemany(compiled.sql, rows)
                return
            await self._begun(compiled)
            await self._connection.executemany(compiled.sql, rows)
        except _INTEGRITY_ERRORS as exc:
            raise IntegrityError(compiled.sql, rows, exc) from exc

    async def _begun(self, compiled: _Compiled) -> None:
        """SQLAlchemy's asyncpg adapter sends BEGIN with its first statement, not when the
        session begins: a statement sent here first must begin the transaction itself. A
        unit of work that only reads runs without one (`read_only`), and may not write."""
        if self._reads and compiled.writes:
            raise WriteInReadOnlyError(compiled.sql)
        adapter = self._adapter
        if adapter.isolation_level == "autocommit":
            return
        if adapter._transaction is None:
            async with adapter._execute_mutex:
                if adapter._transaction is None:
                    await adapter._start_transaction()
