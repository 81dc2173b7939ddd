"""The scaled cache on a real Redis (`MERCATO_TEST_BROKER_URL`; skipped without it): entries
shared by every process, LRU eviction within the size limit, and invalidation seen by all,
with the index never pointing at a missing entry however the processes interleave."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis import asyncio as aioredis

from mercato.agents.intelligence.cache import (
    AnalysisCache,
    CacheConfig,
    CacheEntry,
    CacheOutcome,
    RedisBackend,
    deps,
)
from mercato.kernel.context import bind
from tests.conftest import REDIS_URL
from tests.unit.intelligence.cache.support import STORE, Computation, FakeClock

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="MERCATO_TEST_BROKER_URL is not set"),
]
_prefixes = itertools.count()
Backends = Callable[..., RedisBackend]


@pytest.fixture
async def backends() -> AsyncIterator[Backends]:
    """Builds backends ("processes") on one Redis under the test's own prefix; deletes the
    prefix's keys and closes them all afterwards."""
    prefix = f"mercato-test-cache-{uuid.uuid4().hex[:8]}"
    built: list[RedisBackend] = []

    def build(max_entries: int = 512, *, own_prefix: bool = False) -> RedisBackend:
        """`own_prefix`: one backend of this size under a prefix of its own, reused by
        later calls (a property's examples), emptied by the caller."""
        if own_prefix:
            for backend in built:
                if backend.prefix.startswith(f"{prefix}-") and backend.max_entries == max_entries:
                    return backend
        scoped = f"{prefix}-{next(_prefixes)}" if own_prefix else prefix
        backend = RedisBackend(REDIS_URL or "", scoped, max_entries)
        built.append(backend)
        return backend

    yield build
    for backend in built:
        await backend.clear()
        await backend.close()


async def _consistent(backend: RedisBackend) -> None:
    """Every indexed key has its entry, and every entry is indexed under each dependency."""
    redis = aioredis.from_url(REDIS_URL or "", decode_responses=True)
    try:
        keys = await backend.keys()
        assert len(keys) <= backend.max_entries
        for key in keys:
            entry = await redis.get(f"{backend.prefix}:e:{key}")
            assert entry is not None, key
            for dep in CacheEntry.from_json(entry).deps:
                assert await redis.sismember(f"{backend.prefix}:d:{dep}", key)
        for part in ("e", "k"):
            stored = [k async for k in redis.scan_iter(match=f"{backend.prefix}:{part}:*")]
            assert len(stored) == len(keys)
        async for index in redis.scan_iter(match=f"{backend.prefix}:d:*"):
            assert set(await redis.smembers(index)) <= set(keys)
    finally:
        await redis.aclose()


async def test_an_entry_round_trips_and_is_shared_by_every_process(backends: Backends) -> None:
    # given two processes on one Redis
    one, two = backends(), backends()
    entry = CacheEntry("pricing", 1_800_000_000.5, ("product:p1", "kind:pricing"), {"gap": 1.5})
    # when one keeps an entry
    stored = await one.put("k", entry, seen=await one.generations(list(entry.deps)))
    # then the other reads it as it was
    assert stored.kept and stored.evicted == 0
    assert await two.get("k") == entry
    assert await two.get("missing") is None


async def test_any_value_json_can_hold_is_kept_and_invalidated(backends: Backends) -> None:
    # given an entry whose value holds what the scripts could not parse (NaN, nesting)
    backend = backends()
    value = {"mape": float("inf"), "band": [{"lower": float("-inf")}], "note": "\u00e9"}
    entry = CacheEntry("forecasts", 1.0, ("product:p1",), value)
    assert (await backend.put("f", entry, seen={})).kept
    # when its dependency is invalidated
    removed = await backend.invalidate("product:p1")
    # then it is gone, and nothing dangles
    assert (removed, await backend.keys()) == (["f"], [])
    await _consistent(backend)


