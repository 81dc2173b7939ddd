"""The index follows the catalog's events: a product is searchable once created, found by its
new name once renamed, gone once archived, filtered by its new price, and out of the in-stock
filter once sold out; another store's products never appear. (The words' index: the
meaning's follows each change too, `test_meaning`.)"""

from __future__ import annotations

from tests.integration.catalog.conftest import ADMIN_HEADERS
from tests.integration.identity.conftest import ADMIN, add_store, in_store
from tests.integration.search.conftest import Shop


async def test_each_catalog_change_reaches_the_index(shop: Shop) -> None:
    client = shop.client
    # given a product just created
    lamp = await shop.product("Brass Desk Lamp", price="40.00", stock=2)
    assert await shop.names(q="lamp", mode="lexical") == ["Brass Desk Lamp"]
    # when it is renamed, it is found by its new name and no longer by the old one
    renamed = await client.patch(
        f"/v1/products/{lamp['id']}", json={"name": "Walnut Reading Light"}, headers=ADMIN_HEADERS
    )
    assert renamed.status_code == 200
    assert await shop.names(q="walnut", mode="lexical") == ["Walnut Reading Light"]
    assert await shop.names(q="brass", mode="lexical") == []
    # when its price changes, the price filter follows
    variant = lamp["variants"][0]["id"]
    await client.patch(
        f"/v1/products/{lamp['id']}/variants/{variant}",
        json={"price": "90.00"},
        headers=ADMIN_HEADERS,
    )
    assert await shop.names(q="walnut", mode="lexical", max_price="50") == []
    assert await shop.names(q="walnut", mode="lexical", min_price="80") == ["Walnut Reading Light"]
    # when its stock is sold (counted to zero), it leaves the in-stock filter but stays findable
    await shop.client.post(
        "/v1/inventory/adjustments",
        json={"sku": lamp["variants"][0]["sku"], "location_id": shop.location_id, "counted": 0,
              "reason": "count"},
        headers=ADMIN_HEADERS,
    )  # fmt: skip
    assert await shop.names(q="walnut", mode="lexical", in_stock="true") == []
    found = await shop.names(q="walnut", mode="lexical", in_stock="false")
    assert found == ["Walnut Reading Light"]
    # when it is archived, it is gone
    await client.delete(f"/v1/products/{lamp['id']}", headers=ADMIN_HEADERS)
    assert await shop.names(q="walnut", mode="lexical") == []


async def test_a_draft_is_not_searchable_until_it_is_active(shop: Shop) -> None:
    draft = await shop.product("Linen Apron", status="draft")
    assert await shop.names(q="apron", mode="lexical") == []
    await shop.client.patch(
        f"/v1/products/{draft['id']}", json={"status": "active"}, headers=ADMIN_HEADERS
    )
    assert await shop.names(q="apron", mode="lexical") == ["Linen Apron"]


async def test_another_stores_products_never_appear(shop: Shop) -> None:
    await add_store(shop.kernel, "shop-b")
    theirs = in_store("shop-b", ADMIN)
    await shop.product("Copper Kettle", headers=theirs)
    await shop.product("Enamel Kettle")
    assert await shop.names(q="kettle", mode="lexical") == ["Enamel Kettle"]
    found = await shop.search(headers=in_store("shop-b"), q="kettle")
    assert [h["product"]["name"] for h in found["items"]] == ["Copper Kettle"]
    assert found["facets"]["brand"] == [] and found["total_estimate"] == 1
