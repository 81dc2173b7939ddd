"""The embedded mode's SQLite connection: aiosqlite's, whose calls run on the event loop's
thread while the connection holds the write lock (ADR 22).

aiosqlite runs every call on a worker thread and wakes the loop with its result: for the
short statements of a write transaction that hop costs more CPU than SQLite takes to run
the statement, and every writer of the process waits behind the one holding the lock for
as long as its statements take. Inside a write transaction (begun IMMEDIATE, so this
connection holds SQLite's write lock) a statement never waits on another connection (WAL
readers do not block a writer), so it runs where it is awaited. Reads outside a write
transaction stay on the worker: a long listing query then runs beside the loop (SQLite
releases the GIL) instead of stopping it. COMMIT stays on the worker too: it may run a WAL
checkpoint, which writes the file.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import await_only


class InlineWhileWriting(aiosqlite.Connection):
    """aiosqlite's connection; while `inline` is set its calls run on the calling thread."""

    inline = False

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self.inline:
            return fn(*args, **kwargs)
        return await super()._execute(fn, *args, **kwargs)  # type: ignore[no-untyped-call]


def connector(path: str) -> Callable[[], Any]:
    """The `async_creator` of an engine on the SQLite file at `path`: autocommit mode (the
    kernel sends BEGIN itself), a 30 s busy timeout, and usable from the loop's thread as
    well as the worker's (never from both at once: a unit of work awaits each call)."""

    async def connect() -> InlineWhileWriting:
        def open_file() -> sqlite3.Connection:
            return sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)

        connection = InlineWhileWriting(open_file, 64)
        connection._thread.daemon = True  # as SQLAlchemy does: never keeps a process alive
        await connection
        return connection

    return connect


def database_path(url_database: str | None) -> str:
    """The file (or `:memory:`) an engine URL names."""
    if not url_database or url_database == ":memory:":
        return ":memory:"
    Path(url_database).parent.mkdir(parents=True, exist_ok=True)
    return url_database


def configure(engine: AsyncEngine) -> None:
    """The pragmas of every connection, BEGIN (DEFERRED for readers; IMMEDIATE for writers,
    queued on this process's lock first), and ROLLBACK and statements on the loop's thread
    where they cannot wait."""

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            "busy_timeout=30000",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    # Writers of this process queue on an asyncio lock taken at BEGIN IMMEDIATE and released
    # when the connection goes back to the pool (after COMMIT or ROLLBACK): without it they
    # would meet on SQLite's lock, whose busy handler sleeps 1, 2, 5 … 100 ms between tries.
    writers = asyncio.Lock()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn: Any) -> None:
        # BEGIN goes straight to the driver: through `exec_driver_sql` it would cost a whole
        # SQLAlchemy execution, more than the statement itself, on every unit of work.
        driver = conn.connection.driver_connection
        if not conn.get_execution_options().get("writes"):
            # on this thread: a deferred BEGIN takes no lock, so it never waits
            driver._conn.execute("BEGIN DEFERRED")
            return
        await_only(writers.acquire())
        conn.connection._connection_record.info[_HOLDS_WRITE_LOCK] = True
        try:
            await_only(driver.execute("BEGIN IMMEDIATE"))
        except BaseException:
            # Cancelled (or failed) while BEGIN IMMEDIATE was queued on aiosqlite's thread: it
            # may still run there, after any ROLLBACK sent now, and leave the connection in a
            # transaction holding the database's write lock. Closing the connection is queued
            # behind it and ends whatever it began; the pool opens a fresh one.
            conn.connection._connection_record.info.pop(_HOLDS_WRITE_LOCK, None)
            try:
                conn.connection.invalidate()
            finally:
                writers.release()
            raise
        driver.inline = True  # holding the write lock: see `sqlite_driver`

    @event.listens_for(engine.sync_engine, "commit")
    def _commit(conn: Any) -> None:
        conn.connection.driver_connection.inline = False  # COMMIT may checkpoint

    def _rollback(dbapi_connection: Any) -> None:
        """ROLLBACK on this thread, not aiosqlite's worker: it never waits (it ends this
        connection's own transaction) and every unit of work ends with one."""
        driver = dbapi_connection._connection
        driver.inline = False
        if driver._connection is not None:  # as SQLAlchemy's adapter: a closed one has none
            driver._conn.rollback()

    engine.sync_engine.dialect.do_rollback = _rollback  # type: ignore[method-assign]

    @event.listens_for(engine.sync_engine.pool, "checkin")
    def _checkin(_dbapi_connection: Any, record: Any) -> None:
        if record is not None and record.info.pop(_HOLDS_WRITE_LOCK, False):
            writers.release()


_HOLDS_WRITE_LOCK = "mercato_holds_write_lock"
