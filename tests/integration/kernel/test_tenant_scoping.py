"""Rule 5: every query on a store's tables is scoped to the tenant in context."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.context import bind
from mercato.kernel.errors import TenantContextMissing
from tests.support.example_agent import Note, write_note


async def a_note_in(kernel: Kernel, tenant: str, text: str) -> str:
    with bind(tenant_id=tenant):
        async with kernel.uow() as uow:
            note = await write_note(uow=uow, text=text)
            await uow.commit()
    return note.id


async def test_a_store_sees_only_its_own_rows(kernel: Kernel) -> None:
    # given a note in each of two stores
    mine = await a_note_in(kernel, "shop-a", "mine")
    theirs = await a_note_in(kernel, "shop-b", "theirs")
    with bind(tenant_id="shop-a"):
        async with kernel.uow(writes=False) as uow:
            # when shop-a lists notes or fetches shop-b's by id
            texts = list(await uow.session.scalars(select(Note.text)))
            fetched = await uow.session.scalar(select(Note).where(Note.id == theirs))
            own = await uow.session.scalar(select(Note).where(Note.id == mine))
    # then it only ever sees its own
    assert texts == ["mine"] and fetched is None and own is not None


async def test_an_update_cannot_reach_another_store(kernel: Kernel) -> None:
    theirs = await a_note_in(kernel, "shop-b", "theirs")
    with bind(tenant_id="shop-a"):
        async with kernel.uow() as uow:
            await uow.session.execute(update(Note).where(Note.id == theirs).values(text="hacked"))
            await uow.commit()
    with bind(tenant_id="shop-b"):
        async with kernel.uow(writes=False) as uow:
            assert await uow.session.scalar(select(Note.text)) == "theirs"


async def test_querying_a_store_table_without_a_tenant_is_an_error(kernel: Kernel) -> None:
    async with kernel.uow(writes=False) as uow:
        with pytest.raises(TenantContextMissing):
            await uow.session.scalars(select(Note))


async def test_writing_a_row_of_another_store_is_refused(kernel: Kernel) -> None:
    with bind(tenant_id="shop-a"):
        async with kernel.uow() as uow:
            with pytest.raises(TenantContextMissing):
                uow.session.add(Note(id="n1", text="x", tenant_id="shop-b"))


async def test_a_row_added_without_a_store_is_refused_at_flush(kernel: Kernel) -> None:
    async with kernel.uow() as uow:
        uow.session.add(Note(id="n1", text="x"))
        with pytest.raises(TenantContextMissing):
            await uow.session.flush()


async def test_publishing_without_a_tenant_is_refused(kernel: Kernel) -> None:
    async with kernel.uow() as uow:
        with pytest.raises(TenantContextMissing):
            await write_note(uow=uow, text="x")
