"""A server past its capacity says so: when no database connection comes free within
`database_pool_timeout`, the request is answered 503 `overloaded` with Retry-After (a
client retries it), not 500, and nothing of it is written."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from mercato.kernel.bootstrap import Kernel
from tests.conftest import build_settings
from tests.integration.kernel.test_http_errors import assert_problem, nothing_was_written
from tests.support import example_agent
from tests.support.http import client_for


@pytest.fixture
async def busy_kernel(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[Kernel]:
    settings = build_settings("sqlite", tmp_path, sqlite_template, None, database_pool_timeout=0.2)
    kernel = Kernel.build(settings, agents=[example_agent.agent])
    yield kernel
    await kernel.stop()


async def test_a_request_that_finds_no_connection_is_told_to_retry(busy_kernel: Kernel) -> None:
    async with client_for(busy_kernel) as client, contextlib.AsyncExitStack() as held:
        # given every connection of the pool in use
        pool = busy_kernel.db.engine.pool
        for _ in range(pool.size() + pool._max_overflow):  # type: ignore[attr-defined]
            await held.enter_async_context(busy_kernel.db.engine.connect())
        # when a request that writes arrives
        response = await client.post("/v1/notes", json={"text": "hello"})
        # then it is told the server is overloaded and when to come back
        assert_problem(response, 503, "overloaded")
        assert response.headers["retry-after"] == "1"
    # and nothing of it was written
    await nothing_was_written(busy_kernel)
