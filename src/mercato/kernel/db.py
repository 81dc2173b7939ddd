"""Database access: the engine, sessions, the unit of work and tenant scoping.

Embedded mode runs on a SQLite file (WAL, a busy timeout, and `BEGIN IMMEDIATE` for units of
work that write, so two writers queue instead of failing on a lock upgrade); scaled mode runs
on PostgreSQL through asyncpg. Tables that belong to a store derive from `TenantScoped`, and
every ORM query on them is filtered by the tenant in context (rule 5): forgetting the filter
is impossible, and querying without a tenant in context is an error. Core statements on
them are built by `store_sql.in_store`; the engine's guard (`store_guard`) refuses the
others (ADR 20).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from enum import StrEnum
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar, cast

import orjson
from sqlalchemy import DateTime, MetaData, String, Table, TypeDecorator, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Mapper,
    ORMExecuteState,
    Session,
    mapped_column,
    with_loader_criteria,
)

from mercato.kernel import context, read_only, sqlite_driver
from mercato.kernel.clock import Clock, SystemClock
from mercato.kernel.config import Settings
from mercato.kernel.errors import TenantContextMissing
from mercato.kernel.observability import count_statements
from mercato.kernel.pg_liveness import check_liveness
from mercato.kernel.prepared import Driver, SessionDriver
from mercato.kernel.store_guard import install as guard_store_tables
from mercato.kernel.store_sql import register_store_table
from mercato.kernel.wiring import Wiring

if TYPE_CHECKING:
    from mercato.kernel.events import Envelope, Event

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores none of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC datetime")
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class StrEnumColumn(TypeDecorator[E]):
    """A `StrEnum` kept as its value in a VARCHAR of `length`: rows read back as members (so
    `Mapped[OrderStatus]` is what the attribute holds), strings written are checked against
    the members. Not a database enum type: the stored strings are the values, a new member
    needs no migration, and a migration's autogenerate sees the plain VARCHAR it was."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)

    @property
    def python_type(self) -> type[E]:
        return self.enum

    @property
    def values(self) -> list[str]:
        """What the column may hold, in the members' order."""
        return [member.value for member in self.enum]


class TenantScoped:
    """Mixin for tables whose rows belong to one store. `tenant_id` has no index of its own
    (a planner with a new store's statistics took it for lookups by key: ADR 22, fifth
    pass); the store leads the table's indexes, and a table read by store alone declares
    `Index("ix_<table>_tenant_id", "tenant_id")` (tests/unit/kernel/test_store_indexes.py)."""

    tenant_id: Mapped[str] = mapped_column(String(64))


@event.listens_for(TenantScoped, "after_mapper_constructed", propagate=True)
def _a_store_table(mapper: Mapper[Any], _class: type) -> None:
    register_store_table(cast(Table, mapper.local_table), mapper)


@event.listens_for(Session, "do_orm_execute")
def _scope_to_tenant(state: ORMExecuteState) -> None:
    # Core statements are the engine guard's (store_guard): loader criteria would not
    # filter them, and amending them would make a new statement at every execution.
    if not state.is_orm_statement:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return
    if state.execution_options.get("all_tenants", False):
        return
    tenant = context.current_tenant()
    if tenant is None:
        if _touches_tenant_scoped(state):
            raise TenantContextMissing()
        return
    state.statement = state.statement.options(_store_criteria(tenant))


@functools.lru_cache(maxsize=1024)
def _store_criteria(tenant: str) -> Any:
    """The filter on the store's rows, made once per store: building it (a lambda SQLAlchemy
    analyses) on every statement cost more than running many of them."""
    return with_loader_criteria(
        TenantScoped,
        lambda cls: cls.tenant_id == tenant,
        include_aliases=True,
    )


def _touches_tenant_scoped(state: ORMExecuteState) -> bool:
    return any(issubclass(mapper.class_, TenantScoped) for mapper in state.all_mappers)


@event.listens_for(Session, "transient_to_pending")
def _stamp_on_add(_session: Session, instance: object) -> None:
    """A new row takes the tenant in context when it is added (not when it is flushed: a
    batch of events of several stores flushes once), and may not name another one."""
    if not isinstance(instance, TenantScoped):
        return
    tenant = context.current_tenant()
    if instance.tenant_id is None:
        instance.tenant_id = tenant  # None is caught at flush
    elif tenant is not None and instance.tenant_id != tenant:
        raise TenantContextMissing(f"a row of tenant {instance.tenant_id!r} written in {tenant!r}")


