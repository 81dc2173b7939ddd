"""Reads built from rows (ADR 21): a read route's answer made straight from the rows of Core
statements built once at import, with no ORM session, identity map or re-validation, then
serialized once.

    ROWS = in_store(select(products.c.id, ...).where(products.c.id == bindparam("ref")))

    def product(conn: Connection, ref: str) -> dict[str, Any]:   # synchronous, plain Core
        return {"id": ..., ...} from rows(conn, ROWS, {"ref": ref})

    return json_answer(await read(kernel.db, product, ref))      # in the route

`read` runs the whole read function in one go on a read-only connection, in one
transaction (the snapshot every statement of it sees):
- on SQLite, on a synchronous connection of the same file (WAL lets readers run beside the
  writer), on the event loop itself: an index-bounded read takes less time than handing it
  to a thread. Through aiosqlite each statement crosses to its connection's thread and back
  four times (cursor, execute, fetch, close), BEGIN and ROLLBACK once more: ~0.3 ms of CPU
  per statement on this 2-core machine. And a thread that reads rows while the loop is busy
  waits for the GIL at each row (sqlite3 lets it go at every step), up to the switch
  interval (5 ms) each time: the tail latency of every read in a thread. A read still
  running after `INLINE_SECONDS` (a full-text scan, say), or finding the file locked, is
  interrupted and runs again in a reader thread, so the loop is never held for longer.
- on PostgreSQL, on a pooled asyncpg connection (`AsyncConnection.run_sync`).
Every statement is scoped to the store in context (`kernel.store_sql.in_store`); the
context (store, request, statement tally) goes with a read into a thread.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Concatenate, ParamSpec, TypeVar

from pydantic_core import from_json, to_json
from sqlalchemy import Connection, Engine, Executable, Row, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from starlette.responses import Response

from mercato.kernel.db import Database, UnitOfWork
from mercato.kernel.observability import metrics, statement_tally
from mercato.kernel.store_sql import store_params

T = TypeVar("T")
P = ParamSpec("P")
AnyRow = Row[*tuple[Any, ...]]
"""A row of any columns, read by position."""
INLINE_SECONDS = 0.005
"""How long a read may hold the event loop on SQLite before it is moved to a thread."""
PROGRESS_STEPS = 2000
"""SQLite VM steps between two looks at the clock (a few microseconds of work)."""
READER_THREADS = 4
"""Reads of one SQLite file at once in threads: the slow ones."""


def rows(
    conn: Connection, statement: Executable, params: Mapping[str, Any] | None = None
) -> Sequence[AnyRow]:
    """The rows of a Core statement of this module's kind (built once, `in_store`)."""
    return conn.execute(statement, store_params(params)).all()


async def read(
    db: Database, fn: Callable[Concatenate[Connection, P], T], *args: P.args, **kw: P.kwargs
) -> T:
    """`fn(connection, *args, **kw)`, run on a read-only connection in one transaction."""
    reader = _reader(db)
    if reader is not None:
        return await reader.run(lambda conn: fn(conn, *args, **kw))
    async with db.engine.connect() as conn:
        return await conn.run_sync(fn, *args, **kw)


def engines(db: Database) -> list[Engine]:
    """Every engine that reaches `db`'s database: its own, and on SQLite the readers' (for
    hooks on the statements sent, such as a test's)."""
    reader = _reader(db)
    return [db.engine.sync_engine, *([reader.inline, reader.threaded] if reader else [])]


async def read_within(
    uow: UnitOfWork, fn: Callable[Concatenate[Connection, P], T], *args: P.args, **kw: P.kwargs
) -> T:
    """`fn` on a unit of work's own connection: its transaction, its writes not yet
    committed (the answer of a write route, built from the rows it has just written)."""
    conn = await uow.session.connection()
    return await conn.run_sync(fn, *args, **kw)


