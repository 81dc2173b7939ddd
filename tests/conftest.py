"""Shared fixtures: a fresh, migrated database per test on each backend the run has.

SQLite always runs. PostgreSQL and Redis run when `MERCATO_TEST_DATABASE_URL` and
`MERCATO_TEST_BROKER_URL` are set (CI sets both); otherwise those cases are skipped.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import create_engine, text

from mercato.agents.identity.tokens import SigningKey
from mercato.kernel import migrate
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.db import Base
from tests.support import contract, example_agent
from tests.support.example_agent import ExampleBase

pytest_plugins = ["tests.plugins.edge_case_results", "tests.support.s3"]
PG_URL = os.environ.get("MERCATO_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("MERCATO_TEST_BROKER_URL")
ADMIN_KEY = "mk_test_admin_key"
SCALED_SIGNING_KEY = SigningKey.from_private(Ed25519PrivateKey.generate()).pem().decode()
"""Scaled mode reads its token key from settings (every host the same)."""

needs_pg = pytest.mark.skipif(not PG_URL, reason="MERCATO_TEST_DATABASE_URL is not set")
needs_redis = pytest.mark.skipif(
    not (PG_URL and REDIS_URL), reason="PostgreSQL and Redis URLs not set"
)

DB_STACKS = ["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, needs_pg])]
BUS_STACKS = [*DB_STACKS, pytest.param("postgres+redis", marks=[pytest.mark.redis, needs_redis])]


@pytest.fixture(autouse=True)
def answers_keep_to_the_openapi_document() -> Iterator[None]:
    """Every answer the test received has a status its route declares (tests/support/contract)."""
    contract.UNDECLARED.clear()
    yield
    undeclared, contract.UNDECLARED[:] = list(contract.UNDECLARED), []
    assert not undeclared, "answers the OpenAPI document does not declare:\n" + "\n".join(
        dict.fromkeys(undeclared)
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated once per session; each test gets a copy."""
    data = tmp_path_factory.mktemp("template")
    settings = Settings(data_dir=data)
    migrate.upgrade(settings)
    _create_example_tables(migrate.sync_url(settings.resolved_database_url))
    return data / "mercato.db"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """A throwaway PostgreSQL database for this test process, migrated once."""
    if not PG_URL:
        yield None
        return
    name = f"mercato_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(migrate.sync_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    migrate.upgrade(Settings(database_url=url))
    _create_example_tables(migrate.sync_url(url))
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _create_example_tables(sync_url: str) -> None:
    engine = create_engine(sync_url)
    ExampleBase.metadata.create_all(engine)
    engine.dispose()


def _truncate(url: str) -> None:
    migrate.target_metadata()  # imports every agent's models
    tables = [t.name for t in (*Base.metadata.sorted_tables, *ExampleBase.metadata.sorted_tables)]
    engine = create_engine(migrate.sync_url(url))
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


def build_settings(
    stack: str, tmp_path: Path, sqlite_template: Path, pg_url: str | None, **overrides: Any
) -> Settings:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    values: dict[str, Any] = {
        "data_dir": data,
        "admin_api_key": ADMIN_KEY,
        "handler_retry_base_delay": 0.001,
        "handler_retry_max_delay": 0.01,
        "handler_max_attempts": 3,
        "relay_poll_interval": 0.02,
        "saga_lease_ttl": 1.0,
        "saga_resume_interval": 0.2,
        "consumer_lease_ttl": 2.0,
        "event_partitions": 4,
        "stream_prefix": f"mercato-test-{uuid.uuid4().hex[:8]}",
        "auto_migrate": False,
        "password_hash_time_cost": 1,  # cheap hashing in tests only; production keeps RFC 9106
        "password_hash_memory_kib": 1024,
        "password_hash_parallelism": 1,
        "login_failure_delay": 0.001,
        "rate_limit_api": "100000/minute",
        "rate_limit_auth": "100000/minute",
        "rate_limit_generate": "100000/minute",
        # each test's own gateway ledger (scaled deployments keep it in PostgreSQL, which
        # the PostgreSQL kill trials use)
        "sandbox_gateway_url": f"sqlite+aiosqlite:///{data / 'sandbox_gateway.sqlite'}",
    }
    if stack == "sqlite":
        shutil.copy(sqlite_template, data / "mercato.db")
    else:
        assert pg_url is not None
        _truncate(pg_url)
        values["database_url"] = pg_url
        values["jwt_signing_keys"] = [SCALED_SIGNING_KEY]
    if stack.endswith("+redis"):
        values["broker_url"] = REDIS_URL
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(params=DB_STACKS)
def settings(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path, pg_database: str | None
) -> Settings:
    return build_settings(request.param, tmp_path, sqlite_template, pg_database)


@pytest.fixture(params=BUS_STACKS)
def bus_settings(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path, pg_database: str | None
) -> Iterator[Settings]:
    settings = build_settings(request.param, tmp_path, sqlite_template, pg_database)
    yield settings
    if settings.broker_url:
        _forget_streams(settings.broker_url, settings.stream_prefix)


def _forget_streams(url: str, prefix: str) -> None:
    """Delete the Redis keys a test made (each test has its own stream prefix)."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def make_settings(
    tmp_path: Path, sqlite_template: Path, pg_database: str | None
) -> Callable[..., Settings]:
    """Settings for a given stack name, for tests that pick their own."""

    def make(stack: str = "sqlite", **overrides: Any) -> Settings:
        return build_settings(stack, tmp_path, sqlite_template, pg_database, **overrides)

    return make


@pytest.fixture
async def kernel(settings: Settings) -> AsyncIterator[Kernel]:
    """A kernel with the example agent; background work is started by each test."""
    k = Kernel.build(settings, agents=[example_agent.agent])
    example_agent.Behaviour.failures_left = 0
    example_agent.Behaviour.always_fail = False
    example_agent.Behaviour.delay = 0.0
    yield k
    await k.stop()


@pytest.fixture
async def bus_kernel(bus_settings: Settings) -> AsyncIterator[Kernel]:
    k = Kernel.build(bus_settings, agents=[example_agent.agent])
    example_agent.Behaviour.failures_left = 0
    example_agent.Behaviour.always_fail = False
    example_agent.Behaviour.delay = 0.0
    yield k
    await k.stop()


async def eventually(
    check: Callable[[], Awaitable[bool]], within: float = 15.0, interval: float = 0.05
) -> None:
    """Wait until `check()` is true; fail with a clear message if it never is."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {within} s")
