"""Recommendations beside a product: similar ones from its category and words, and what
confirmed orders held with it; never the product itself, an archived or out-of-stock product,
or another store's; popularity follows confirmed orders and views; a view is of interest to
its viewer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from mercato.agents.search.models import SearchDocument
from mercato.agents.search.views import ViewLog
from mercato.kernel.context import bind
from tests.integration.catalog.conftest import ADMIN_HEADERS
from tests.integration.checkout.conftest import body, new_key
from tests.integration.identity.conftest import ADMIN, add_store, in_store
from tests.integration.search.conftest import Shop
from tests.support.store import settle


async def category(shop: Shop, name: str, headers: dict[str, str] = ADMIN_HEADERS) -> str:
    made = await shop.client.post("/v1/categories", json={"name": name}, headers=headers)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def recommended(shop: Shop, product: dict[str, Any], **params: Any) -> tuple[list[str], str]:
    await settle(shop.kernel)
    answer = await shop.client.get(f"/v1/products/{product['id']}/recommendations", params=params)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return [p["name"] for p in body["items"]], body["kind"]


async def order(shop: Shop, *products: dict[str, Any]) -> None:
    """A guest's confirmed order of one of each product."""
    client = shop.client
    session = {
        "X-Session-Token": (await client.post("/v1/sessions", json={})).json()["session_token"]
    }
    cart = (await client.post("/v1/carts", headers=session)).json()
    for product in products:
        added = await client.post(
            f"/v1/carts/{cart['id']}/items",
            json={"variant_id": product["variants"][0]["id"], "quantity": 1},
            headers=session,
        )
        assert added.status_code in (200, 201), added.text
    placed = await client.post(
        "/v1/checkout", json=body(cart), headers={**session, "Idempotency-Key": new_key()}
    )
    assert placed.status_code == 201, placed.text


async def test_similar_products_share_the_category_and_words_and_are_for_sale(shop: Shop) -> None:
    kitchen, garden = await category(shop, "Kitchen"), await category(shop, "Garden")
    skillet = await shop.product("Cast Iron Skillet", category_id=kitchen)
    await shop.product("Cast Iron Griddle", category_id=kitchen)
    await shop.product("Enamel Skillet", category_id=kitchen)
    await shop.product("Iron Skillet Lid", category_id=kitchen, stock=0)  # out of stock
    gone = await shop.product("Carbon Skillet", category_id=kitchen)
    await shop.client.delete(f"/v1/products/{gone['id']}", headers=ADMIN_HEADERS)  # archived
    await shop.product("Cast Iron Garden Bench", category_id=garden)  # another category
    names, kind = await recommended(shop, skillet)
    assert kind == "similar"
    # (which of the two comes first is their meaning's to say, and a vector varies a little
    # with the products it was embedded beside)
    assert set(names) == {"Cast Iron Griddle", "Enamel Skillet"}


async def test_bought_together_follows_confirmed_orders_and_stands_in_while_cold(
    shop: Shop,
) -> None:
    kitchen = await category(shop, "Kitchen")
    pan = await shop.product("Frying Pan", category_id=kitchen, stock=20)
    spatula = await shop.product("Silicone Spatula", category_id=kitchen, stock=20)
    oil = await shop.product("Seasoning Oil", category_id=kitchen, stock=20)
    # while nobody has bought the pan with anything, similar products stand in, and say so
    names, kind = await recommended(shop, pan, kind="bought_together")
    assert kind == "similar"
    # when two orders hold the pan and the spatula, and one the pan and the oil
    await order(shop, pan, spatula)
    await order(shop, pan, spatula)
    await order(shop, pan, oil)
    names, kind = await recommended(shop, pan, kind="bought_together")
    assert (kind, names) == ("bought_together", ["Silicone Spatula", "Seasoning Oil"])
    names, _ = await recommended(shop, oil, kind="bought_together")
    assert names == ["Frying Pan"]
    # and each confirmed order made its products more popular
    with bind(tenant_id="default"):
        async with shop.kernel.uow(writes=False) as uow:
            popularity = dict(
                (
                    await uow.session.execute(
                        select(SearchDocument.name, SearchDocument.popularity)
                    )
                ).all()
            )
    assert popularity["Frying Pan"] == 3 and popularity["Silicone Spatula"] == 2


async def test_no_recommendation_for_a_product_not_for_sale_nor_from_another_store(
    shop: Shop,
) -> None:
    await add_store(shop.kernel, "shop-b")
    theirs = in_store("shop-b", ADMIN)
    their_kitchen = await category(shop, "Kitchen", headers=theirs)
    await shop.product("Copper Kettle", headers=theirs, category_id=their_kitchen)
    kitchen = await category(shop, "Kitchen")
    kettle = await shop.product("Enamel Kettle", category_id=kitchen)
    draft = await shop.product("Steel Kettle", category_id=kitchen, status="draft")
    names, _ = await recommended(shop, kettle)
    assert names == []
    answer = await shop.client.get(f"/v1/products/{draft['id']}/recommendations")
    assert answer.status_code == 404
    unknown = await shop.client.get("/v1/products/no-such-product/recommendations")
    assert unknown.status_code == 404
    bad = await shop.client.get(
        f"/v1/products/{kettle['id']}/recommendations", params={"kind": "random"}
    )
    assert bad.status_code == 422


