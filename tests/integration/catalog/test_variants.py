"""Variants: adding and changing them keeps the product's price (the lowest active one),
search text and attribute rows in line, and a price change is published."""

from __future__ import annotations

import httpx

from mercato.kernel.bootstrap import Kernel
from tests.integration.catalog.conftest import (
    ADMIN_HEADERS,
    counts,
    create_product,
    event_payloads,
    product_body,
)
from tests.support.store import settle

Store = tuple[Kernel, httpx.AsyncClient]


async def test_an_added_variant_joins_the_product(store: Store) -> None:
    kernel, client = store
    product = await create_product(client, product_body(skus=("TEE-M",), price="20.00"))
    # when a cheaper variant is added
    answer = await client.post(
        f"/v1/products/{product['id']}/variants",
        json={"sku": "TEE-S", "title": "Small", "price": "18.00", "attributes": {"size": "S"}},
        headers=ADMIN_HEADERS,
    )
    # then it is answered, the product's price follows, and its SKU and attribute are found
    assert answer.status_code == 201, answer.text
    assert (answer.json()["sku"], answer.json()["price"]) == ("TEE-S", "18.00")
    fetched = (await client.get(f"/v1/products/{product['id']}")).json()
    assert fetched["price"] == "18.00"
    assert [v["sku"] for v in fetched["variants"]] == ["TEE-M", "TEE-S"]
    await settle(kernel)  # the search index answers `q`
    for params in ({"q": "tee-s"}, {"attr": "size:s"}):
        found = (await client.get("/v1/products", params=params)).json()["items"]
        assert [p["id"] for p in found] == [product["id"]]
    (updated,) = await event_payloads(kernel, "product.updated")
    assert updated == {"product_id": product["id"], "fields": ["variants", "price"]}


async def test_a_price_change_is_published_and_moves_the_product_price(store: Store) -> None:
    kernel, client = store
    product = await create_product(client, product_body(skus=("A", "B"), price="10.00"))
    b = product["variants"][1]
    # when one variant's price goes down
    answer = await client.patch(
        f"/v1/products/{product['id']}/variants/{b['id']}",
        json={"price": "7.5", "compare_at_price": "10.00"},
        headers=ADMIN_HEADERS,
    )
    # then it is answered, the product is listed at it, and product.price_changed says so
    assert answer.status_code == 200, answer.text
    assert (answer.json()["price"], answer.json()["compare_at_price"]) == ("7.50", "10.00")
    assert (await client.get(f"/v1/products/{product['id']}")).json()["price"] == "7.50"
    (changed,) = await event_payloads(kernel, "product.price_changed")
    assert changed == {
        "product_id": product["id"],
        "variant_id": b["id"],
        "sku": "B",
        "old_price": "10.00",
        "new_price": "7.50",
        "currency": "USD",
    }
    cheap = (await client.get("/v1/products", params={"max_price": "8"})).json()["items"]
    assert [p["id"] for p in cheap] == [product["id"]]


async def test_a_change_without_a_new_price_publishes_no_price_change(store: Store) -> None:
    kernel, client = store
    product = await create_product(client, product_body())
    variant = product["variants"][0]
    answer = await client.patch(
        f"/v1/products/{product['id']}/variants/{variant['id']}",
        json={"title": "Large", "price": "19.99"},
        headers=ADMIN_HEADERS,
    )
    assert answer.status_code == 200 and answer.json()["title"] == "Large"
    assert await event_payloads(kernel, "product.price_changed") == []


async def test_an_archived_variant_leaves_the_listing_and_the_price(store: Store) -> None:
    kernel, client = store
    product = await create_product(
        client, product_body(skus=("TEE-ALPHA", "TEE-BRAVO"), price="10.00")
    )
    cheap = product["variants"][1]
    await client.patch(
        f"/v1/products/{product['id']}/variants/{cheap['id']}",
        json={"price": "5.00"},
        headers=ADMIN_HEADERS,
    )
    # when the cheap variant is archived
    answer = await client.patch(
        f"/v1/products/{product['id']}/variants/{cheap['id']}",
        json={"status": "archived"},
        headers=ADMIN_HEADERS,
    )
    assert answer.status_code == 200 and answer.json()["status"] == "archived"
    # then the listing shows the other one only, at its price; its SKU no longer matches
    (listed,) = (await client.get("/v1/products")).json()["items"]
    assert listed["price"] == "10.00" and [v["sku"] for v in listed["variants"]] == ["TEE-ALPHA"]
    await settle(kernel)
    assert (await client.get("/v1/products", params={"q": "bravo"})).json()["items"] == []
    # and shoppers see the active one only, its merchant both
    shown = (await client.get(f"/v1/products/{product['id']}")).json()
    assert [v["sku"] for v in shown["variants"]] == ["TEE-ALPHA"]
    both = (await client.get(f"/v1/products/{product['id']}", headers=ADMIN_HEADERS)).json()
    assert [v["status"] for v in both["variants"]] == ["active", "archived"]


async def test_the_last_active_variant_cannot_be_archived(store: Store) -> None:
    kernel, client = store
    product = await create_product(client, product_body())
    before = await counts(kernel)
    answer = await client.patch(
        f"/v1/products/{product['id']}/variants/{product['variants'][0]['id']}",
        json={"status": "archived"},
        headers=ADMIN_HEADERS,
    )
    assert (answer.status_code, answer.json()["code"]) == (409, "last_active_variant")
    assert await counts(kernel) == before


async def test_variant_changes_are_checked(store: Store) -> None:
    kernel, client = store
    product = await create_product(client, product_body(price="10.00"))
    path = f"/v1/products/{product['id']}/variants/{product['variants'][0]['id']}"
    before = await counts(kernel)
    cases = [
        ({"price": "10.005"}, 422, "invalid_amount"),
        ({"compare_at_price": "9.00"}, 422, "invalid_compare_at_price"),
        ({"price": None}, 422, "validation_failed"),
        ({"sku": "RENAMED"}, 422, "validation_failed"),
    ]
    for body, status, code in cases:
        answer = await client.patch(path, json=body, headers=ADMIN_HEADERS)
        assert (answer.status_code, answer.json()["code"]) == (status, code), body
    unknown = await client.patch(
        f"/v1/products/{product['id']}/variants/nope", json={"title": "x"}, headers=ADMIN_HEADERS
    )
    assert unknown.status_code == 404
    assert await counts(kernel) == before


async def test_a_product_has_at_most_100_variants(store: Store) -> None:
    kernel, client = store
    product = await create_product(
        client, product_body(skus=tuple(f"V-{n}" for n in range(100)), price="1.00")
    )
    before = await counts(kernel)
    answer = await client.post(
        f"/v1/products/{product['id']}/variants",
        json={"sku": "V-100", "price": "1.00"},
        headers=ADMIN_HEADERS,
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "too_many_variants")
    assert await counts(kernel) == before
    too_many = product_body("Other", skus=tuple(f"W-{n}" for n in range(101)))
    answer = await client.post("/v1/products", json=too_many, headers=ADMIN_HEADERS)
    assert answer.status_code == 422
