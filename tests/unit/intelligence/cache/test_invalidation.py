"""Invalidation on data changes (seed 001 properties 67 and 68): removing a dependency
removes exactly the entries that list it, and each invalidation is logged and kept for
inspection; a change to a product reaches every entry computed from it, directly or
store-wide, and no other."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.cache import CacheOutcome, deps
from mercato.agents.intelligence.cache.analysis_cache import RECENT_INVALIDATIONS
from mercato.kernel.context import bind
from tests.support.logs import captured_logs
from tests.unit.intelligence.cache.support import STORE, Computation, FakeClock, memory_cache

PROPERTY = settings(max_examples=100, deadline=None, database=None)
ANALYSIS_KINDS = ["pricing", "competitors", "reviews", "forecasts", "sales"]
PRODUCTS = ["p1", "p2", "p3", "p4"]
DEP_POOL = [*(deps.product(p) for p in PRODUCTS), "category:c1", "store:pricing", "kind:sales"]


@pytest.mark.seed_property(67)
@PROPERTY
@given(
    entries=st.lists(st.sets(st.sampled_from(DEP_POOL), max_size=4), min_size=1, max_size=12),
    dep=st.sampled_from(DEP_POOL),
)
async def test_property_67_invalidating_a_dependency_removes_exactly_its_dependents_and_logs_it(
    entries: list[set[str]], dep: str
) -> None:
    # given entries, each listing some dependencies
    clock = FakeClock()
    cache, computation = memory_cache(clock), Computation(clock)
    with bind(tenant_id=STORE):
        for n, listed in enumerate(entries):
            key = f"e{n}"
            await cache.get_or_compute(
                key, kind="pricing", deps=sorted(listed), compute=computation.of(key)
            )
        clock.advance(1)
        # when one dependency is invalidated
        with captured_logs() as logs:
            removed = await cache.invalidate(dep, reason="product.updated ev1")
        # then exactly the entries listing it are gone, the others kept
        dependents = {f"e{n}" for n, listed in enumerate(entries) if dep in listed}
        assert removed == len(dependents)
        assert set(await cache.keys()) == {f"e{n}" for n in range(len(entries))} - dependents
        # and a kept entry is still served as it was, a removed one computed again
        for n in range(len(entries)):
            key = f"e{n}"
            _, outcome = await cache.get_or_compute(
                key, kind="pricing", deps=sorted(entries[n]), compute=computation.of(key)
            )
            assert outcome is (CacheOutcome.MISS if key in dependents else CacheOutcome.HIT)
    # and the invalidation was logged and recorded with its reason
    assert [log for log in logs if log["event"] == "intelligence_cache_invalidated"] == [
        {
            "event": "intelligence_cache_invalidated",
            "log_level": "info" if dependents else "debug",
            "dep": dep,
            "reason": "product.updated ev1",
            "keys": len(dependents),
        }
    ]
    # (kept for inspection when it removed something)
    assert (
        cache.recent_invalidations(store=STORE)
        == [
            {
                "dep": dep,
                "reason": "product.updated ev1",
                "keys": len(dependents),
                "at": clock(),
                "store": STORE,
            }
        ][: 1 if dependents else 0]
    )


ENTRY: st.SearchStrategy[tuple[str, str, Any]] = st.one_of(
    st.tuples(
        st.just("products"), st.sampled_from(ANALYSIS_KINDS), st.sets(st.sampled_from(PRODUCTS))
    ),
    st.tuples(st.just("category"), st.sampled_from(ANALYSIS_KINDS), st.just(frozenset())),
    st.tuples(st.just("store"), st.sampled_from(ANALYSIS_KINDS), st.just(frozenset())),
)


def _deps_of(scope: str, kind: str, products: frozenset[str] | set[str]) -> list[str]:
    if scope == "products":
        return deps.for_products(kind, sorted(products), ["c1"])
    if scope == "category":
        return deps.for_category(kind, "c1")
    return deps.for_store(kind)


@pytest.mark.seed_property(68)
@PROPERTY
@given(
    entries=st.lists(ENTRY, min_size=1, max_size=12),
    changed=st.sampled_from(PRODUCTS),
    kinds=st.sets(st.sampled_from(ANALYSIS_KINDS), min_size=1),
)
async def test_property_68_a_product_change_invalidates_every_entry_computed_from_it_and_no_other(
    entries: list[tuple[str, str, Any]], changed: str, kinds: set[str]
) -> None:
    # given product-scoped, category-scoped and store-wide entries of several kinds
    clock = FakeClock()
    cache, computation = memory_cache(clock), Computation(clock)
    with bind(tenant_id=STORE):
        for n, (scope, kind, products) in enumerate(entries):
            key = f"e{n}"
            await cache.get_or_compute(
                key, kind=kind, deps=_deps_of(scope, kind, products), compute=computation.of(key)
            )
        # when product P changes in a way that affects some kinds (as an event reports it)
        await cache.invalidate_all(
            deps.product_changed(changed, sorted(kinds)), reason="product.price_changed ev2"
        )
        left = set(await cache.keys())
    # then every entry computed from P is gone: those that read P, and the category-scoped
    # and store-wide entries of an affected kind; every other entry is kept
    computed_from = {
        f"e{n}"
        for n, (scope, kind, products) in enumerate(entries)
        if (scope == "products" and changed in products) or (scope != "products" and kind in kinds)
    }
    assert left == {f"e{n}" for n in range(len(entries))} - computed_from


async def test_a_result_computed_while_its_data_changed_is_served_but_not_kept() -> None:
    # given a computation during which the product it reads changes
    clock = FakeClock()
    cache = memory_cache(clock)
    with bind(tenant_id=STORE):

        async def racing() -> dict[str, Any]:
            await cache.invalidate(deps.product("p1"), reason="product.updated ev3")
            return {"price": "old"}

        # when it finishes
        value, outcome = await cache.get_or_compute(
            "pricing:p1", kind="pricing", deps=deps.for_products("pricing", ["p1"]), compute=racing
        )
        # then its caller gets it, but it is not kept for the next
        assert (value, outcome) == ({"price": "old"}, CacheOutcome.MISS)
        assert await cache.keys() == []


async def test_only_the_last_invalidations_that_removed_entries_are_kept_for_inspection() -> None:
    # given more invalidations that removed an entry than are kept, and some that found none
    clock = FakeClock()
    cache, computation = memory_cache(clock), Computation(clock)
    with bind(tenant_id=STORE):
        for n in range(RECENT_INVALIDATIONS + 5):
            key, dep = f"reviews:p{n}", deps.product(f"p{n}")
            await cache.get_or_compute(key, kind="reviews", deps=[dep], compute=computation.of(key))
            await cache.invalidate(dep, reason=f"review.published ev{n}")
            await cache.invalidate(dep, reason=f"review.published ev{n} again")
    # then the last hundred that removed something are kept, oldest first
    recent = cache.recent_invalidations(store=STORE)
    assert len(recent) == RECENT_INVALIDATIONS
    assert [r["dep"] for r in recent[:2]] == ["product:p5", "product:p6"]
    assert recent[-1]["reason"] == f"review.published ev{RECENT_INVALIDATIONS + 4}"
    assert {r["keys"] for r in recent} == {1}
    # and another store sees none of them
    with bind(tenant_id="elsewhere"):
        assert cache.recent_invalidations() == []
