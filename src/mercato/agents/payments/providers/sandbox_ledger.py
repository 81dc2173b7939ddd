"""The sandbox gateway's own ledger: the state of an OUTSIDE system, kept in its own database
(`sandbox_gateway_url`, by default a SQLite file beside the store's), never in Mercato's
schema and never migrated by Alembic: its tables are created on first use.

Every operation is one transaction. An authorization is keyed by its idempotency key (unique)
and every other operation's answer is stored under its key, so the same key always gets the
same answer, across restarts and processes. On SQLite a transaction begins IMMEDIATE (one
writer at a time, queued, in this process by a lock); on PostgreSQL the authorization row is
locked FOR UPDATE, and a new authorization is one INSERT … ON CONFLICT DO NOTHING that
commits on its own (one round trip, as a gateway's one request).
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Float,
    MetaData,
    String,
    Table,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.util import await_only

from mercato.kernel.pg_liveness import check_liveness

metadata = MetaData()

meta = Table(
    "sandbox_meta",
    metadata,
    Column("key", String(32), primary_key=True),
    Column("value", String(128), nullable=False),
)
authorizations = Table(
    "sandbox_authorizations",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("token", String(255), nullable=False),
    Column("reference", String(64), nullable=False),
    Column("amount", String(32), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(16), nullable=False),
    Column("captured", String(32), nullable=False),
    Column("refunded", String(32), nullable=False),
    Column("decline_code", String(64)),
    Column("created", Float, nullable=False),
)
operations = Table(
    "sandbox_operations",
    metadata,
    Column("idempotency_key", String(200), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("authorization_id", String(40)),
    Column("response", JSON, nullable=False),
    Column("created", Float, nullable=False),
)

Row = dict[str, Any]


class SandboxLedger:
    """The ledger of one sandbox gateway (one database)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self._engine: AsyncEngine | None = None
        self._ready = False
        self._setup = asyncio.Lock()
        self._writers = asyncio.Lock()
        self._meta: dict[str, str] = {}

    # -- plumbing --------------------------------------------------------------------------

    def _make_engine(self) -> AsyncEngine:
        if not self.is_sqlite:
            # Every checkout authorizes here: 15 connections, kept once opened and none past
            # them (a connection opened past a pool and closed on return cost a PostgreSQL
            # backend per authorization; `kernel/db.py` says the same of the store's pool).
            pooled = create_async_engine(self.url, pool_size=15, max_overflow=0)
            check_liveness(pooled)
            return pooled
        path = make_url(self.url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            self.url, connect_args={"timeout": 30, "isolation_level": None}
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # as durable as the store's own file
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _begin(conn: Any) -> None:
            await_only(conn.connection.driver_connection.execute("BEGIN IMMEDIATE"))

        return engine

    async def _ensure(self) -> AsyncEngine:
        if self._engine is not None and self._ready:
            return self._engine
        async with self._setup:
            if self._engine is None:
                self._engine = self._make_engine()
            if not self._ready:
                for attempt in range(3):  # another process may be creating them too
                    try:
                        async with self._engine.begin() as conn:
                            await conn.run_sync(metadata.create_all)
                        break
                    except (IntegrityError, OperationalError, ProgrammingError):
                        if attempt == 2:
                            raise
                        await asyncio.sleep(0.05)
                self._ready = True
        return self._engine

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        engine = await self._ensure()
        if not self.is_sqlite:
            async with engine.begin() as conn:
                yield conn
            return
        async with self._writers, engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def statement(self) -> AsyncIterator[AsyncConnection]:
        """For one statement, atomic on its own: without BEGIN and COMMIT on PostgreSQL."""
        if self.is_sqlite:
            async with self.transaction() as conn:
                yield conn
            return
        engine = await self._ensure()
        async with engine.connect() as conn:
            yield await conn.execution_options(isolation_level="AUTOCOMMIT")

    async def close(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None
            self._ready = False

    # -- the ledger's own secrets -----------------------------------------------------------

    async def secret(self, key: str) -> str:
        """A random value made once per ledger (the fingerprint salt, the webhook secret)."""
        if key in self._meta:
            return self._meta[key]
        for _ in range(2):
            try:
                async with self.transaction() as conn:
                    value = await conn.scalar(select(meta.c.value).where(meta.c.key == key))
                    if value is None:
                        value = secrets.token_hex(24)
                        await conn.execute(insert(meta).values(key=key, value=value))
                self._meta[key] = value
                return value
            except IntegrityError:
                continue
        raise RuntimeError(f"sandbox ledger secret {key!r} could not be read")

    # -- authorizations ----------------------------------------------------------------------

    async def authorization_by_key(self, idempotency_key: str) -> Row | None:
        async with self.transaction() as conn:
            found = await conn.execute(
                select(authorizations).where(authorizations.c.idempotency_key == idempotency_key)
            )
            row = found.mappings().first()
        return dict(row) if row else None

    async def authorize(self, values: Row) -> tuple[Row, bool]:
        """Record an authorization (`values` has every column); (the row, True if new). A key
        already used returns the first authorization unchanged."""
        key = values["idempotency_key"]
        dialect_insert = sqlite.insert if self.is_sqlite else postgresql.insert
        new = (
            dialect_insert(authorizations)
            .values(created=time.time(), **values)
            .on_conflict_do_nothing(index_elements=[authorizations.c.idempotency_key])
        )
        async with self.statement() as conn:
            if (await conn.execute(new)).rowcount == 1:
                return dict(values), True
        async with self.statement() as conn:
            found = await conn.execute(
                select(authorizations).where(authorizations.c.idempotency_key == key)
            )
            row = found.mappings().first()
        if row is None:
            raise RuntimeError("sandbox authorization could not be recorded")
        return dict(row), False

    async def operate(
        self, *, idempotency_key: str, kind: str, authorization_id: str, apply: Any
    ) -> Row:
        """Run `apply(authorization row or None) -> (changes to the row, response)` once for
        this key; a repeated key answers the stored response."""
        for _ in range(2):
            try:
                async with self.transaction() as conn:
                    stored = await conn.scalar(
                        select(operations.c.response).where(
                            operations.c.idempotency_key == idempotency_key
                        )
                    )
                    if stored is not None:
                        return dict(stored)
                    query = select(authorizations).where(authorizations.c.id == authorization_id)
                    if not self.is_sqlite:
                        query = query.with_for_update()
                    row = (await conn.execute(query)).mappings().first()
                    changes, response = apply(dict(row) if row else None)
                    if changes and row is not None:
                        await conn.execute(
                            update(authorizations)
                            .where(authorizations.c.id == authorization_id)
                            .values(**changes)
                        )
                    await conn.execute(
                        insert(operations).values(
                            idempotency_key=idempotency_key,
                            kind=kind,
                            authorization_id=authorization_id,
                            response=response,
                            created=time.time(),
                        )
                    )
                    return dict(response)
            except IntegrityError:
                continue
        raise RuntimeError(f"sandbox {kind} could not be recorded")

    async def all_authorizations(self) -> list[Row]:
        engine = await self._ensure()
        async with engine.connect() as conn:
            found = await conn.execute(select(authorizations).order_by(authorizations.c.created))
            return [dict(row) for row in found.mappings()]

    async def counts(self) -> dict[str, int]:
        """How many authorizations and operations the ledger holds (tests: nothing charged)."""
        engine = await self._ensure()
        async with engine.connect() as conn:
            auths = len((await conn.execute(select(authorizations.c.id))).all())
            ops = len((await conn.execute(select(operations.c.idempotency_key))).all())
        return {"authorizations": auths, "operations": ops}
