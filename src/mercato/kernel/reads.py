"""Reads built from rows (ADR 21): the answer of a read route made straight from the rows of
Core statements built once at import, with no ORM session, identity map or re-validation,
and serialized once.

    ROWS = in_store(select(Product.__table__.c.id, ...).where(... == bindparam("ref")))

    async with reading(kernel.db) as reads:
        rows = await reads.rows(ROWS, {"ref": ref})
    return json_answer({"id": rows[0][0], ...})

`reading` opens a plain connection (one read transaction, rolled back at the end: SQLite's
`BEGIN DEFERRED`, PostgreSQL's READ COMMITTED); `on_session` reads on a unit of work's own
connection instead, seeing what it has written. Every statement is scoped to the store in
context (`kernel.store_sql.in_store`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Executable, Row
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.responses import Response

from mercato.kernel.db import Database, UnitOfWork
from mercato.kernel.store_sql import store_params

AnyRow = Row[*tuple[Any, ...]]
"""A row of any columns, read by position."""


class Reads:
    """Core statements executed on one connection, their rows returned whole."""

    __slots__ = ("connection",)

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def rows(
        self, statement: Executable, params: Mapping[str, Any] | None = None
    ) -> Sequence[AnyRow]:
        result = await self.connection.execute(statement, store_params(params))
        return result.all()


@asynccontextmanager
async def reading(db: Database) -> AsyncIterator[Reads]:
    """A read-only connection from the pool, for one answer."""
    async with db.engine.connect() as connection:
        yield Reads(connection)


async def on_session(uow: UnitOfWork) -> Reads:
    """Reads on the unit of work's connection (its transaction, its uncommitted writes)."""
    return Reads(await uow.session.connection())


def json_answer(answer: Any, *, status_code: int = 200) -> Response:
    """`answer` (dicts, lists, strings, numbers, datetimes) as the JSON bytes FastAPI would
    write for the route's response model: pydantic's serializer, the same bytes, without
    validating again what the database holds. Amounts must already be strings."""
    return Response(to_json(answer), status_code=status_code, media_type="application/json")
