"""Searching: words stemmed and matched as typed, the name weighing most, in-stock products
first, relaxed when no product has every word; facet counts equal to counting the matching
products one by one; a repeated search answered from its kept answer until the index
changes; bad input refused with a clear problem."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from prometheus_client import REGISTRY

from tests.integration.catalog.conftest import ADMIN_HEADERS
from tests.integration.search.conftest import Shop


async def test_plural_typing_and_accents_find_the_same_product(shop: Shop) -> None:
    await shop.product("Waxed Rain Jacket", attributes={"brand": "Nordvik"})
    await shop.product("Crème Brûlée Torch")
    for typed in ("jacket", "jackets", "JACKETS", "jac", "rain jack", "nordvik"):
        assert await shop.names(q=typed) == ["Waxed Rain Jacket"], typed
    assert await shop.names(q="creme brulee") == ["Crème Brûlée Torch"]
    # a word followed by a space is whole, not a prefix
    assert await shop.names(q="jac ") == []


async def test_the_name_weighs_more_than_the_description_and_stock_comes_first(shop: Shop) -> None:
    await shop.product("Travel Mug", description="Keeps a kettle's worth of tea hot")
    await shop.product("Stovetop Kettle", description="Whistles when the water boils")
    await shop.product("Electric Kettle", stock=0)
    names = await shop.names(q="kettle")
    assert names == ["Stovetop Kettle", "Travel Mug", "Electric Kettle"]


async def test_without_every_word_the_search_is_relaxed_and_says_so(shop: Shop) -> None:
    await shop.product("Wool Beanie")
    await shop.product("Wool Socks")
    found = await shop.search(q="wool scarf")
    assert found["relaxed"] is True
    assert sorted(h["product"]["name"] for h in found["items"]) == ["Wool Beanie", "Wool Socks"]
    assert (await shop.search(q="wool socks"))["relaxed"] is False


async def test_hits_mark_the_words_they_matched_escaping_the_rest(shop: Shop) -> None:
    await shop.product("<b>Bold</b> Tote Bag")
    (hit,) = (await shop.search(q="totes"))["items"]
    assert hit["highlights"]["name"] == "&lt;b&gt;Bold&lt;/b&gt; <mark>Tote</mark> Bag"
    assert hit["score"] > 0


async def test_pages_follow_the_cursor_without_repeats(shop: Shop) -> None:
    for n in range(7):
        await shop.product(f"Enamel Pin No. {n}")
    seen: list[str] = []
    params: dict[str, Any] = {"q": "pin", "limit": 3}
    while True:
        page = await shop.search(**params)
        seen += [h["product"]["name"] for h in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert sorted(seen) == sorted(f"Enamel Pin No. {n}" for n in range(7))


BRANDS = ["Alder", "Birch", "Cedar"]
COLOURS = ["red", "blue", "green", "black"]


async def test_facet_counts_equal_counting_the_matching_products(shop: Shop) -> None:
    """Seed-fixed random catalogues and filters: each facet's counts are what counting the
    matching products one by one gives."""
    rng = random.Random(20261205)
    made: list[dict[str, Any]] = []
    for n in range(24):
        brand, colour = rng.choice(BRANDS), rng.choice(COLOURS)
        price = Decimal(rng.randint(5, 400))
        stock = rng.choice([0, 3])
        word = rng.choice(["lantern", "candle"])
        await shop.product(
            f"{colour.title()} {word.title()} {n}",
            price=str(price),
            stock=stock,
            attributes={"brand": brand, "colour": colour},
        )
        made.append(
            {"brand": brand, "colour": colour, "price": price, "stock": stock, "word": word}
        )
    for _ in range(6):
        params: dict[str, Any] = {"limit": 100}
        keep = list(made)
        if rng.random() < 0.7:
            word = rng.choice(["lantern", "candle"])
            params["q"] = word
            keep = [m for m in keep if m["word"] == word]
        if rng.random() < 0.5:
            colour = rng.choice(COLOURS)
            params["attr"] = f"colour:{colour}"
            keep = [m for m in keep if m["colour"] == colour]
        if rng.random() < 0.5:
            params["max_price"] = "200"
            keep = [m for m in keep if m["price"] <= 200]
        if rng.random() < 0.3:
            params["in_stock"] = "true"
            keep = [m for m in keep if m["stock"]]
        found = await shop.search(**params)
        assert found["total_estimate"] == len(keep), params
        facets = found["facets"]
        assert _counts(facets.get("brand", [])) == _tally(m["brand"] for m in keep), params
        assert _counts(facets.get("attr:colour", [])) == _tally(m["colour"] for m in keep), params
        assert _counts(facets.get("in_stock", [])) == _tally(bool(m["stock"]) for m in keep)
        assert sum(f["count"] for f in facets.get("price", [])) == len(keep)


def _counts(values: list[dict[str, Any]]) -> dict[Any, int]:
    return {v["value"]: v["count"] for v in values}


def _tally(values: Any) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for value in values:
        out[value] = out.get(value, 0) + 1
    return out


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"cursor": "not-a-cursor"}, "invalid_search"),
        ({"min_price": "50", "max_price": "10"}, "invalid_search"),
        ({"max_price": "286612796.16038644"}, "invalid_search"),  # finer than 4 decimals
        ({"min_price": "0.00001"}, "invalid_search"),
        ({"attr": "colour"}, "invalid_search"),
        ({"category": "no-such-category"}, "invalid_search"),
        ({"sort": "random"}, "validation_failed"),
        ({"limit": "0"}, "validation_failed"),
        ({"min_price": "-1"}, "validation_failed"),
        ({"q": "x" * 201}, "validation_failed"),
    ],
)
async def test_bad_input_is_refused_with_a_problem(
    shop: Shop, params: dict[str, Any], code: str
) -> None:
    answer = await shop.client.get("/v1/search", params=params)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == code


async def test_symbols_and_operators_in_a_query_are_only_words(shop: Shop) -> None:
    await shop.product("Garden Hose")
    for typed in ('hose"', "hose OR NOT", "hose*", "(hose", "hose:*", "hose & !", "'; DROP"):
        found = await shop.search(q=typed)
        assert isinstance(found["items"], list), typed
    assert await shop.names(q='"hose"') == ["Garden Hose"]


async def test_a_repeated_search_is_answered_from_its_kept_answer_until_the_index_changes(
    shop: Shop,
) -> None:
    # given two products and a search once made
    lamp = await shop.product("Brass Lamp", price="40.00")
    await shop.product("Brass Bell", price="10.00")
    assert await shop.names(q="brass", sort="price_asc") == ["Brass Bell", "Brass Lamp"]
    # when it is made again, the engine is not asked: only the page's products are read
    before = statements_sent("GET /v1/search")
    assert await shop.names(q="brass", sort="price_asc") == ["Brass Bell", "Brass Lamp"]
    again = statements_sent("GET /v1/search") - before
    before = statements_sent("GET /v1/search")
    await shop.names(q="brass", sort="price_desc")  # not asked yet: the engine answers
    fresh = statements_sent("GET /v1/search") - before
    assert again < fresh, (again, fresh)
    # and when a price changes, the same search answers the new order at once
    variant = lamp["variants"][0]["id"]
    changed = await shop.client.patch(
        f"/v1/products/{lamp['id']}/variants/{variant}", json={"price": "5.00"},
        headers=ADMIN_HEADERS,
    )  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert await shop.names(q="brass", sort="price_asc") == ["Brass Lamp", "Brass Bell"]


def statements_sent(route: str) -> float:
    """The statements requests of `route` have sent so far (the kernel's own count)."""
    return REGISTRY.get_sample_value("mercato_sql_statements_total", {"route": route}) or 0.0
