"""LRU eviction within a size limit (seed 001 property 69): whatever the accesses, the cache
holds the keys a reference LRU of the same size would hold, in the same order."""

from __future__ import annotations

from collections import OrderedDict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.cache import CacheOutcome, deps
from mercato.kernel.context import bind
from tests.unit.intelligence.cache.support import STORE, Computation, FakeClock, memory_cache

PROPERTY = settings(max_examples=100, deadline=None, database=None)


@pytest.mark.seed_property(69)
@PROPERTY
@given(
    max_entries=st.integers(1, 5),
    accesses=st.lists(st.integers(0, 7), min_size=1, max_size=40),
)
async def test_property_69_the_cache_keeps_the_keys_a_reference_lru_keeps(
    max_entries: int, accesses: list[int]
) -> None:
    # given a cache of N entries and a reference LRU model of N
    clock = FakeClock()
    cache, computation = memory_cache(clock, max_entries), Computation(clock)
    model: OrderedDict[str, None] = OrderedDict()
    evictions = 0
    with bind(tenant_id=STORE):
        for n in accesses:
            key = f"k{n}"
            # when a key is accessed
            _, outcome = await cache.get_or_compute(
                key, kind="reviews", deps=deps.for_store("reviews"), compute=computation.of(key)
            )
            hit = key in model
            model[key] = None
            model.move_to_end(key)
            while len(model) > max_entries:
                model.popitem(last=False)
                evictions += 1
            # then it is a hit exactly when the model still held it
            assert outcome is (CacheOutcome.HIT if hit else CacheOutcome.MISS)
            # and the cache holds the model's keys, least recently used first
            assert await cache.keys() == list(model)
        stats = await cache.stats()
    assert (stats["evictions"], stats["entries"]) == (evictions, len(model))
