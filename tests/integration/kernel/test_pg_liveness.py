"""A pooled PostgreSQL connection the server ended is replaced at checkout, without the
round trips of a ping (ADR 22)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from mercato.kernel import context
from mercato.kernel.bootstrap import Kernel


async def _backend_pid(kernel: Kernel) -> int:
    with context.bind(tenant_id="t1"):
        async with kernel.uow(writes=False) as uow:
            return int((await uow.session.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def test_a_connection_the_server_ended_is_replaced_at_checkout(kernel: Kernel) -> None:
    if kernel.db.is_sqlite:
        pytest.skip("SQLite's connections are files: the server cannot end them")
    # given the pool holds one idle connection, whose backend the server then terminates
    engine = kernel.db.engine
    await engine.dispose()
    async with engine.connect() as admin:
        pid = await _backend_pid(kernel)
        await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        await admin.invalidate()  # the pool keeps only the ended connection
    await asyncio.sleep(0.2)  # the event loop reads the closed socket
    # when the next unit of work takes a connection
    new_pid = await _backend_pid(kernel)
    # then it runs on a new backend, and no statement failed on the dead one
    assert new_pid != pid


def test_the_pool_does_not_ping(kernel: Kernel) -> None:
    if kernel.db.is_sqlite:
        pytest.skip("SQLite's pool has no ping")
    # given the kernel's PostgreSQL engines
    # then neither pings a connection it hands out (three round trips each with asyncpg)
    assert kernel.db.engine.pool._pre_ping is False  # type: ignore[attr-defined]
