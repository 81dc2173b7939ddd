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

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiosqlite


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