def json_answer(answer: Any, *, status_code: int = 200) -> Response:
    """`answer` (dicts, lists, strings, numbers, datetimes) as the JSON bytes FastAPI writes
    for the route's response model: pydantic's serializer, so the same bytes, without
    validating again what the database holds. Amounts must already be strings."""
    return Response(to_json(answer), status_code=status_code, media_type="application/json")


# -- SQLite: synchronous connections, on the event loop within a time budget ----------------


class _SqliteReader:
    """Synchronous, read-only engines on the database's SQLite file: one used on the event
    loop, whose statements are interrupted past `INLINE_SECONDS` (and refuse to wait for a
    lock), and one in reader threads, where such a read runs again."""

    def __init__(self, url: URL) -> None:
        self.deadline = 0.0
        self.inline = _sqlite_engine(url, pool_size=1, max_overflow=4, busy_timeout=0)
        self.threaded = _sqlite_engine(
            url, pool_size=READER_THREADS, max_overflow=0, busy_timeout=30
        )
        event.listen(self.inline, "connect", self._bounded)
        self.threads = ThreadPoolExecutor(READER_THREADS, thread_name_prefix="mercato-reads")

    @classmethod
    def of(cls, db: Database) -> _SqliteReader | None:
        """The reader of `db`'s file; None for an in-memory database (no other connection
        sees it: reads go through the database's own engine)."""
        url = make_url(db.url)
        if url.database in (None, "", ":memory:") or url.query.get("mode") == "memory":
            return None
        reader = cls(url)
        weakref.finalize(db, reader.close)
        return reader

    async def run(self, fn: Callable[[Connection], T]) -> T:
        self.deadline = time.monotonic() + INLINE_SECONDS
        try:
            return _call(self.inline, fn)
        except OperationalError:  # interrupted past its budget, or the file is locked
            pass
        context = contextvars.copy_context()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.threads, context.run, _call, self.threaded, fn)

    def _bounded(self, dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.set_progress_handler(self._over_budget, PROGRESS_STEPS)

    def _over_budget(self) -> bool:
        return time.monotonic() > self.deadline

    def close(self) -> None:
        self.threads.shutdown(wait=False)
        self.inline.dispose()
        self.threaded.dispose()


def _sqlite_engine(url: URL, *, pool_size: int, max_overflow: int, busy_timeout: int) -> Engine:
    engine = create_engine(
        url.set(drivername="sqlite"),
        connect_args={
            "check_same_thread": False,  # the pool hands a connection to one thread at a time
            "isolation_level": None,
            "timeout": busy_timeout,
        },
        pool_size=pool_size,
        max_overflow=max_overflow,
        json_deserializer=from_json,  # what the JSON columns hold, parsed in Rust
    )
    event.listen(engine, "connect", _read_only)
    event.listen(engine, "begin", _begin_deferred)
    event.listen(engine, "before_cursor_execute", _tally)
    return engine


def _call(engine: Engine, fn: Callable[[Connection], T]) -> T:
    with engine.connect() as conn:
        return fn(conn)


def _reader(db: Database) -> _SqliteReader | None:
    if db.is_sqlite and db not in _readers:
        _readers[db] = _SqliteReader.of(db)
    return _readers.get(db)


_readers: weakref.WeakKeyDictionary[Database, _SqliteReader | None] = weakref.WeakKeyDictionary()


def _read_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _begin_deferred(conn: Connection) -> None:
    """One snapshot for the whole read, as a unit of work's reads have (the driver, left in
    autocommit, would give each statement its own)."""
    conn.exec_driver_sql("BEGIN DEFERRED")


_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")
_background = metrics.sql_statements.labels("background")


def _tally(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
    """Count the reader's statements as the kernel counts its engine's (`count_statements`)."""
    if statement.lstrip()[:9].upper().startswith(_CONTROL):
        return
    tally = statement_tally.get()
    if tally is None:
        _background.inc()
    else:
        tally[0] += 1
