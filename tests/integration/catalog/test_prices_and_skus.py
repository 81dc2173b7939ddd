"""Prices are positive (BR012), a free product is explicit (EC010), amounts fit their
currency, compare-at prices are higher, and SKUs are unique in the store (BR013), even
under concurrent creation. A refused product writes nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from mercato.kernel.bootstrap import Kernel
from tests.integration.catalog.conftest import (
    ADMIN_HEADERS,
    counts,
    create_product,
    event_payloads,
    product_body,
)

Store = tuple[Kernel, httpx.AsyncClient]


async def refused(
    kernel: Kernel, client: httpx.AsyncClient, body: dict[str, Any], status: int, code: str
) -> dict[str, Any]:
    """POST the body, expect the problem, and check nothing was written."""
    before = await counts(kernel)
    answer = await client.post("/v1/products", json=body, headers=ADMIN_HEADERS)
    assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
    assert await counts(kernel) == before
    problem: dict[str, Any] = answer.json()
    return problem


# -- BR012 and EC010 ---------------------------------------------------------------------


@pytest.mark.business_rule("BR012")
@pytest.mark.parametrize("price", ["-1.00", "0", "0.00"])
async def test_br012_a_price_must_be_positive(store: Store, price: str) -> None:
    kernel, client = store
    body = product_body(skus=("A-1", "A-2"), price="5.00")
    body["variants"][1]["price"] = price
    problem = await refused(kernel, client, body, 422, "br012_positive_price")
    assert problem["rule"] == "BR012" and "is_free" in problem["detail"]


@pytest.mark.business_rule("BR012")
async def test_br012_a_variant_added_or_repriced_at_zero_is_refused(store: Store) -> None:
    kernel, client = store
    product = await create_product(client, product_body())
    variant = product["variants"][0]
    before = await counts(kernel)
    added = await client.post(
        f"/v1/products/{product['id']}/variants",
        json={"sku": "TEE-2", "price": "0"},
        headers=ADMIN_HEADERS,
    )
    repriced = await client.patch(
        f"/v1/products/{product['id']}/variants/{variant['id']}",
        json={"price": "-3"},
        headers=ADMIN_HEADERS,
    )
    assert [(a.status_code, a.json()["code"]) for a in (added, repriced)] == [
        (422, "br012_positive_price")
    ] * 2
    assert await counts(kernel) == before


@pytest.mark.edge_case("EC010")
async def test_ec010_a_free_product_is_marked_free_and_priced_zero(store: Store) -> None:
    _, client = store
    # when a product is marked free with its prices at 0
    product = await create_product(
        client, product_body("Gift Wrap", skus=("WRAP-1",), price="0", is_free=True)
    )
    # then it is listed as free, at 0.00
    assert (product["is_free"], product["price"], product["variants"][0]["price"]) == (
        True,
        "0.00",
        "0.00",
    )
    listed = (await client.get("/v1/products", params={"max_price": "0"})).json()["items"]
    assert [p["id"] for p in listed] == [product["id"]]


@pytest.mark.edge_case("EC010")
@pytest.mark.business_rule("BR012")
async def test_ec010_a_free_product_with_a_price_is_refused(store: Store) -> None:
    kernel, client = store
    body = product_body(skus=("WRAP-1", "WRAP-2"), price="0", is_free=True)
    body["variants"][1]["price"] = "1.00"
    problem = await refused(kernel, client, body, 422, "br012_positive_price")
    assert "free" in problem["detail"]


@pytest.mark.edge_case("EC010")
async def test_ec010_a_free_product_cannot_be_repriced(store: Store) -> None:
    kernel, client = store
    product = await create_product(client, product_body(price="0", is_free=True))
    before = await counts(kernel)
    answer = await client.patch(
        f"/v1/products/{product['id']}/variants/{product['variants'][0]['id']}",
        json={"price": "2.00"},
        headers=ADMIN_HEADERS,
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "br012_positive_price")
    assert await counts(kernel) == before


# -- amounts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "price"), [("USD", "19.999"), ("JPY", "100.5"), ("KWD", "1.0005")]
)
async def test_a_price_finer_than_its_currency_is_refused(
    store: Store, currency: str, price: str
) -> None:
    kernel, client = store
    await refused(
        kernel, client, product_body(price=price, currency=currency), 422, "invalid_amount"
    )


async def test_prices_follow_their_currency(store: Store) -> None:
    _, client = store
    yen = await create_product(client, product_body(skus=("JP-1",), price="1500", currency="JPY"))
    dinar = await create_product(
        client, product_body(skus=("KW-1",), price="1.250", currency="KWD")
    )
    assert (yen["price"], yen["currency"]) == ("1500", "JPY")
    assert dinar["price"] == "1.250"


@pytest.mark.parametrize("compare_at", ["19.99", "10.00"])
async def test_a_compare_at_price_must_be_above_the_price(store: Store, compare_at: str) -> None:
    kernel, client = store
    body = product_body(price="19.99")
    body["variants"][0]["compare_at_price"] = compare_at
    await refused(kernel, client, body, 422, "invalid_compare_at_price")


# -- BR013 -------------------------------------------------------------------------------


@pytest.mark.business_rule("BR013")
async def test_br013_a_sku_in_use_is_409_and_writes_nothing(store: Store) -> None:
    kernel, client = store
    await create_product(client, product_body(skus=("SKU-1",)))
    problem = await refused(
        kernel, client, product_body("Other", skus=("SKU-2", "SKU-1")), 409, "br013_unique_sku"
    )
    assert problem["skus"] == ["SKU-1"]


@pytest.mark.business_rule("BR013")
async def test_br013_a_sku_repeated_in_one_body_is_409(store: Store) -> None:
    kernel, client = store
    problem = await refused(
        kernel, client, product_body(skus=("SKU-1", "SKU-1")), 409, "br013_unique_sku"
    )
    assert problem["skus"] == ["SKU-1"]


@pytest.mark.business_rule("BR013")
async def test_br013_a_variant_added_with_a_used_sku_is_409(store: Store) -> None:
    kernel, client = store
    first = await create_product(client, product_body(skus=("SKU-1",)))
    await create_product(client, product_body("Other", skus=("SKU-2",)))
    before = await counts(kernel)
    answer = await client.post(
        f"/v1/products/{first['id']}/variants",
        json={"sku": "SKU-2", "price": "3.00"},
        headers=ADMIN_HEADERS,
    )
    assert (answer.status_code, answer.json()["code"]) == (409, "br013_unique_sku")
    assert await counts(kernel) == before


@pytest.mark.business_rule("BR013")
async def test_br013_concurrent_creations_of_one_sku_make_exactly_one_product(
    store: Store,
) -> None:
    kernel, client = store
    # when eight requests create products with the same SKU at once
    answers = await asyncio.gather(
        *(
            client.post(
                "/v1/products",
                json=product_body(f"Racer {n}", skus=("RACE-1",)),
                headers=ADMIN_HEADERS,
            )
            for n in range(8)
        )
    )
    # then exactly one is created, the others are 409 br013_unique_sku
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] + [409] * 7
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"br013_unique_sku"}
    after = await counts(kernel)
    assert (after.products, after.variants) == (1, 1)
    assert len(await event_payloads(kernel, "product.created")) == 1


async def test_concurrent_creations_of_one_name_get_distinct_slugs(store: Store) -> None:
    _, client = store
    answers = await asyncio.gather(
        *(
            client.post(
                "/v1/products",
                json=product_body("Same Name", skus=(f"SAME-{n}",)),
                headers=ADMIN_HEADERS,
            )
            for n in range(5)
        )
    )
    assert [a.status_code for a in answers] == [201] * 5
    assert sorted(a.json()["slug"] for a in answers) == [
        "same-name",
        "same-name-2",
        "same-name-3",
        "same-name-4",
        "same-name-5",
    ]
