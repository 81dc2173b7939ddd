"""Prepared statements over a list of values (ADR 22): one shape per bucket of lengths, the
same rows as an expanding IN would give, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from mercato.kernel import context
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.prepared import Prepared
from mercato.kernel.prepared_in import PreparedIn
from mercato.kernel.store_sql import in_store
from tests.support.example_agent import Note

notes = Note.__table__
ADD = Prepared(insert(notes), columns=["id", "tenant_id", "text", "count"])
TEXTS = PreparedIn(
    lambda ids: in_store(select(notes.c.id, notes.c.text).where(notes.c.id.in_(ids))),
    largest=8,
)


async def _notes(kernel: Kernel, tenant: str, ids: list[str]) -> None:
    with context.bind(tenant_id=tenant):
        async with kernel.uow() as uow:
            rows = [{"id": i, "tenant_id": tenant, "text": f"text {i}", "count": 1} for i in ids]
            await ADD.run_many(uow, rows)
            await uow.commit()


async def _texts(kernel: Kernel, ids: list[str]) -> dict[str, str]:
    with context.bind(tenant_id="t1"):
        async with kernel.uow(writes=False) as uow:
            found = await TEXTS.all(uow, ids)
    texts = {row.id: row.text for row in found}
    assert len(texts) == len(found)  # each row once
    return texts


@pytest.mark.parametrize("length", [0, 1, 2, 3, 5, 8, 9, 20])
async def test_every_length_gives_the_rows_an_expanding_in_would(
    kernel: Kernel, length: int
) -> None:
    # given 20 notes in the store, and a note of another store
    mine = [f"n{i:02d}" for i in range(20)]
    await _notes(kernel, "t1", mine)
    await _notes(kernel, "t2", ["other"])
    # when `length` of them are asked for, with one listed twice, a missing id and the other
    # store's note
    wanted = mine[:length]
    asked = [*wanted, *wanted[:1], "missing", "other"]
    # then exactly the store's listed notes come back, each once
    assert await _texts(kernel, asked) == {i: f"text {i}" for i in wanted}


async def test_lengths_share_a_handful_of_shapes(kernel: Kernel) -> None:
    # given notes, asked for in every length from 1 to 20 (largest bucket 8: longer lists
    # run in chunks)
    mine = [f"n{i:02d}" for i in range(20)]
    await _notes(kernel, "t1", mine)
    for length in range(1, 21):
        assert len(await _texts(kernel, mine[:length])) == length
    # then only the buckets 1, 2, 4 and 8 were ever prepared
    assert sorted(TEXTS._buckets) == [1, 2, 4, 8]


def test_the_largest_bucket_is_a_power_of_two() -> None:
    with pytest.raises(ValueError, match="power of two"):
        PreparedIn(lambda ids: select(notes.c.id).where(notes.c.id.in_(ids)), largest=12)
