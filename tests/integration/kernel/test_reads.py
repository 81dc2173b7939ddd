"""Reads built from rows (ADR 21, `kernel/reads.py`): Core statements on a read-only
connection, scoped to the store in context, answered in the bytes FastAPI writes."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Connection, select, text

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.context import bind
from mercato.kernel.errors import TenantContextMissing
from mercato.kernel.money import MoneyStr
from mercato.kernel.reads import json_answer, read, read_within, rows
from mercato.kernel.store_sql import in_store
from tests.support.example_agent import Note, write_note

NOTES = in_store(select(Note.id, Note.text).order_by(Note.text))


def texts(conn: Connection) -> list[str]:
    return [row[1] for row in rows(conn, NOTES)]


async def a_note_in(kernel: Kernel, tenant: str, text: str) -> str:
    with bind(tenant_id=tenant):
        async with kernel.uow() as uow:
            note = await write_note(uow=uow, text=text)
            await uow.commit()
    return note.id


async def test_a_read_sees_only_the_store_in_context(kernel: Kernel) -> None:
    # given notes in two stores
    await a_note_in(kernel, "shop-a", "mine")
    await a_note_in(kernel, "shop-b", "theirs")
    # when shop-a reads every note
    with bind(tenant_id="shop-a"):
        found = await read(kernel.db, texts)
    # then it reads its own only
    assert found == ["mine"]


async def test_a_read_outside_any_store_is_refused(kernel: Kernel) -> None:
    await a_note_in(kernel, "shop-a", "mine")
    with pytest.raises(TenantContextMissing):
        await read(kernel.db, texts)


async def test_a_read_within_a_unit_of_work_sees_what_it_has_not_committed(
    kernel: Kernel,
) -> None:
    with bind(tenant_id="shop-a"):
        async with kernel.uow() as uow:
            # given a note written but not committed
            await write_note(uow=uow, text="draft")
            await uow.session.flush()
            # when the unit of work reads on its own connection, then it sees it
            assert await read_within(uow, texts) == ["draft"]
        # and nothing else did: the unit of work rolled back
        assert await read(kernel.db, texts) == []


async def test_a_slow_read_on_sqlite_leaves_the_event_loop_for_a_thread(kernel: Kernel) -> None:
    if not kernel.db.is_sqlite:
        pytest.skip("PostgreSQL reads never block the event loop")
    counting = text(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) "
        "SELECT count(*) FROM c"
    )
    attempts: list[str] = []

    def slow(conn: Connection) -> int:
        attempts.append(threading.current_thread().name)
        return int(rows(conn, counting)[0][0])

    # when a read runs past its time on the event loop
    with bind(tenant_id="shop-a"):
        counted = await read(kernel.db, slow)
    # then it was interrupted there and answered from a reader thread
    assert counted == 3_000_000
    assert attempts[0] == threading.current_thread().name
    assert attempts[1].startswith("mercato-reads")


class Answer(BaseModel):
    name: str
    price: MoneyStr
    nothing: str | None
    at: datetime
    on_the_second: datetime
    tags: list[str]
    attributes: dict[str, str]


def test_json_answer_writes_the_bytes_fastapi_writes() -> None:
    values: dict[str, Any] = {
        "name": 'Café ☕ "quoted" \\ \n\t\x7f',
        "price": "19.90",
        "nothing": None,
        "at": datetime(2026, 3, 1, 12, 30, 0, 120000, tzinfo=UTC),
        "on_the_second": datetime(2026, 3, 1, 12, 30, 0, tzinfo=UTC),
        "tags": ["a", "ü"],
        "attributes": {"colour": "red", "size": "M"},
    }
    model = Answer(**{**values, "price": Decimal("19.90")})
    assert json_answer(values).body == TypeAdapter(Answer).dump_json(model, by_alias=True)
