"""Prepared statements (ADR 20): compiled once, run on the unit of work's own transaction
through the driver, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from mercato.kernel import context
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.errors import TenantContextMissing, UnscopedStatement
from mercato.kernel.prepared import Prepared
from mercato.kernel.store_sql import in_store
from tests.support.example_agent import Note

notes = Note.__table__
ADD = Prepared(insert(notes), columns=["id", "tenant_id", "text", "count"])
TEXT_OF = Prepared(
    in_store(select(notes.c.text, notes.c.count).where(notes.c.id == bindparam("id")))
)
COUNT = Prepared(in_store(select(func.count()).select_from(notes)))
BUMP = Prepared(
    in_store(update(notes).where(notes.c.text == bindparam("old")).values(count=notes.c.count + 1))
)
IN_STORE = Prepared(in_store(select(notes.c.id).order_by(notes.c.id)))
UNSCOPED = Prepared(select(notes.c.id))


def row(note_id: str, text: str, *, tenant: str = "t1", count: int = 1) -> dict[str, object]:
    return {"id": note_id, "tenant_id": tenant, "text": text, "count": count}


async def test_rows_written_and_read_in_one_transaction_commit_together(kernel: Kernel) -> None:
    # given two notes added, changed and read back inside one unit of work
    with context.bind(tenant_id="t1"):
        async with kernel.uow() as uow:
            await ADD.run_many(uow, [row("n1", "a"), row("n2", "b")])
            changed = await BUMP.run(uow, old="a")
            read = await TEXT_OF.first(uow, id="n1")
            await uow.commit()
        # then the statement said how many rows it changed and the read saw the change
        assert changed == 1
        assert (read.text, read.count) == ("a", 2)
        # and the rows are there for the next unit of work
        async with kernel.uow(writes=False) as uow:
            assert await COUNT.scalar(uow) == 2
            assert await TEXT_OF.first(uow, id="missing") is None


async def test_a_unit_of_work_left_without_commit_changes_nothing(kernel: Kernel) -> None:
    with context.bind(tenant_id="t1"):
        # given a note added through a prepared statement, and the block left uncommitted
        async with kernel.uow() as uow:
            await ADD.run_many(uow, [row("n1", "a")])
        # then nothing was written
        async with kernel.uow(writes=False) as uow:
            assert await COUNT.scalar(uow) == 0


async def test_a_duplicate_key_is_an_integrity_error_as_the_orm_raises(kernel: Kernel) -> None:
    with context.bind(tenant_id="t1"):
        async with kernel.uow() as uow:
            await ADD.run_many(uow, [row("n1", "a")])
            await uow.commit()
        # when the same id is inserted again
        async with kernel.uow() as uow:
            with pytest.raises(IntegrityError):
                await ADD.run_many(uow, [row("n1", "again")])
        # then the first note is unchanged
        async with kernel.uow(writes=False) as uow:
            assert (await TEXT_OF.first(uow, id="n1")).text == "a"


async def test_the_store_comes_from_the_context_never_from_the_caller(kernel: Kernel) -> None:
    # given notes of two stores
    for tenant, note in (("t1", "a1"), ("t2", "b1")):
        with context.bind(tenant_id=tenant):
            async with kernel.uow() as uow:
                await ADD.run_many(uow, [row(note, "x", tenant=tenant)])
                await uow.commit()
    # when each store reads its notes
    for tenant, expected in (("t1", ["a1"]), ("t2", ["b1"])):
        with context.bind(tenant_id=tenant):
            async with kernel.uow(writes=False) as uow:
                assert [r.id for r in await IN_STORE.all(uow)] == expected
    # and without a store in context the statement is refused
    async with kernel.uow(writes=False) as uow:
        with pytest.raises(TenantContextMissing):
            await IN_STORE.all(uow)


async def test_the_store_guard_refuses_what_it_refuses_through_sqlalchemy(
    kernel: Kernel,
) -> None:
    with context.bind(tenant_id="t1"):
        async with kernel.uow() as uow:
            await ADD.run_many(uow, [row("a1", "x")])
            # when a statement on a store table not built by in_store runs
            with pytest.raises(UnscopedStatement):
                await UNSCOPED.all(uow)
            # and a row of another store is inserted
            with pytest.raises(UnscopedStatement):
                await ADD.run_many(uow, [row("b1", "y", tenant="t2")])
            await uow.commit()
        # then only the first note was written
        async with kernel.uow(writes=False) as uow:
            assert [r.id for r in await IN_STORE.all(uow)] == ["a1"]


def test_an_insert_must_give_the_columns_that_have_python_defaults() -> None:
    # given an insert that leaves out `count` (whose default is Python's, not the database's)
    partial = Prepared(insert(notes), columns=["id", "tenant_id", "text"])
    # then compiling it is refused rather than writing a NULL
    from sqlalchemy.dialects import sqlite

    with pytest.raises(TypeError, match="count"):
        partial._for(sqlite.dialect())


async def test_a_savepoint_begun_after_a_prepared_statement_undoes_the_ones_run_in_it(
    kernel: Kernel,
) -> None:
    with context.bind(tenant_id="t1"):
        # given a note written by a prepared statement, then a savepoint
        async with kernel.uow() as uow:
            await ADD.run_many(uow, [row("n1", "a")])
            with pytest.raises(LookupError):
                async with uow.session.begin_nested():
                    # when a prepared statement changes it inside the savepoint, which fails
                    assert await BUMP.run(uow, old="a") == 1
                    raise LookupError("the step failed")
            await uow.commit()
        # then the change made in the savepoint was undone with it; the note stays
        async with kernel.uow(writes=False) as uow:
            assert (await TEXT_OF.first(uow, id="n1")).count == 1
