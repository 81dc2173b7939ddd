"""Units of work that only read run without a transaction on PostgreSQL.

Under READ COMMITTED, PostgreSQL's default, every statement sees its own snapshot whether
or not a transaction holds it, so a transaction around reads buys nothing but two round
trips (BEGIN, and the ROLLBACK when the session closes), each a few hundred microseconds of
the server's CPU and PostgreSQL's: for a request that reads one row, two thirds of its
database work. `kernel.uow(writes=False)` therefore takes its connection in autocommit mode
(ADR 22). Such a unit of work must not write: a write would commit on its own, at once,
whether or not the unit of work commits. Both ways a statement reaches the driver refuse
one: the engine's hook for what SQLAlchemy executes, and `Prepared`'s
driver for its own statements. SQLite keeps its transaction (a deferred BEGIN costs no
round trip there, and WAL readers need it for a consistent snapshot across statements).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

_WRITES = {"insert", "update", "delete", "merge"}
READS = "mercato_reads"
"""The execution option that marks a reading unit of work's connection."""


class WriteInReadOnlyError(RuntimeError):
    """A statement that writes, sent in a unit of work opened with `writes=False`."""

    def __init__(self, statement: str) -> None:
        super().__init__(
            "a unit of work opened to read (writes=False) may not write; "
            f"open it with writes=True: {statement[:200]}"
        )


def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The sessions of units of work that only read, on `engine`."""
    if engine.dialect.name == "sqlite":
        return async_sessionmaker(engine, expire_on_commit=False)
    _refuse_writes(engine)
    reads = engine.execution_options(isolation_level="AUTOCOMMIT", **{READS: True})
    return async_sessionmaker(reads, expire_on_commit=False)


def _refuse_writes(engine: AsyncEngine) -> None:
    """Refuse a writing statement on a reading unit of work's connection."""

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _refuse(
        conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool
    ) -> None:
        if not conn.get_execution_options().get(READS):
            return
        writes = context is not None and (context.isinsert or context.isupdate or context.isdelete)
        if writes or statement.lstrip().split(None, 1)[0].lower() in _WRITES:
            raise WriteInReadOnlyError(statement)
