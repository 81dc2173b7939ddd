"""The store's vocabulary on a real database: its active products with their variants'
option values, its categories with their paths, the competitors it has observed and the
sources it ingests; bounded; and a question read against it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest

from mercato.agents.intelligence.ask import vocabulary
from mercato.agents.intelligence.ask.router import route
from mercato.agents.intelligence.ask.scope import Intent
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN
from tests.support.store import store_for


@dataclass
class Store:
    kernel: Kernel
    client: httpx.AsyncClient

    async def category(self, name: str, parent: str | None = None) -> str:
        made = await self.client.post(
            "/v1/categories", json={"name": name, "parent_id": parent}, headers=ADMIN
        )
        assert made.status_code == 201, made.text
        return str(made.json()["id"])

    async def product(
        self, name: str, category: str | None, variants: list[dict[str, str]], status: str
    ) -> str:
        made = await self.client.post(
            "/v1/products",
            json={
                "name": name,
                "status": status,
                "category_id": category,
                "variants": [
                    {"sku": f"{name[:3]}-{n}", "price": "50.00", "attributes": attributes}
                    for n, attributes in enumerate(variants)
                ],
            },
            headers=ADMIN,
        )
        assert made.status_code == 201, made.text
        return str(made.json()["id"])

    async def post(self, path: str, body: dict[str, Any]) -> None:
        answer = await self.client.post(path, json=body, headers=ADMIN)
        assert answer.status_code in (200, 201), answer.text

    async def vocabulary(self, **limits: int) -> vocabulary.Vocabulary:
        async with self.kernel.uow(writes=False) as uow:
            with bind(tenant_id=self.kernel.settings.default_tenant):
                return await vocabulary.load(uow, limits=vocabulary.VocabularyLimits(**limits))


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Store]:
    async with store_for(settings, start=False) as (kernel, client):
        yield Store(kernel, client)


async def _stocked(store: Store) -> dict[str, str]:
    shoes = await store.category("Shoes")
    running = await store.category("Running shoes", shoes)
    ids = {
        "shoes": shoes,
        "running": running,
        "trail": await store.product(
            "Trail Runner Pro",
            running,
            [{"colour": "Blue", "size": "42"}, {"colour": "Black", "size": "43"}],
            "active",
        ),
        "draft": await store.product("Secret Prototype", running, [{"colour": "Red"}], "draft"),
    }
    await store.post(
        "/v1/intelligence/pricing/observations",
        {
            "items": [
                {"product_id": ids["trail"], "competitor": name, "url": f"https://{name}.example/p",
                 "price": price, "currency": "EUR", "match_confidence": 1.0}
                for name, price in (("SportShop", "48.00"), ("Decathlon", "52.00"))
            ]
        },
    )  # fmt: skip
    await store.post(
        "/v1/intelligence/sources",
        {"kind": "shopify", "name": "Amazon DE", "settings": {"shop_url": "https://a.example"}},
    )
    return ids


async def test_the_vocabulary_holds_the_stores_words(store: Store) -> None:
    # given a store with a category tree, an active product in two colours, a draft, two
    # observed competitors and a marketplace source
    ids = await _stocked(store)
    # when its vocabulary is loaded
    words = await store.vocabulary()
    # then it has the active product with its option values, not the draft
    assert [(p.id, p.name, p.category_id) for p in words.products] == [
        (ids["trail"], "Trail Runner Pro", ids["running"])
    ]
    assert words.products[0].options == {"colour": {"blue", "black"}, "size": {"42", "43"}}
    # and the categories with their paths, the competitors and the marketplace
    paths = {c.id: c.path for c in words.categories}
    assert paths == {ids["shoes"]: ("Shoes",), ids["running"]: ("Shoes", "Running shoes")}
    assert words.competitors == ["Decathlon", "SportShop"]
    assert words.marketplaces == ["Amazon DE"]
    # and a question is read against it
    got = route(
        "Am I cheaper than sportshop on blue running shoes?", words, today=date(2026, 12, 6)
    )
    assert got.intents == (Intent.PRICE_POSITION,)
    assert (got.scope.category_id, got.scope.competitor) == (ids["running"], "SportShop")
    assert got.scope.filters == {"colour": "blue"}


async def test_the_vocabulary_reads_at_most_its_limit_of_products(store: Store) -> None:
    # given a store with three active products
    for name in ("Aster Parka", "Borealis Tote", "Cobalt Vest"):
        await store.product(name, None, [{"colour": "teal"}], "active")
    # when its vocabulary is loaded with a limit of two, read one at a time
    words = await store.vocabulary(products=2, facts_batch=1)
    # then it holds two of them, each with its options
    assert len(words.products) == 2
    assert {p.name for p in words.products} <= {"Aster Parka", "Borealis Tote", "Cobalt Vest"}
    assert all(p.options == {"colour": {"teal"}} for p in words.products)
