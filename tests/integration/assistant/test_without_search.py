"""A deployment without the search agent: the assistant finds products by the catalogue's
names (typos forgiven) and still shops."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from mercato.kernel.agent import INSTALLED_AGENTS
from mercato.kernel.config import Settings
from tests.integration.assistant.conftest import Store
from tests.integration.search.conftest import Shop
from tests.support.store import store_for


@pytest.fixture
async def bare(settings: Settings) -> AsyncIterator[Store]:
    without = settings.model_copy(update={"agents": [a for a in INSTALLED_AGENTS if a != "search"]})
    async with store_for(without) as (kernel, client):
        store = Store(Shop(kernel, client))
        await store.product("Alpine Merino Hoodie", price="59.00", options={"size": ["S", "M"]})
        await store.product("Nordic Stoneware Mug", price="14.00")
        await store.settle()
        yield store


async def test_products_are_found_by_the_catalogues_names(bare: Store) -> None:
    assert "search" not in bare.kernel.registry.agents
    chat = await bare.guest()
    found = await chat.say("show me merino hodies")
    assert [c["name"] for c in found["cards"] if c["type"] == "product"] == ["Alpine Merino Hoodie"]
    added = await chat.say("add the nordic mug to my cart")
    assert added["actions"][0]["type"] == "cart.item_added"
    similar = await chat.say("show me something similar")
    assert "Nordic Stoneware Mug" not in [c["name"] for c in similar["cards"]]
