"""Freshness per kind of data (seed 001 property 66): a result older than its kind's
freshness is never served, it is recomputed before use; Deep mode recomputes; identical
misses compute once; stores never share entries."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.cache import (
    KINDS,
    CacheConfig,
    CacheOutcome,
    UnknownKindError,
    deps,
)
from mercato.kernel.context import bind
from mercato.kernel.errors import TenantContextMissing
from tests.unit.intelligence.cache.support import (
    OTHER_STORE,
    STORE,
    Computation,
    FakeClock,
    memory_cache,
)

PROPERTY = settings(max_examples=100, deadline=None, database=None)
FRESHNESS = CacheConfig()
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("get"), st.sampled_from(KINDS), st.integers(0, 2)),
        st.tuples(st.just("advance"), st.floats(0, 100_000), st.just(0)),
    ),
    min_size=1,
    max_size=30,
)


@pytest.mark.seed_property(66)
@PROPERTY
@given(steps=STEPS)
async def test_property_66_a_stale_entry_is_never_served_it_is_recomputed_first(
    steps: list[tuple[str, Any, Any]],
) -> None:
    # given a cache on a clock the test moves
    clock = FakeClock()
    cache, computation = memory_cache(clock), Computation(clock)
    computed_at: dict[str, float] = {}  # what the cache should hold: key -> computed when
    with bind(tenant_id=STORE):
        for step, kind, n in steps:
            if step == "advance":
                clock.advance(kind)
                continue
            # when a result of `kind` is asked for
            key = f"{kind}:{n}"
            runs = computation.calls.get(key, 0)
            value, outcome = await cache.get_or_compute(
                key, kind=kind, deps=deps.for_store(kind), compute=computation.of(key)
            )
            # then what is served is within its kind's freshness
            assert clock() - value["computed_at"] < FRESHNESS.freshness(kind)
            # and a stale entry was recomputed before use, a fresh one served as kept
            if key not in computed_at:
                expected = CacheOutcome.MISS
            elif clock() - computed_at[key] >= FRESHNESS.freshness(kind):
                expected = CacheOutcome.REFRESHED
            else:
                expected = CacheOutcome.HIT
            assert outcome is expected
            assert computation.calls[key] == runs + (expected is not CacheOutcome.HIT)
            computed_at[key] = value["computed_at"]


async def test_deep_mode_recomputes_a_fresh_entry_and_keeps_the_new_result() -> None:
    # given a fresh pricing entry
    clock = FakeClock()
    cache, computation = memory_cache(clock), Computation(clock)
    with bind(tenant_id=STORE):
        compute = computation.of("p")
        await cache.get_or_compute("p", kind="pricing", deps=[], compute=compute)
        clock.advance(10)
        # when Deep mode asks for it
        value, outcome = await cache.get_or_compute(
            "p", kind="pricing", deps=[], compute=compute, fresh=True
        )
        # then it is recomputed, and the new result is what is served next
        assert (outcome, value["run"]) == (CacheOutcome.BYPASS, 2)
        again, outcome = await cache.get_or_compute("p", kind="pricing", deps=[], compute=compute)
        assert (outcome, again) == (CacheOutcome.HIT, value)
        stats = await cache.stats()
    assert (stats["hits"], stats["misses"], stats["bypassed"], stats["entries"]) == (1, 1, 1, 1)
    assert stats["hit_rate"] == 0.5


async def test_identical_concurrent_misses_compute_once() -> None:
    # given a computation that takes a while
    clock = FakeClock()
    cache = memory_cache(clock)
    calls = 0

    async def slow() -> dict[str, Any]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        return {"answer": 42}

    # when ten callers ask for the same missing key at once
    with bind(tenant_id=STORE):
        answers = await asyncio.gather(
            *(cache.get_or_compute("f", kind="forecasts", deps=[], compute=slow) for _ in range(10))
        )
    # then it was computed once, and every caller got that result
    assert calls == 1
    assert {value["answer"] for value, _ in answers} == {42}
    assert sorted(outcome.value for _, outcome in answers) == ["hit"] * 9 + ["miss"]


async def test_a_failed_computation_keeps_nothing() -> None:
    # given a stale entry
    clock = FakeClock()
    cache, computation = memory_cache(clock), Computation(clock)
    with bind(tenant_id=STORE):
        await cache.get_or_compute("s", kind="sales", deps=[], compute=computation.of("s"))
        clock.advance(FRESHNESS.sales_seconds)

        async def broken() -> dict[str, Any]:
            raise RuntimeError("the database went away")

        # when its recomputation fails
        with pytest.raises(RuntimeError):
            await cache.get_or_compute("s", kind="sales", deps=[], compute=broken)
        # then the stale entry is still never served: the next call recomputes
        value, outcome = await cache.get_or_compute(
            "s", kind="sales", deps=[], compute=computation.of("s")
        )
    assert (outcome, value["run"]) == (CacheOutcome.REFRESHED, 2)


async def test_an_unknown_kind_is_refused_and_nothing_is_computed_or_kept() -> None:
    clock = FakeClock()
    cache, computation = memory_cache(clock), Computation(clock)
    with bind(tenant_id=STORE), pytest.raises(UnknownKindError):
        await cache.get_or_compute("x", kind="weather", deps=[], compute=computation.of("x"))
    assert computation.calls == {}
    assert (await cache.stats())["entries"] == 0


async def test_a_store_is_never_served_another_stores_entry() -> None:
    # given store A's pricing result under a key
    clock = FakeClock()
    cache, computation = memory_cache(clock), Computation(clock)
    with bind(tenant_id=STORE):
        mine, _ = await cache.get_or_compute(
            "pricing:p1",
            kind="pricing",
            deps=deps.for_store("pricing"),
            compute=computation.of("a"),
        )
    # when store B asks for the same key
    with bind(tenant_id=OTHER_STORE):
        theirs, outcome = await cache.get_or_compute(
            "pricing:p1",
            kind="pricing",
            deps=deps.for_store("pricing"),
            compute=computation.of("b"),
        )
        # then B's result is B's own, computed for it
        assert (outcome, theirs["key"]) == (CacheOutcome.MISS, "b")
        # and B invalidating everything of the kind leaves A's entry
        await cache.invalidate("kind:pricing", reason="test")
        assert await cache.keys() == []
    with bind(tenant_id=STORE):
        assert await cache.keys() == ["pricing:p1"]
        kept, outcome = await cache.get_or_compute(
            "pricing:p1", kind="pricing", deps=[], compute=computation.of("a")
        )
    assert (outcome, kept) == (CacheOutcome.HIT, mine)


async def test_without_a_store_nothing_is_cached() -> None:
    clock = FakeClock()
    cache, computation = memory_cache(clock), Computation(clock)
    with pytest.raises(TenantContextMissing):
        await cache.get_or_compute("x", kind="pricing", deps=[], compute=computation.of("x"))
    assert computation.calls == {}
