"""Search by meaning (issue 15, item 4): the products' vectors are made in the background, a
query finds what it means even without any of its words, the two rankings are fused, and a
product is never found by what it used to mean nor in another store."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from mercato.agents.search.log import QueryLog
from mercato.agents.search.models import SearchVector
from mercato.kernel import context
from tests.conftest import eventually
from tests.integration.catalog.conftest import ADMIN_HEADERS
from tests.integration.identity.conftest import ADMIN, add_store, in_store
from tests.integration.search.conftest import Shop
from tests.support.store import settle

CATALOGUE = [
    ("Polar Fleece Pullover", "Brushed fleece that keeps the cold out on the trail."),
    ("Leather Trail Boots", "Waterproof boots with a grippy sole for long walks."),
    ("Linen Beach Shirt", "An airy shirt for hot afternoons by the sea."),
    ("Cast Iron Skillet", "Sears and bakes; seasoned before it ships."),
    ("Braided Charging Cable", "A two metre cable for phones and tablets."),
    ("Ceramic Table Lamp", "A warm light for the bedside table."),
]


async def _catalogue(shop: Shop) -> None:
    for name, description in CATALOGUE:
        await shop.product(name, description=description)


async def test_a_query_finds_what_it_means_without_its_words(shop: Shop) -> None:
    # given a catalogue in which no product has the words "winter" or "hiking"
    await _catalogue(shop)
    # when a shopper asks for something warm for winter hiking, by meaning alone
    meant = await shop.names(q="something warm for winter hiking", mode="semantic")
    # then the fleece and the boots come first, and the skillet and the cable not at all
    assert set(meant[:2]) == {"Polar Fleece Pullover", "Leather Trail Boots"}, meant
    assert "Cast Iron Skillet" not in meant and "Braided Charging Cable" not in meant
    # and by words alone nothing has them all: the relaxed answer is the lamp's "warm"
    lexical = await shop.search(q="something warm for winter hiking", mode="lexical")
    assert lexical["relaxed"] and [h["product"]["name"] for h in lexical["items"]] == [
        "Ceramic Table Lamp"
    ]
    # and fused, the fleece and the boots are found beside it
    hybrid = await shop.names(q="something warm for winter hiking")
    assert {"Polar Fleece Pullover", "Leather Trail Boots"} <= set(hybrid[:3]), hybrid
    assert "Cast Iron Skillet" not in hybrid


async def test_a_product_in_both_rankings_comes_before_one_in_either(shop: Shop) -> None:
    # given products of which one has the word and the meaning, one the meaning only
    await _catalogue(shop)
    # when a shopper asks for a frying pan and a phone cable
    assert (await shop.names(q="frying pan"))[0] == "Cast Iron Skillet"
    found = await shop.search(q="phone cable")
    # then the cable, matched by its words and its meaning, is first, with its words marked
    first = found["items"][0]
    assert first["product"]["name"] == "Braided Charging Cable"
    assert first["highlights"] == {"name": "Braided Charging <mark>Cable</mark>"}
    assert first["score"] >= max(hit["score"] for hit in found["items"])


async def test_vectors_are_made_in_the_background_and_follow_each_change(shop: Shop) -> None:
    # given a product just made, before anything embeds it in a request
    lamp = await shop.product("Brass Desk Lamp", description="A lamp for reading at a desk.")
    await settle(shop.kernel)
    # then the store's embedder (a periodic job) makes its vector on its own
    await eventually(lambda: _vectors(shop, "default"), within=20)
    assert await shop.names(q="reading light", mode="semantic") == ["Brass Desk Lamp"]
    # when it becomes something else entirely
    renamed = await shop.client.patch(
        f"/v1/products/{lamp['id']}",
        json={"name": "Wool Winter Scarf", "description": "A thick scarf for cold mornings."},
        headers=ADMIN_HEADERS,
    )
    assert renamed.status_code == 200
    # then it is found by its new meaning and not by its old one
    assert await shop.names(q="something to keep my neck warm", mode="semantic") == [
        "Wool Winter Scarf"
    ]
    assert await shop.names(q="reading light", mode="semantic") == []
    # and when it is archived its vector goes with it
    await shop.client.delete(f"/v1/products/{lamp['id']}", headers=ADMIN_HEADERS)
    await shop.settle()
    assert not await _vectors(shop, "default")


async def test_the_facets_of_a_fused_answer_count_what_it_lists(shop: Shop) -> None:
    # given products found by words and by meaning, in two colours
    for name, description in CATALOGUE:
        colour = "black" if "Boots" in name or "Lamp" in name else "grey"
        await shop.product(name, description=description, attributes={"colour": colour})
    # when a fused search lists every match
    found = await shop.search(q="warm clothes for a cold hike", limit=100)
    listed = [hit["product"] for hit in found["items"]]
    # then the total and each facet count exactly the products listed
    assert found["total_estimate"] == len(listed) > 0
    colours: dict[str, int] = {}
    for product in listed:
        colour = product["attributes"]["colour"]
        colours[colour] = colours.get(colour, 0) + 1
    assert {f["value"]: f["count"] for f in found["facets"]["attr:colour"]} == colours
    assert sum(f["count"] for f in found["facets"]["in_stock"]) == len(listed)


async def test_another_stores_products_are_never_found_by_meaning(shop: Shop) -> None:
    # given a fleece in another store and boots in this one
    await add_store(shop.kernel, "shop-b")
    fleece, boots = CATALOGUE[0], CATALOGUE[1]
    await shop.product(fleece[0], description=fleece[1], headers=in_store("shop-b", ADMIN))
    await shop.product(boots[0], description=boots[1])
    # when this store's shopper asks by meaning, only this store's product can answer
    names = await shop.names(q="something warm for winter hiking", mode="semantic")
    assert names == ["Leather Trail Boots"]
    # and the other store's shopper finds only the fleece
    found = await shop.search(
        headers=in_store("shop-b"), q="something warm for winter hiking", mode="semantic"
    )
    assert [h["product"]["name"] for h in found["items"]] == ["Polar Fleece Pullover"]


async def test_without_the_setting_meaning_is_never_asked(shop: Shop) -> None:
    # given a deployment that turned meaning off
    shop.kernel.settings.search_semantic = False
    await _catalogue(shop)
    # then a query without the products' words finds only what its words relax to
    assert await shop.names(q="something warm for winter hiking") == ["Ceramic Table Lamp"]
    assert await shop.names(q="something warm for winter hiking", mode="semantic") == []


async def _vectors(shop: Shop, store: str) -> Any:
    with context.bind(tenant_id=store):
        async with shop.kernel.uow(writes=False) as uow:
            return await uow.session.scalar(select(func.count()).select_from(SearchVector))


async def test_a_query_nothing_answers_falls_back_to_the_nearest_by_meaning(shop: Shop) -> None:
    # given a catalogue none of whose products has the words or means them closely enough
    shop.kernel.settings.search_semantic_min_similarity = 0.99
    await _catalogue(shop)
    # when a shopper asks for it
    found = await shop.search(q="protect my toes from puddles")
    # then the nearest by meaning answer, said to be relaxed and the nearest, rather than
    # nothing
    assert found["relaxed"] and found["nearest"] and found["items"], found
    assert found["items"][0]["product"]["name"] == "Leather Trail Boots"
    # and it is logged as a search that found nothing
    await shop.kernel.deps(QueryLog).flush(shop.kernel)
    insights = await shop.client.get("/v1/search/insights", headers=ADMIN_HEADERS)
    zero = [row["query"] for row in insights.json()["zero_results"]]
    assert zero == ["protect my toes from puddles"]
    # and a query that means nothing near any product still answers nothing
    nothing = await shop.search(q="quantum tax advice")
    assert nothing["items"] == [] and not nothing["nearest"]