async def test_an_invalidation_by_one_process_is_seen_by_the_other(backends: Backends) -> None:
    # given two processes' caches sharing entries of a store
    clock = FakeClock()
    one = AnalysisCache(backends(), clock=clock)
    two = AnalysisCache(backends(), clock=clock)
    computation = Computation(clock)
    with bind(tenant_id=STORE):
        for product in ("p1", "p2"):
            await one.get_or_compute(
                f"pricing:{product}",
                kind="pricing",
                deps=deps.for_products("pricing", [product]),
                compute=computation.of(product),
            )
        _, outcome = await two.get_or_compute(
            "pricing:p1", kind="pricing", deps=[], compute=computation.of("p1")
        )
        assert outcome is CacheOutcome.HIT
        # when the second process handles a change of p1
        removed = await two.invalidate(deps.product("p1"), reason="product.price_changed ev1")
        # then the first no longer serves p1's entry, and still serves p2's
        assert removed == 1
        assert await one.keys() == ["pricing:p2"]
        _, outcome = await one.get_or_compute(
            "pricing:p1",
            kind="pricing",
            deps=deps.for_products("pricing", ["p1"]),
            compute=computation.of("p1"),
        )
    assert (outcome, computation.calls["p1"]) == (CacheOutcome.MISS, 2)
    await _consistent(one.backend)  # type: ignore[arg-type]


async def test_a_result_computed_while_another_process_invalidated_it_is_not_kept(
    backends: Backends,
) -> None:
    # given a process computing p1's pricing while another handles a change of p1
    clock = FakeClock()
    one = AnalysisCache(backends(), clock=clock)
    two = AnalysisCache(backends(), clock=clock)
    with bind(tenant_id=STORE):

        async def racing() -> dict[str, Any]:
            await two.invalidate(deps.product("p1"), reason="product.price_changed ev2")
            return {"price": "old"}

        # when the computation finishes
        value, _ = await one.get_or_compute(
            "pricing:p1", kind="pricing", deps=deps.for_products("pricing", ["p1"]), compute=racing
        )
        # then it is served to its caller but kept for no one
        assert value == {"price": "old"}
        assert await two.keys() == []


async def test_processes_writing_at_once_never_exceed_the_limit_nor_corrupt_the_index(
    backends: Backends,
) -> None:
    # given three processes sharing a cache of 8 entries
    processes = [backends(8) for _ in range(3)]

    async def work(n: int, backend: RedisBackend) -> None:
        for i in range(30):
            dep = f"product:p{(n + i) % 5}"
            entry = CacheEntry("sales", float(i), (dep, "store:sales"), {"i": i})
            await backend.put(f"k{(n * 7 + i) % 20}", entry, seen={})
            if i % 7 == 0:
                await backend.invalidate(f"product:p{i % 5}")
            await backend.get(f"k{i % 20}")

    # when they put, read and invalidate concurrently
    await asyncio.gather(*(work(n, b) for n, b in enumerate(processes)))
    # then the cache holds at most 8 entries, all indexed, and nothing dangles
    await _consistent(processes[0])


@pytest.mark.seed_property(69)
@settings(
    max_examples=30,  # a Redis round trip per step: the 100-example proof is the unit test
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    max_entries=st.integers(1, 4),
    accesses=st.lists(st.integers(0, 6), min_size=1, max_size=20),
)
async def test_property_69_redis_keeps_the_keys_a_reference_lru_keeps(
    backends: Backends, max_entries: int, accesses: list[int]
) -> None:
    # given an empty Redis-backed cache of N entries and a reference LRU of N
    clock = FakeClock()
    backend = backends(max_entries, own_prefix=True)
    await backend.clear()
    cache = AnalysisCache(backend, CacheConfig(max_entries=max_entries), clock=clock)
    computation = Computation(clock)
    model: OrderedDict[str, None] = OrderedDict()
    with bind(tenant_id=STORE):
        for n in accesses:
            key = f"k{n}"
            # when a key is accessed
            _, outcome = await cache.get_or_compute(
                key, kind="sales", deps=deps.for_store("sales"), compute=computation.of(key)
            )
            hit = key in model
            model[key] = None
            model.move_to_end(key)
            while len(model) > max_entries:
                model.popitem(last=False)
            # then Redis holds the model's keys, least recently used first
            assert outcome is (CacheOutcome.HIT if hit else CacheOutcome.MISS)
            assert await cache.keys() == list(model)
    await _consistent(backend)
