"""Each store has its own catalog: products, SKUs, slugs and categories of one store are
invisible to another, whatever the filter."""

from __future__ import annotations

import httpx

from mercato.kernel.bootstrap import Kernel
from tests.integration.catalog.conftest import product_body
from tests.integration.identity.conftest import ADMIN, add_store, in_store
from tests.support.store import settle

Store = tuple[Kernel, httpx.AsyncClient]


async def test_stores_do_not_see_each_others_catalog(store: Store) -> None:
    kernel, client = store
    await add_store(kernel, "shop-b")
    a, b = in_store("default", ADMIN), in_store("shop-b", ADMIN)
    # given the same category slug, SKU and product slug in two stores
    products = {}
    for headers, colour in ((a, "red"), (b, "blue")):
        category = await client.post("/v1/categories", json={"name": "Kitchen"}, headers=headers)
        assert category.status_code == 201 and category.json()["slug"] == "kitchen"
        body = product_body("Mug", skus=("MUG-1",), category_id=category.json()["id"])
        body["variants"][0]["attributes"] = {"colour": colour}
        created = await client.post("/v1/products", json=body, headers=headers)
        assert created.status_code == 201, created.text  # SKUs are unique per store (BR013)
        assert created.json()["slug"] == "mug"
        products[colour] = created.json()["id"]
    # then each store's listing, whatever the filter, shows its own product only
    await settle(kernel)
    for params in ({}, {"category": "kitchen"}, {"q": "mug-1"}, {"attr": "colour:blue"}):
        listed = await client.get("/v1/products", params=params, headers=in_store("shop-b"))
        assert [p["id"] for p in listed.json()["items"]] == [products["blue"]], params
    assert (await client.get("/v1/products", params={"attr": "colour:blue"})).json()["items"] == []
    # and another store's product is not found by id, and a slug names each store's own
    answer = await client.get(f"/v1/products/{products['blue']}")
    assert answer.status_code == 404
    for headers, colour in ((a, "red"), (b, "blue")):
        by_slug = await client.get("/v1/products/mug", headers=headers)
        assert (by_slug.status_code, by_slug.json()["id"]) == (200, products[colour])
    tree = (await client.get("/v1/categories", headers=in_store("shop-b"))).json()["items"]
    assert [c["name"] for c in tree] == ["Kitchen"]