@event.listens_for(Session, "before_flush")
def _require_tenant(session: Session, _flush_context: Any, _instances: Any) -> None:
    for obj in session.new:
        if isinstance(obj, TenantScoped) and obj.tenant_id is None:
            tenant = context.current_tenant()
            if tenant is None:
                raise TenantContextMissing()
            obj.tenant_id = tenant


def json_text(value: Any) -> str:
    """A JSON column's text, by orjson: a checkout writes a dozen JSON values (addresses,
    timeline details, saga data), which `json.dumps` made a visible part of its CPU. Keys that
    are not strings become strings, as `json.dumps` makes them."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


class Database:
    """The engine and session factory for one database URL."""

    def __init__(
        self, url: str, *, echo: bool = False, pool_size: int = 20, pool_timeout: float = 30.0
    ) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {
            "echo": echo,
            "json_serializer": json_text,
            "json_deserializer": orjson.loads,
        }
        if self.is_sqlite:
            kwargs["async_creator"] = sqlite_driver.connector(
                sqlite_driver.database_path(make_url(url).database)
            )
            # A connection comes back with its transaction ended (the unit of work commits
            # or rolls back, and SQLAlchemy rolls back whatever is left when it closes):
            # the pool's own rollback on return would be a second, empty one.
            kwargs["pool_reset_on_return"] = None
            kwargs["pool_timeout"] = pool_timeout
        else:
            # Every connection is kept once opened, none past `pool_size`: an overflow one,
            # closed when it came back, cost its whole set-up again at the next use (backend,
            # codecs, every statement planned anew; ADR 22, fifth pass).
            kwargs.update(
                pool_size=pool_size,
                max_overflow=0,
                pool_timeout=pool_timeout,
            )
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        count_statements(self.engine)
        guard_store_tables(self.engine)
        if self.is_sqlite:
            sqlite_driver.configure(self.engine)
            self._aside: AsyncEngine | None = None
        else:
            check_liveness(self.engine)
            # Work that commits on its own, beside a unit of work's transaction (`aside`):
            # its own connections, so a unit of work waiting for one never holds one of them.
            kwargs.update(pool_size=4, max_overflow=0)
            self._aside = create_async_engine(url, **kwargs)
            count_statements(self._aside)
            guard_store_tables(self._aside)
            check_liveness(self._aside)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        self.read_sessionmaker = read_only.sessionmaker(self.engine)
        # Sessions that write begin with BEGIN IMMEDIATE on SQLite, at their first statement
        # (not before: work that awaits something first does not hold the write lock).
        self.write_sessionmaker = async_sessionmaker(
            self.engine.execution_options(writes=True), expire_on_commit=False
        )

    @asynccontextmanager
    async def aside(self) -> AsyncIterator[AsyncConnection]:
        """PostgreSQL: a connection beside the unit of work's whose statements each commit on
        their own (autocommit: no BEGIN or COMMIT round trips), for a hot row that a unit of
        work should not keep locked until it commits (the order counter). Not on SQLite,
        whose one writer at a time is the unit of work itself."""
        if self._aside is None:
            raise RuntimeError("SQLite has no transactions beside the unit of work's")
        async with self._aside.connect() as connection:
            yield await connection.execution_options(isolation_level="AUTOCOMMIT")

    async def open_pool(self) -> int:
        """PostgreSQL: open the pool's connections now (how many), not in the first requests,
        which would wait while each costs milliseconds of set-up in both processes (ADR 22,
        fifth pass). SQLite: nothing to open."""
        if self.is_sqlite:
            return 0
        wanted = self.engine.pool.size() - self.engine.pool.checkedin()  # type: ignore[attr-defined]
        connections = [self.engine.connect() for _ in range(max(0, wanted))]
        try:
            await asyncio.gather(*(connection.start() for connection in connections))
        finally:
            await asyncio.gather(*(connection.close() for connection in connections))
        return len(connections)

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._aside is not None:
            await self._aside.dispose()


def upsert_insert(session: AsyncSession) -> Any:
    """The `insert()` of the session's dialect, which knows `ON CONFLICT` (PostgreSQL's or
    SQLite's; the two spell it alike)."""
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


