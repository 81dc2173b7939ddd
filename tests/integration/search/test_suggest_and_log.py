"""Suggestions while a shopper types, and the query log: each search recorded (zero-result
ones too), clicks tied to their search, and what staff read of them."""

from __future__ import annotations

from mercato.agents.search.log import QueryLog
from tests.integration.catalog.conftest import ADMIN_HEADERS
from tests.integration.identity.conftest import sign_up
from tests.integration.search.conftest import Shop


async def test_typing_suggests_completions_products_and_categories(shop: Shop) -> None:
    outdoor = await shop.client.post(
        "/v1/categories", json={"name": "Outdoor"}, headers=ADMIN_HEADERS
    )
    category = outdoor.json()["id"]
    for n in range(3):
        await shop.product(f"Rain Jacket {n}", category_id=category)
    await shop.product("Jackfruit Chips")
    await shop.search(q="warm up")  # settle the index
    answer = await shop.client.get("/v1/search/suggest", params={"q": "rain jac"})
    assert answer.status_code == 200, answer.text
    suggested = answer.json()
    assert suggested["queries"][0] == "rain jacket"
    assert {p["name"] for p in suggested["products"]} == {f"Rain Jacket {n}" for n in range(3)}
    assert suggested["products"][0]["highlight"].count("<mark>") == 2
    assert suggested["categories"] == [{"id": category, "name": "Outdoor", "count": 3}]
    # the most common completion first: "jacket" (3 products) before "jackfruit" (1)
    alone = (await shop.client.get("/v1/search/suggest", params={"q": "jac"})).json()
    assert alone["queries"][:2] == ["jacket", "jackfruit"]
    empty = (await shop.client.get("/v1/search/suggest", params={"q": "  "})).json()
    assert empty == {"queries": [], "products": [], "categories": []}


async def test_searches_and_clicks_are_logged_and_staff_read_what_they_show(shop: Shop) -> None:
    client = shop.client
    await shop.product("Canvas Tote")
    tote = await shop.search(q="tote")
    for _ in range(2):
        await shop.search(q="unicorn saddle")
    await shop.search(q="tote", cursor=tote["next_cursor"]) if tote["next_cursor"] else None
    clicked = await client.post(
        "/v1/search/clicks",
        json={
            "query_id": tote["query_id"],
            "product_id": tote["items"][0]["product"]["id"],
            "position": 0,
        },
    )
    assert clicked.status_code == 204
    await shop.kernel.deps(QueryLog).flush(shop.kernel)
    staff = await sign_up(client, "support")
    answer = await client.get("/v1/search/insights", headers=staff.headers)
    assert answer.status_code == 200, answer.text
    insights = answer.json()
    assert insights["searches"] == 3
    assert {"query": "tote", "searches": 1, "clicks": 1, "results": 1} in insights["top_queries"]
    assert insights["zero_results"] == [{"query": "unicorn saddle", "searches": 2, "clicks": 0,
                                         "results": None}]  # fmt: skip
    # and the index's state: every product in it, its meaning made
    index = insights["index"]
    assert index["meaning_pending"] == 0 and index["products"] >= 1 and index["last_indexed_at"]
    shopper = await sign_up(client, "customer")
    assert (await client.get("/v1/search/insights", headers=shopper.headers)).status_code == 403
    bad = await client.post("/v1/search/clicks", json={"query_id": "q", "position": -1})
    assert bad.status_code == 422
