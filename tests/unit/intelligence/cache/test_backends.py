"""What every backend keeps to: a served value is the caller's own copy, a value that is not
JSON is refused and nothing kept, and a Redis that cannot be reached costs the cache, never
the answer (an invalidation fails instead, so its event is retried)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from mercato.agents.intelligence.cache import (
    AnalysisCache,
    CacheOutcome,
    CacheUnavailableError,
    RedisBackend,
    deps,
)
from mercato.kernel.context import bind
from tests.unit.intelligence.cache.support import STORE, Computation, FakeClock, memory_cache

UNREACHABLE = "redis://127.0.0.1:1/0"
"""Nothing listens on port 1: a Redis that is down."""


async def test_a_caller_changing_what_it_was_served_changes_no_one_elses() -> None:
    # given a kept result
    clock = FakeClock()
    cache, computation = memory_cache(clock), Computation(clock)
    with bind(tenant_id=STORE):
        first, _ = await cache.get_or_compute(
            "p", kind="pricing", deps=[], compute=computation.of("p")
        )
        # when its caller changes it
        first["run"] = 99
        # then the next caller is served the result as computed
        again, outcome = await cache.get_or_compute(
            "p", kind="pricing", deps=[], compute=computation.of("p")
        )
    assert (outcome, again["run"]) == (CacheOutcome.HIT, 1)


async def test_a_value_that_is_not_json_is_refused_and_nothing_is_kept() -> None:
    clock = FakeClock()
    cache = memory_cache(clock)

    async def odd() -> dict[str, Any]:
        return {"when": object()}

    with bind(tenant_id=STORE):
        with pytest.raises(TypeError):
            await cache.get_or_compute("p", kind="pricing", deps=[], compute=odd)
        assert await cache.keys() == []


async def test_a_redis_that_is_down_costs_the_cache_not_the_answer() -> None:
    # given a cache whose Redis cannot be reached
    clock = FakeClock()
    cache = AnalysisCache(RedisBackend(UNREACHABLE, "down", 8), clock=clock)
    computation = Computation(clock)
    started = time.monotonic()
    try:
        with bind(tenant_id=STORE):
            # when the same result is asked for twice
            answers = [
                await cache.get_or_compute(
                    "p",
                    kind="pricing",
                    deps=deps.for_products("pricing", ["p1"]),
                    compute=computation.of("p"),
                )
                for _ in range(2)
            ]
            # then each is computed and served, uncached
            assert [(outcome, value["run"]) for value, outcome in answers] == [
                (CacheOutcome.MISS, 1),
                (CacheOutcome.MISS, 2),
            ]
            # and an invalidation fails loudly (its event will be retried)
            with pytest.raises(CacheUnavailableError):
                await cache.invalidate(deps.product("p1"), reason="product.updated ev1")
    finally:
        await cache.close()
    assert time.monotonic() - started < 10