async def test_for_you_starts_from_the_cart_and_a_first_visit_gets_what_is_popular(
    shop: Shop,
) -> None:
    client = shop.client
    kitchen = await category(shop, "Kitchen")
    pan = await shop.product("Frying Pan", category_id=kitchen, stock=30)
    spatula = await shop.product("Silicone Spatula", category_id=kitchen, stock=30)
    await shop.product("Paper Napkins", stock=30)
    sold_out = await shop.product("Pan Lid", category_id=kitchen, stock=1)
    await order(shop, pan, spatula)
    await order(shop, pan, sold_out)  # its last unit: out of stock now
    # a first visit (no history) gets what is popular now, in stock only
    await settle(shop.kernel)
    cold = (await client.get("/v1/recommendations/for-you")).json()
    assert cold["kind"] == "trending"
    assert [p["name"] for p in cold["items"]][:2] == ["Frying Pan", "Silicone Spatula"]
    assert "Pan Lid" not in [p["name"] for p in cold["items"]]
    # a guest who puts the pan in its cart is offered what goes with it, not the pan
    session = (await client.post("/v1/sessions", json={})).json()["session_token"]
    guest = {"X-Session-Token": session}
    cart = (await client.post("/v1/carts", headers=guest)).json()
    await client.post(
        f"/v1/carts/{cart['id']}/items",
        json={"variant_id": pan["variants"][0]["id"], "quantity": 1},
        headers=guest,
    )
    await settle(shop.kernel)
    mine = (await client.get("/v1/recommendations/for-you", headers=guest)).json()
    names = [p["name"] for p in mine["items"]]
    assert mine["kind"] == "for_you"
    assert names[0] == "Silicone Spatula"
    assert "Frying Pan" not in names and "Pan Lid" not in names


async def test_a_view_makes_a_product_more_popular_and_of_interest_to_its_viewer(
    shop: Shop,
) -> None:
    client = shop.client
    kitchen = await category(shop, "Kitchen")
    await shop.product("Frying Pan", category_id=kitchen)
    kettle = await shop.product("Steel Kettle", category_id=kitchen)
    await shop.product("Copper Kettle", category_id=kitchen)
    # given a guest who looks at the steel kettle twice, and someone unknown once
    session = (await client.post("/v1/sessions", json={})).json()["session_token"]
    guest = {"X-Session-Token": session}
    for headers in (guest, guest, {}):
        seen = await client.post(
            "/v1/search/views", json={"product_id": kettle["id"]}, headers=headers
        )
        assert seen.status_code == 204
    # and a view of a product that does not exist, which counts for nothing
    ghost = await client.post("/v1/search/views", json={"product_id": "no-such-product"})
    assert ghost.status_code == 204
    # when the process writes what it holds
    await settle(shop.kernel)
    assert await shop.kernel.deps(ViewLog).flush(shop.kernel) == 4
    # then the kettle is the most popular product (three views: 0.3)
    cold = (await client.get("/v1/recommendations/for-you")).json()
    assert cold["kind"] == "trending" and cold["items"][0]["name"] == "Steel Kettle"
    # and the guest is offered what is like it, not the kettle itself
    mine = (await client.get("/v1/recommendations/for-you", headers=guest)).json()
    assert mine["kind"] == "for_you"
    assert mine["items"][0]["name"] == "Copper Kettle"
    assert "Steel Kettle" not in [p["name"] for p in mine["items"]]


async def test_a_view_of_nothing_sensible_is_refused(shop: Shop) -> None:
    for body_ in ({}, {"product_id": ""}, {"product_id": "x" * 500}, {"product_id": 5}):
        answer = await shop.client.post("/v1/search/views", json=body_)
        assert answer.status_code == 422, body_
    assert await shop.kernel.deps(ViewLog).flush(shop.kernel) == 0


async def test_similar_finds_a_product_alike_in_meaning_without_a_shared_word(shop: Shop) -> None:
    # given a fleece, a sweater (no word in common) and a mug made last, in one category
    things = await category(shop, "Things")
    fleece = await shop.product(
        "Polar Fleece Pullover", category_id=things, description="Warm layer for cold days."
    )
    await shop.product("Wool Knit Sweater", category_id=things, description="A cosy jumper.")
    await shop.product("Enamel Mug", category_id=things, description="For coffee.")
    await shop.settle()
    # when the product most like the fleece is asked for
    answer = await shop.client.get(
        f"/v1/products/{fleece['id']}/recommendations", params={"kind": "similar", "limit": 1}
    )
    # then it is the sweater, by meaning (the category's newest would be the mug)
    assert [p["name"] for p in answer.json()["items"]] == ["Wool Knit Sweater"]