class OutboxStager(Protocol):
    async def write(self, uow: UnitOfWork, envelopes: Sequence[Envelope]) -> None: ...


class UnitOfWork:
    """One transaction: the rows a command writes and the events they cause commit together.

    `publish()` collects events; `commit()` writes them to the outbox in the same transaction
    (rule 2) and, once committed, tells the relay there is work. Leaving the block without
    `commit()` rolls everything back and publishes nothing.
    """

    def __init__(
        self,
        db: Database,
        outbox: OutboxStager,
        *,
        clock: Clock | None = None,
        settings: Settings | None = None,
        writes: bool = True,
        after_commit: Callable[[], None] | None = None,
        wiring: Wiring | None = None,
    ) -> None:
        self._db = db
        self._outbox = outbox
        self.clock = clock or SystemClock()
        self.settings = settings or Settings()
        """The deployment's settings, for services whose defaults they are (rule 8)."""
        self._wiring = Wiring() if wiring is None else wiring
        self._writes = writes
        self._after_commit = after_commit
        self._pending: list[Envelope] = []
        self._on_commit: list[Callable[[], Awaitable[None] | None]] = []
        self.published: list[Envelope] = []
        self.committed = False
        self._driver: SessionDriver | None = None

    async def __aenter__(self) -> Self:
        factory = self._db.write_sessionmaker if self._writes else self._db.read_sessionmaker
        self.session: AsyncSession = factory()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Closing ends the transaction with a rollback if it was not committed; unlike an
        # explicit rollback, it leaves the rows read so far readable after the block.
        await self.session.close()

    async def driver(self) -> Driver:
        """The driver connection under this unit of work's transaction (begun if it was
        not), for prepared statements (`mercato.kernel.prepared`). Entities added or changed
        in the session are flushed first, as the session would before its own statements,
        so a prepared statement sees them."""
        if self._driver is None:
            self._driver = SessionDriver(self.session)
        return await self._driver.driver()

    def aside(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A connection beside this unit of work's, committing each statement on its own
        (`Database.aside`)."""
        return self._db.aside()

    def deps(self, kind: type[T]) -> T:
        """A dependency the kernel's agents wired (e.g. the payment gateways), for code that
        has a unit of work but no kernel (saga steps, handlers); `NotWiredError` if none did."""
        return self._wiring.get(kind)

    def wired(self, kind: type[T]) -> T | None:
        """A dependency an optional agent wires, or None when it is not installed."""
        return self._wiring.get(kind) if kind in self._wiring else None

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A part of the transaction undone on its own if it raises: its writes (a SAVEPOINT)
        and the events and on-commit callbacks it added; what came before it stays."""
        events, callbacks = len(self._pending), len(self._on_commit)
        try:
            async with self.session.begin_nested():
                yield
        except BaseException:
            del self._pending[events:]
            del self._on_commit[callbacks:]
            raise

    def publish(self, event: Event, *, aggregate_id: str, tenant_id: str | None = None) -> Envelope:
        """Record that `event` happened to `aggregate_id`; it is written at commit."""
        from mercato.kernel.events import Envelope

        tenant = tenant_id or context.current_tenant()
        if tenant is None:
            raise TenantContextMissing()
        envelope = Envelope.wrap(
            event, aggregate_id=aggregate_id, tenant_id=tenant, clock=self.clock
        )
        self._pending.append(envelope)
        return envelope

    async def commit(self) -> None:
        if self._pending:
            await self._outbox.write(self, self._pending)
        await self.session.commit()
        self._driver = None
        self.committed = True
        self.published, self._pending = self._pending, []
        if self.published and self._after_commit is not None:
            self._after_commit()
        callbacks, self._on_commit = self._on_commit, []
        for callback in callbacks:
            result = callback()
            if result is not None:
                await result

    def on_commit(self, callback: Callable[[], Awaitable[None] | None]) -> None:
        """Run `callback` once this unit of work has committed (never if it rolls back):
        for effects outside the database, such as evicting a cache entry."""
        self._on_commit.append(callback)

    async def rollback(self) -> None:
        self._pending.clear()
        self._driver = None
        await self.session.rollback()
