"""ADR 20: Core statements on store tables are scoped by construction (`in_store`), and the
engine's guard refuses, before anything reaches the database, the ones that are not."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Table, bindparam, delete, insert, select, text, update

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.context import bind
from mercato.kernel.db import upsert_insert
from mercato.kernel.errors import TenantContextMissing, UnscopedStatement
from mercato.kernel.store_sql import in_store
from tests.support.example_agent import Effect, Note

NOTES: Table = Note.__table__  # type: ignore[assignment]
EFFECTS: Table = Effect.__table__  # type: ignore[assignment]

# Built once, as the fast paths build theirs.
TEXTS = in_store(select(NOTES.c.text).order_by(NOTES.c.text))
TEXT_OF = in_store(select(NOTES.c.text).where(NOTES.c.id == bindparam("note_id")))
RENAME = in_store(
    update(NOTES).where(NOTES.c.id == bindparam("note_id")).values(text=bindparam("new_text"))
)
FORGET = in_store(delete(NOTES).where(NOTES.c.id == bindparam("note_id")))
WRITE = in_store(insert(NOTES))
RAW_COUNT = in_store(text("SELECT count(*) FROM example_notes WHERE tenant_id = :store_tenant_id"))


async def notes_in(kernel: Kernel, tenant: str, *texts: str) -> list[str]:
    """Write one note per text in a store (the ORM way); their ids, in order."""
    ids = [f"{tenant}-{i}" for i in range(len(texts))]
    with bind(tenant_id=tenant):
        async with kernel.uow() as uow:
            uow.session.add_all(Note(id=i, text=t) for i, t in zip(ids, texts, strict=True))
            await uow.session.commit()
    return ids


async def every_note(kernel: Kernel) -> list[tuple[str, str, str]]:
    """(store, id, text) of every note of every store, as a job across stores reads them."""
    everything = select(NOTES.c.tenant_id, NOTES.c.id, NOTES.c.text).order_by(NOTES.c.id)
    async with kernel.uow(writes=False) as uow:
        rows = await uow.session.execute(everything.execution_options(all_tenants=True))
    return [(r.tenant_id, r.id, r.text) for r in rows]


async def run(kernel: Kernel, tenant: str | None, statement: Any, params: Any = None) -> Any:
    """Execute one statement in its own unit of work (committed), in a store or in none."""

    async def go() -> Any:
        async with kernel.uow() as uow:
            result = await uow.session.execute(statement, params)
            rows = result.all() if result.returns_rows else result.rowcount
            await uow.commit()
        return rows

    if tenant is None:
        return await go()
    with bind(tenant_id=tenant):
        return await go()


async def test_a_statement_built_in_the_store_reads_only_the_stores_rows(kernel: Kernel) -> None:
    # given notes in two stores
    await notes_in(kernel, "shop-a", "a1", "a2")
    theirs = await notes_in(kernel, "shop-b", "b1")
    # when shop-a reads them with Core statements built by in_store
    texts = await run(kernel, "shop-a", TEXTS)
    fetched = await run(kernel, "shop-a", TEXT_OF, {"note_id": theirs[0]})
    counted = await run(kernel, "shop-a", RAW_COUNT)
    # then it only ever sees its own
    assert [r.text for r in texts] == ["a1", "a2"]
    assert fetched == [] and counted == [(2,)]
    # and shop-b sees its own with the very same statements
    assert [r.text for r in await run(kernel, "shop-b", TEXTS)] == ["b1"]


async def test_updates_and_deletes_built_in_the_store_cannot_reach_another(
    kernel: Kernel,
) -> None:
    mine = await notes_in(kernel, "shop-a", "mine")
    theirs = await notes_in(kernel, "shop-b", "theirs", "also theirs")
    before = await every_note(kernel)
    # when shop-a renames and deletes shop-b's notes by id, and renames its own, many at once
    renamed = await run(
        kernel,
        "shop-a",
        RENAME,
        [{"note_id": theirs[0], "new_text": "hacked"}, {"note_id": mine[0], "new_text": "ok"}],
    )
    deleted = await run(kernel, "shop-a", FORGET, {"note_id": theirs[1]})
    # then only its own note changed
    assert deleted == 0
    assert renamed in (1, -1)  # asyncpg's executemany reports no count
    assert await every_note(kernel) == [
        ("shop-a", mine[0], "ok") if note[1] == mine[0] else note for note in before
    ]


async def test_an_insert_built_in_the_store_takes_the_store_of_the_context(
    kernel: Kernel,
) -> None:
    # when shop-a writes two notes at once (executemany) without naming a store
    await run(kernel, "shop-a", WRITE, [{"id": "n1", "text": "x"}, {"id": "n2", "text": "y"}])
    # then both are shop-a's
    assert await every_note(kernel) == [("shop-a", "n1", "x"), ("shop-a", "n2", "y")]


async def test_an_insert_built_in_the_store_refuses_a_row_of_another_store(
    kernel: Kernel,
) -> None:
    rows = [{"id": "n1", "text": "x"}, {"id": "n2", "text": "y", "tenant_id": "shop-b"}]
    with pytest.raises(UnscopedStatement, match="store 'shop-b' inserted in store 'shop-a'"):
        await run(kernel, "shop-a", WRITE, rows)
    assert await every_note(kernel) == []


async def test_a_statement_built_in_the_store_needs_a_store_in_context(kernel: Kernel) -> None:
    await notes_in(kernel, "shop-a", "a1")
    before = await every_note(kernel)
    for statement, params in [
        (TEXTS, None),
        (RENAME, {"note_id": "shop-a-0", "new_text": "x"}),
        (FORGET, {"note_id": "shop-a-0"}),
        (WRITE, {"id": "n9", "text": "x"}),
    ]:
        with pytest.raises(TenantContextMissing):
            await run(kernel, None, statement, params)
    assert await every_note(kernel) == before


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param(select(NOTES.c.text), id="select"),
        pytest.param(update(NOTES).values(text="hacked"), id="update"),
        pytest.param(delete(NOTES), id="delete"),
        pytest.param(
            select(Effect.seq).where(Effect.aggregate_id.in_(select(NOTES.c.id))),
            id="subquery",
        ),
        pytest.param(TEXTS.where(NOTES.c.id.in_(select(NOTES.c.id))), id="derived"),
        pytest.param(text("UPDATE example_notes SET text = 'hacked'"), id="raw"),
        pytest.param(select(Note.text), id="orm-on-a-connection"),
    ],
)
async def test_an_unscoped_core_statement_on_a_store_table_is_refused(
    kernel: Kernel, statement: Any
) -> None:
    # given notes in two stores
    await notes_in(kernel, "shop-a", "a1")
    await notes_in(kernel, "shop-b", "b1")
    before = await every_note(kernel)
    # when shop-a runs a Core statement on the notes that in_store did not build
    with bind(tenant_id="shop-a"), pytest.raises(UnscopedStatement, match="not scoped"):
        async with kernel.uow() as uow:
            connection = await uow.session.connection()
            await connection.execute(statement)
    # then it is refused, and nothing changed
    assert await every_note(kernel) == before


@pytest.mark.parametrize(
    ("rows", "refusal"),
    [
        ({"id": "n1", "text": "x"}, "no tenant_id value"),
        ({"id": "n1", "text": "x", "tenant_id": "shop-b"}, "store 'shop-b' in store 'shop-a'"),
        (
            [{"id": "n1", "text": "x", "tenant_id": "shop-a"}, {"id": "n2", "text": "y"}],
            "no tenant_id",
        ),
    ],
)
async def test_an_unscoped_insert_must_name_the_store_in_context(
    kernel: Kernel, rows: Any, refusal: str
) -> None:
    with pytest.raises(UnscopedStatement, match=refusal):
        await run(kernel, "shop-a", insert(NOTES), rows)
    assert await every_note(kernel) == []


async def test_an_upsert_that_may_update_a_row_of_another_store_is_refused(
    kernel: Kernel,
) -> None:
    await notes_in(kernel, "shop-b", "theirs")
    before = await every_note(kernel)
    with bind(tenant_id="shop-a"):
        async with kernel.uow() as uow:
            upsert = upsert_insert(uow.session)(NOTES).on_conflict_do_update(
                index_elements=[NOTES.c.id], set_={"text": "hacked"}
            )
            with pytest.raises(UnscopedStatement, match="ON CONFLICT DO UPDATE"):
                await uow.session.execute(
                    upsert, {"id": "shop-b-0", "text": "x", "tenant_id": "shop-a"}
                )
    assert await every_note(kernel) == before


async def test_a_bulk_orm_update_by_primary_key_is_refused(kernel: Kernel) -> None:
    # (no loader criteria scope it: it would update another store's row by its id)
    theirs = await notes_in(kernel, "shop-b", "theirs")
    before = await every_note(kernel)
    with pytest.raises(UnscopedStatement):
        await run(kernel, "shop-a", update(Note), [{"id": theirs[0], "text": "hacked"}])
    assert await every_note(kernel) == before


async def test_driver_sql_that_reads_a_store_table_is_refused(kernel: Kernel) -> None:
    await notes_in(kernel, "shop-a", "a1")
    with bind(tenant_id="shop-a"):
        async with kernel.uow(writes=False) as uow:
            connection = await uow.session.connection()
            with pytest.raises(UnscopedStatement, match="driver SQL names store tables"):
                await connection.exec_driver_sql("SELECT text FROM example_notes")
            # and driver SQL that reads no store table runs
            assert (await connection.exec_driver_sql("SELECT 1")).scalar() == 1


async def test_jobs_across_stores_mark_their_statements_all_tenants(kernel: Kernel) -> None:
    await notes_in(kernel, "shop-a", "a1")
    await notes_in(kernel, "shop-b", "b1")
    across = {"all_tenants": True}
    async with kernel.uow() as uow:
        # when a job with no store in context reads, writes and updates every store
        texts = await uow.session.scalars(select(NOTES.c.text).execution_options(**across))
        await uow.session.execute(
            insert(NOTES).execution_options(**across),
            {"id": "c1", "text": "c", "tenant_id": "shop-c"},
        )
        await uow.session.execute(update(NOTES).values(text="x").execution_options(**across))
        await uow.commit()
    # then it may
    assert sorted(texts) == ["a1", "b1"]
    assert [n[2] for n in await every_note(kernel)] == ["x", "x", "x"]


async def test_tables_of_no_store_are_not_guarded(kernel: Kernel) -> None:
    async with kernel.uow() as uow:
        await uow.session.execute(
            insert(EFFECTS), {"event_id": "e", "handler": "h", "aggregate_id": "a", "position": 1}
        )
        assert await uow.session.scalar(select(EFFECTS.c.handler)) == "h"
