"""A database that refuses a new connection (its max_connections, or a role's limit, is
reached: more server processes than the pools were sized for) is a 503 `overloaded` the
caller retries, not a 500, and nothing of the request is written. Any other database error
is still a 500."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from mercato.kernel import migrate
from mercato.kernel.bootstrap import Kernel
from tests.conftest import build_settings, needs_pg
from tests.integration.kernel.test_http_errors import assert_problem, nothing_was_written
from tests.support import example_agent
from tests.support.http import client_for

pytestmark = [pytest.mark.postgres, needs_pg]


@pytest.fixture
async def one_connection_kernel(
    tmp_path: Path, sqlite_template: Path, pg_database: str | None
) -> AsyncIterator[Kernel]:
    """A kernel whose database role may hold one connection at a time."""
    assert pg_database
    role = f"mercato_one_{uuid.uuid4().hex[:8]}"
    admin = create_engine(migrate.sync_url(pg_database), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 1'))
        conn.execute(text(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"'))
        conn.execute(text(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))
    url = make_url(pg_database).set(username=role).render_as_string(hide_password=False)
    settings = build_settings("postgres", tmp_path, sqlite_template, pg_database, database_url=url)
    kernel = Kernel.build(settings, agents=[example_agent.agent])
    yield kernel
    await kernel.stop()
    with admin.connect() as conn:
        conn.execute(text(f'DROP OWNED BY "{role}"'))
        conn.execute(text(f'DROP ROLE "{role}"'))
    admin.dispose()


async def test_a_request_the_database_has_no_connection_for_is_told_to_retry(
    one_connection_kernel: Kernel,
) -> None:
    kernel = one_connection_kernel
    # (not started: the relay, sagas and jobs would race the test for the one connection)
    async with client_for(kernel, start=False) as client, kernel.db.engine.connect():
        # given the role's one connection held, so PostgreSQL refuses another (53300)
        # when a request that writes arrives
        response = await client.post("/v1/notes", json={"text": "hello"})
        # then it is told the server is past its capacity, and when to come back
        body = assert_problem(response, 503, "overloaded")
        assert response.headers["retry-after"] == "1"
        assert "max_connections" in str(body["detail"])
    # and nothing of it was written
    await nothing_was_written(kernel)


async def test_any_other_database_error_is_still_a_server_error(
    one_connection_kernel: Kernel, pg_database: str | None
) -> None:
    # given a role that may no longer write notes (PostgreSQL refuses the INSERT: 42501)
    assert pg_database
    role = make_url(one_connection_kernel.settings.resolved_database_url).username
    admin = create_engine(migrate.sync_url(pg_database), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'REVOKE INSERT ON example_notes FROM "{role}"'))
    admin.dispose()
    # when a note is written
    async with client_for(one_connection_kernel, start=False) as client:
        response = await client.post("/v1/notes", json={"text": "hello"})
    # then it is the server's error, not a request to retry
    assert_problem(response, 500, "internal_error")
    assert "retry-after" not in response.headers
