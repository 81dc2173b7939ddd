"""The two deployments a benchmark runs the kernel on, each set up fresh and removed after.

- embedded: a SQLite file in a temporary directory, in-process transport;
- scaled: PostgreSQL (a scratch database with a random name, created for the run and dropped
  after it, so concurrent runs never collide) and Redis Streams (keys under a random prefix,
  deleted after the run).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import make_url

from mercato.kernel import migrate
from mercato.kernel.agent import Agent
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.observability import configure_logging

STACKS = ("embedded", "scaled")
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"
SCRATCH_PREFIX = "mercato_bench_"

RECORDED_SETTINGS = (
    "mode",
    "resolved_database_url",
    "broker_url",
    "event_partitions",
    "relay_batch_size",
    "relay_poll_interval",
    "database_pool_size",
    "handler_max_attempts",
    "stream_max_length",
    "consumer_lease_ttl",
)


@dataclass(frozen=True)
class Services:
    """Where the scaled stack's PostgreSQL server and Redis are."""

    pg_url: str = PG_URL
    redis_url: str = REDIS_URL

    def scratch_url(self, database: str) -> str:
        url = make_url(self.pg_url).set(database=database)
        return url.render_as_string(hide_password=False)


def build_settings(stack: str, workdir: Path, services: Services) -> Settings:
    """The kernel's defaults except where a stack needs its own database and broker."""
    values: dict[str, Any] = {
        "data_dir": workdir / "data",
        "auto_migrate": False,
        "log_level": "WARNING",
        "log_json": False,
    }
    if stack == "scaled":
        values["database_url"] = services.scratch_url(SCRATCH_PREFIX + uuid.uuid4().hex[:8])
        values["broker_url"] = services.redis_url
        values["stream_prefix"] = f"mercato-bench-{uuid.uuid4().hex[:8]}"
    return Settings(**values)


def recorded_settings(settings: Settings) -> dict[str, Any]:
    """The settings that shape the event bus's speed, as the run used them."""
    return {key: getattr(settings, key) for key in RECORDED_SETTINGS}


def _admin_sql(services: Services, *statements: str) -> None:
    """Statements on the server's maintenance database (CREATE/DROP DATABASE need autocommit)."""
    engine = create_engine(migrate.sync_url(services.pg_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _scratch_name(settings: Settings) -> str:
    name = make_url(settings.resolved_database_url).database or ""
    if not name.startswith(SCRATCH_PREFIX):  # never drop a database the benchmark did not make
        raise ValueError(f"not a scratch database: {name!r}")
    return name


def _drop_scratch(settings: Settings, services: Services) -> None:
    name = _scratch_name(settings)
    _admin_sql(services, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_database(settings: Settings, services: Services, metadata: MetaData) -> None:
    """A fresh database migrated by Alembic, plus the benchmark agent's own tables."""
    if not settings.is_sqlite:
        _drop_scratch(settings, services)
        _admin_sql(services, f'CREATE DATABASE "{_scratch_name(settings)}"')
    migrate.upgrade(settings)
    engine = create_engine(migrate.sync_url(settings.resolved_database_url))
    try:
        metadata.create_all(engine)
    finally:
        engine.dispose()


def _clear_streams(settings: Settings) -> None:
    client = redis.Redis.from_url(str(settings.broker_url))
    try:
        keys = list(client.scan_iter(match=f"{settings.stream_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def clean_up(settings: Settings, services: Services, workdir: Path) -> None:
    if settings.broker_url:
        _clear_streams(settings)
    if not settings.is_sqlite:
        _drop_scratch(settings, services)
    shutil.rmtree(workdir, ignore_errors=True)


@contextlib.asynccontextmanager
async def running_kernel(
    stack: str, services: Services, agent: Agent, metadata: MetaData
) -> AsyncIterator[Kernel]:
    """A started kernel with `agent` on a fresh database; everything removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="mercato-bench-"))
    settings = build_settings(stack, workdir, services)
    configure_logging(settings)
    try:
        # Alembic's env.py runs its own event loop, so the migration runs in a thread.
        await asyncio.to_thread(prepare_database, settings, services, metadata)
        kernel = Kernel.build(settings, agents=[agent])
        await kernel.start()
        try:
            yield kernel
        finally:
            await kernel.stop()
    finally:
        await asyncio.to_thread(clean_up, settings, services, workdir)


def server_versions(services: Services, stacks: Sequence[str]) -> dict[str, str]:
    """PostgreSQL's and Redis's versions, when the scaled stack runs."""
    if "scaled" not in stacks:
        return {}
    engine = create_engine(migrate.sync_url(services.pg_url))
    try:
        with engine.connect() as conn:
            pg = str(conn.execute(text("SHOW server_version")).scalar())
    finally:
        engine.dispose()
    client = redis.Redis.from_url(services.redis_url)
    try:
        info: Any = client.info("server")
    finally:
        client.close()
    return {"postgresql": pg, "redis": str(info["redis_version"])}
