"""A unit of work cancelled at any point of its life (a request whose client went away, a task
stopped at shutdown) leaves its pooled connection clean: on SQLite a write cancelled while its
BEGIN IMMEDIATE is still on the driver's thread must not leave that transaction, and the
database's write lock with it, to the next unit of work that takes the connection."""

from __future__ import annotations

import asyncio
import contextlib

from sqlalchemy import insert, select

from mercato.kernel import context
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.store_sql import in_store
from tests.support.example_agent import Note

notes = Note.__table__
YIELDS = 12
"""Cancel after 0, 1, … YIELDS - 1 turns of the loop: one of them lands while BEGIN runs."""


async def _write(kernel: Kernel, note_id: str) -> None:
    with context.bind(tenant_id="t1"):
        async with kernel.uow() as uow:
            await uow.session.execute(
                insert(notes).values(id=note_id, tenant_id="t1", text="x", count=1)
            )
            await uow.commit()


async def _ids(kernel: Kernel) -> set[str]:
    with context.bind(tenant_id="t1"):
        async with kernel.uow(writes=False) as uow:
            return set(await uow.session.scalars(in_store(select(notes.c.id))))


async def test_a_write_cancelled_as_it_begins_leaves_the_next_writes_free(kernel: Kernel) -> None:
    await kernel.prepare()
    for turns in range(YIELDS):
        # given a write cancelled after `turns` turns of the loop (as it opens its connection,
        # begins, writes or commits)
        task = asyncio.create_task(_write(kernel, f"cancelled-{turns}"))
        for _ in range(turns):
            await asyncio.sleep(0)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        # when the next write comes, then it commits at once (no transaction left open on
        # its connection, no write lock left held)
        async with asyncio.timeout(10):
            await _write(kernel, f"next-{turns}")
    # then every later write is there (a cancelled one is there only if its COMMIT had gone)
    found = await _ids(kernel)
    assert {f"next-{t}" for t in range(YIELDS)} <= found
    assert found <= {f"{kind}-{t}" for kind in ("next", "cancelled") for t in range(YIELDS)}
