"""A server process opens its PostgreSQL pool at start-up, not in its first requests (ADR 22,
fifth pass): each connection's set-up costs milliseconds of CPU that a server starting
under load would spend while its first requests wait."""

from __future__ import annotations

from pathlib import Path

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from tests.conftest import build_settings


async def test_the_pool_is_opened_whole_once(
    settings: Settings, tmp_path: Path, sqlite_template: Path, pg_database: str | None
) -> None:
    # given a kernel whose pool keeps 5 connections, none open yet
    stack = "sqlite" if settings.resolved_database_url.startswith("sqlite") else "postgres"
    sized = build_settings(stack, tmp_path, sqlite_template, pg_database, database_pool_size=5)
    kernel = Kernel.build(sized)
    try:
        pool = kernel.db.engine.pool
        # when it opens its pool, twice
        opened = [await kernel.db.open_pool(), await kernel.db.open_pool()]
        # then PostgreSQL's five are open and waiting, once; SQLite has nothing to open
        if stack == "postgres":
            assert opened == [5, 0]
            assert pool.checkedin() == 5  # type: ignore[attr-defined]
        else:
            assert opened == [0, 0]
    finally:
        await kernel.stop()
