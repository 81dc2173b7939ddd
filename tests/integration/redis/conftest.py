"""Fixtures of the Redis Streams tests: real Redis and PostgreSQL, a stream prefix per test
(its keys deleted at the end), one or two workers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import pytest
from redis import asyncio as aioredis

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from tests.integration.redis.support import (
    LEASE_TTL,
    Outage,
)
from tests.support import example_agent


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings("postgres+redis", consumer_lease_ttl=LEASE_TTL)


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[aioredis.Redis]:
    """A client of the test's broker; deletes the test's keys afterwards."""
    client = aioredis.from_url(settings.broker_url or "", decode_responses=True)
    yield client
    keys = [key async for key in client.scan_iter(match=f"{settings.stream_prefix}:*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture
def behaviour() -> Iterator[type[example_agent.Behaviour]]:
    """The example handlers' knobs, reset before and after the test."""

    def reset() -> None:
        example_agent.Behaviour.failures_left = 0
        example_agent.Behaviour.always_fail = False
        example_agent.Behaviour.delay = 0.0

    reset()
    yield example_agent.Behaviour
    reset()


@pytest.fixture
async def workers(
    settings: Settings, redis: aioredis.Redis, behaviour: type[example_agent.Behaviour]
) -> AsyncIterator[Callable[[], Kernel]]:
    """Builds worker processes (kernels with the example agent) on the test's settings, all
    sharing one database, broker and stream prefix; stops them all afterwards."""
    built: list[Kernel] = []

    def build() -> Kernel:
        kernel = Kernel.build(settings, agents=[example_agent.agent])
        built.append(kernel)
        return kernel

    yield build
    for kernel in built:
        await kernel.stop()


@pytest.fixture
def database_outage(settings: Settings) -> Iterator[Outage]:
    outage = Outage(settings.resolved_database_url)
    yield outage
    outage.close()  # the database is up again even if the test failed
