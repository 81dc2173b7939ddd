"""The shared rate limiter counts in batches while a key is far from its limit (ADR 22,
fourth and fifth passes), and in Redis before answering when it is not: a process's first
request of a key in a window, every request from half the limit on (by the shared count
each batch brings back), every request under a small limit. Driven against the test
Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from redis import asyncio as aioredis

from mercato.kernel.ratelimit import Limit, RedisRateLimiter
from tests.conftest import REDIS_URL, needs_redis

pytestmark = [pytest.mark.redis, needs_redis]

PER_MINUTE = Limit(200, 60)


@pytest.fixture
async def redis() -> AsyncIterator[aioredis.Redis]:
    assert REDIS_URL
    client = aioredis.from_url(REDIS_URL)
    yield client
    await client.aclose()


@pytest.fixture
async def processes() -> AsyncIterator[Callable[..., RedisRateLimiter]]:
    """Limiters of one deployment (a prefix of their own), as separate processes hold them."""
    prefix, made = f"test-{uuid.uuid4().hex}", []

    def process(**options: float) -> RedisRateLimiter:
        assert REDIS_URL
        made.append(RedisRateLimiter(REDIS_URL, prefix, **options))
        return made[-1]

    yield process
    for limiter in made:
        await limiter.close()


async def shared_count(redis: aioredis.Redis, key: str) -> int:
    found = [await redis.get(name) async for name in redis.scan_iter(f"test-*:rl:{key}:*")]
    return sum(int(value) for value in found if value is not None)


async def test_far_from_its_limit_a_key_reaches_redis_in_one_batch(
    processes: Callable[..., RedisRateLimiter], redis: aioredis.Redis
) -> None:
    # given a process that has learnt the key's count with its first request
    one = processes()
    key = f"k-{uuid.uuid4().hex}"
    assert await one.hit(key, PER_MINUTE) == 0
    # when 49 more come at once
    assert [await one.hit(key, PER_MINUTE) for _ in range(49)] == [0] * 49
    # then Redis has only the first until the batch goes, then all 50
    assert await shared_count(redis, key) == 1
    await one.flush()
    assert await shared_count(redis, key) == 50


async def test_the_batch_goes_by_itself(
    processes: Callable[..., RedisRateLimiter], redis: aioredis.Redis
) -> None:
    one = processes(flush_seconds=0.05)
    key = f"k-{uuid.uuid4().hex}"
    for _ in range(10):
        await one.hit(key, PER_MINUTE)
    await asyncio.sleep(0.3)
    assert await shared_count(redis, key) == 10


async def test_from_half_its_limit_on_the_shared_count_decides(
    processes: Callable[..., RedisRateLimiter], redis: aioredis.Redis
) -> None:
    # given a key at half its limit, counted by one process
    one, two = processes(), processes()
    key = f"k-{uuid.uuid4().hex}"
    for _ in range(100):
        assert await one.hit(key, PER_MINUTE) == 0
    await one.flush()
    # when more come, to that process and to another
    assert await one.hit(key, PER_MINUTE) == 0
    # then each is in Redis before it is answered
    assert await shared_count(redis, key) == 101
    answers = [await two.hit(key, PER_MINUTE) for _ in range(99)]
    assert answers == [0] * 99 and await shared_count(redis, key) == 200
    # and the request past the limit is refused by either, with the wait
    assert await one.hit(key, PER_MINUTE) > 0
    assert await two.hit(key, PER_MINUTE) > 0


async def test_a_small_limit_is_counted_in_redis_at_every_request(
    processes: Callable[..., RedisRateLimiter], redis: aioredis.Redis
) -> None:
    one, two = processes(), processes()
    key, logins = f"k-{uuid.uuid4().hex}", Limit(10, 60)
    for n in range(1, 6):
        await one.hit(key, logins)
        await two.hit(key, logins)
        assert await shared_count(redis, key) == 2 * n
    assert await one.hit(key, logins) > 0


async def test_each_batch_brings_back_the_shared_count(
    processes: Callable[..., RedisRateLimiter], redis: aioredis.Redis
) -> None:
    # given a process that learnt the count with its first request, and another that has
    # since counted 98 of the key
    one, two = processes(flush_seconds=10), processes()
    key = f"k-{uuid.uuid4().hex}"
    await one.hit(key, PER_MINUTE)
    for _ in range(98):
        await two.hit(key, PER_MINUTE)
    await two.flush()
    assert await shared_count(redis, key) == 99
    # when the first is asked again, it decides on what it knew (1): the request waits
    assert await one.hit(key, PER_MINUTE) == 0
    assert await shared_count(redis, key) == 99
    # then its batch sends it and brings back the shared 100: half the limit, so from now on
    # every request of the key is counted in Redis before it is answered
    await one.flush()
    assert await shared_count(redis, key) == 100
    assert await one.hit(key, PER_MINUTE) == 0
    assert await shared_count(redis, key) == 101
