"""The cache follows the store's events (seed 001 property 68 end to end): a catalogue price
change removes the changed product's cached pricing and the store-wide pricing, with the
event named as the reason, and leaves every entry not computed from it."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from mercato.agents.intelligence.cache import AnalysisCache, CacheOutcome, cache_for, deps
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN
from tests.support.store import settle, store_for

_serial = itertools.count(1)


@dataclass
class Store:
    kernel: Kernel
    client: httpx.AsyncClient
    cache: AnalysisCache
    tenant: str

    async def product(self, price: str) -> dict[str, Any]:
        serial = next(_serial)
        made = await self.client.post(
            "/v1/products",
            json={
                "name": f"Cached product {serial}",
                "status": "active",
                "variants": [{"sku": f"CA-{serial}", "price": price, "attributes": {}}],
            },
            headers=ADMIN,
        )
        assert made.status_code == 201, made.text
        found: dict[str, Any] = made.json()
        return found

    async def keep(self, key: str, kind: str, dep_names: list[str]) -> None:
        async def compute() -> dict[str, Any]:
            return {"key": key}

        with bind(tenant_id=self.tenant):
            _, outcome = await self.cache.get_or_compute(
                key, kind=kind, deps=dep_names, compute=compute
            )
        assert outcome is CacheOutcome.MISS

    async def keys(self) -> set[str]:
        with bind(tenant_id=self.tenant):
            return set(await self.cache.keys())

    async def events_of(self, product_id: str) -> list[OutboxRecord]:
        async with self.kernel.uow(writes=False) as uow:
            found = await uow.session.scalars(
                select(OutboxRecord).where(OutboxRecord.aggregate_id == product_id)
            )
            return list(found)


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Store]:
    async with store_for(settings) as (kernel, client):
        if AnalysisCache not in kernel.wiring:  # until the agent's setup provides it
            kernel.provide(AnalysisCache, cache_for(kernel.settings, kernel.clock))
        yield Store(kernel, client, kernel.deps(AnalysisCache), settings.default_tenant)


@pytest.mark.seed_property(68)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_a_catalogue_price_change_invalidates_what_was_computed_from_the_old_price(
    store: Store,
) -> None:
    # given two products, and cached analyses of each and of the whole store
    changed, other = await store.product("30.00"), await store.product("12.00")
    await settle(store.kernel)
    await store.keep("pricing:changed", "pricing", deps.for_products("pricing", [changed["id"]]))
    await store.keep("reviews:changed", "reviews", deps.for_products("reviews", [changed["id"]]))
    await store.keep("pricing:other", "pricing", deps.for_products("pricing", [other["id"]]))
    await store.keep("pricing:store", "pricing", deps.for_store("pricing"))
    await store.keep("reviews:store", "reviews", deps.for_store("reviews"))
    before = {record.id for record in await store.events_of(changed["id"])}
    # when the merchant changes the first product's price in the catalogue
    variant = changed["variants"][0]["id"]
    patched = await store.client.patch(
        f"/v1/products/{changed['id']}/variants/{variant}",
        json={"price": "28.00"},
        headers=ADMIN,
    )
    assert patched.status_code == 200, patched.text
    await settle(store.kernel)
    # then every entry computed from that product, and the store-wide pricing, are gone
    assert await store.keys() == {"pricing:other", "reviews:store"}
    # and each removal names an event of that change (its type and id)
    caused = {
        f"{record.type} {record.id}"
        for record in await store.events_of(changed["id"])
        if record.type in ("product.updated", "product.price_changed") and record.id not in before
    }
    removals = store.cache.recent_invalidations(store=store.tenant)
    assert {item["dep"] for item in removals} == {
        deps.product(changed["id"]),
        deps.store("pricing"),
    }
    assert caused and {item["reason"] for item in removals} <= caused


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_a_renamed_product_invalidates_its_own_entries_and_no_store_wide_one(
    store: Store,
) -> None:
    # given a product with a cached forecast, and the store's forecasts
    product = await store.product("30.00")
    await settle(store.kernel)
    await store.keep("forecast:p", "forecasts", deps.for_products("forecasts", [product["id"]]))
    await store.keep("forecast:store", "forecasts", deps.for_store("forecasts"))
    # when only its name changes
    renamed = await store.client.patch(
        f"/v1/products/{product['id']}", json={"name": "Renamed"}, headers=ADMIN
    )
    assert renamed.status_code == 200, renamed.text
    await settle(store.kernel)
    # then its own entry is gone, the store-wide one kept
    assert await store.keys() == {"forecast:store"}
