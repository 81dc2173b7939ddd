"""A unit of work that only reads runs without a transaction on PostgreSQL, and may not
write (ADR 22)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, insert, select, text

from mercato.kernel import context
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.prepared import Prepared
from mercato.kernel.read_only import WriteInReadOnlyError
from mercato.kernel.store_sql import in_store
from tests.support.example_agent import Note

notes = Note.__table__
ADD = Prepared(insert(notes), columns=["id", "tenant_id", "text", "count"])


async def _count(kernel: Kernel) -> int:
    with context.bind(tenant_id="t1"):
        async with kernel.uow(writes=False) as uow:
            return int(await uow.session.scalar(in_store(select(func.count(notes.c.id)))) or 0)


async def test_a_reading_unit_of_work_sends_no_begin(kernel: Kernel) -> None:
    if kernel.db.is_sqlite:
        pytest.skip("SQLite's deferred BEGIN costs no round trip")
    # given a unit of work opened to read
    with context.bind(tenant_id="t1"):
        async with kernel.uow(writes=False) as uow:
            # when it asks PostgreSQL for the time of its transaction twice
            first = await uow.session.scalar(text("SELECT now()"))
            await asyncio.sleep(0.01)
            second = await uow.session.scalar(text("SELECT now()"))
    # then each statement ran in a transaction of its own (one would give one time)
    assert first != second


@pytest.mark.parametrize("way", ["orm", "prepared"])
async def test_a_reading_unit_of_work_may_not_write(kernel: Kernel, way: str) -> None:
    if kernel.db.is_sqlite:
        pytest.skip("SQLite keeps its transaction: a write there rolls back with it")
    # given a unit of work opened to read, with the context of a store
    with context.bind(tenant_id="t1"), pytest.raises(WriteInReadOnlyError):
        async with kernel.uow(writes=False) as uow:
            # when it tries to write a note
            row = {"id": "n1", "tenant_id": "t1", "text": "x", "count": 1}
            if way == "orm":
                await uow.session.execute(insert(notes).values(**row))
            else:
                await ADD.run_many(uow, [row])
    # then nothing was written
    assert await _count(kernel) == 0


async def test_a_writing_unit_of_work_still_commits_or_rolls_back_as_one(kernel: Kernel) -> None:
    # given a unit of work that writes two notes and leaves without committing
    with context.bind(tenant_id="t1"):
        async with kernel.uow() as uow:
            await ADD.run_many(
                uow,
                [{"id": f"n{i}", "tenant_id": "t1", "text": "x", "count": 1} for i in range(2)],
            )
    # then a reading unit of work finds neither
    assert await _count(kernel) == 0
