"""Numbers out of range are the client's mistake, never the server's: a price filter, a
price cursor or an amount that is negative, huge or finer than a ten-thousandth is refused
with a 4xx problem (not a 500), and a refused write changes nothing."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from mercato.kernel.bootstrap import Kernel
from tests.integration.catalog.conftest import (
    ADMIN_HEADERS,
    counts,
    create_product,
    product_body,
)

Store = tuple[Kernel, httpx.AsyncClient]

OUT_OF_RANGE = ["-1e30", "1e30", "1000000000.01", "0.00001", "1e-999999999"]
"""Amounts no price can be: beyond a billion either way, or finer than 1/10,000."""
BOUNDS = ("min_price", "max_price")


def price_cursor(key: str, sort: str = "price_asc") -> str:
    raw = json.dumps([sort, key, "0190f1a2-0000-7000-8000-000000000001"]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# -- browsing ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [*OUT_OF_RANGE, "-1"])
async def test_a_price_filter_out_of_range_is_an_invalid_filter(store: Store, value: str) -> None:
    # given a listed product
    _, client = store
    await create_product(client, product_body())
    # when a shopper filters on a price no product can have, as either bound
    answers = [await client.get("/v1/products", params={bound: value}) for bound in BOUNDS]
    # then the filter is refused as such
    assert [(a.status_code, a.json()["code"]) for a in answers] == [(422, "invalid_filter")] * 2


async def test_price_filters_at_the_bounds_are_accepted(store: Store) -> None:
    # given a product at 19.99
    _, client = store
    product = await create_product(client, product_body(price="19.99"))
    # when filtering from 0 to a billion, with four decimals
    answer = await client.get(
        "/v1/products", params={"min_price": "0", "max_price": "1000000000.0000"}
    )
    narrow = await client.get(
        "/v1/products", params={"min_price": "19.9899", "max_price": "19.9901"}
    )
    # then the product is found by both
    assert [p["id"] for p in answer.json()["items"]] == [product["id"]]
    assert [p["id"] for p in narrow.json()["items"]] == [product["id"]]


@pytest.mark.parametrize("key", [*OUT_OF_RANGE, "-1"])
async def test_a_price_cursor_out_of_range_is_an_invalid_cursor(store: Store, key: str) -> None:
    # given a listed product
    _, client = store
    await create_product(client, product_body())
    # when a cursor of either price sort is forged with a price no product can have
    answers = [
        await client.get("/v1/products", params={"sort": sort, "cursor": price_cursor(key, sort)})
        for sort in ("price_asc", "price_desc")
    ]
    # then it is refused as a cursor this listing did not issue
    assert [(a.status_code, a.json()["code"]) for a in answers] == [(400, "invalid_cursor")] * 2


# -- writing ------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", OUT_OF_RANGE)
async def test_a_new_product_with_an_amount_out_of_range_is_refused(
    store: Store, amount: str
) -> None:
    # given a store
    kernel, client = store
    before = await counts(kernel)
    # when a product is created with the amount as a price or a compare-at price
    bodies = [product_body(price="10.00") for _ in range(3)]
    bodies[0]["variants"][0]["price"] = amount
    bodies[1]["variants"][0]["compare_at_price"] = amount
    bodies[2]["compare_at_price"] = amount
    answers = [
        await client.post("/v1/products", json=body, headers=ADMIN_HEADERS) for body in bodies
    ]
    # then each is refused, and nothing was written
    assert [(a.status_code, a.json()["code"]) for a in answers] == [
        (422, "validation_failed")
    ] * 3, [a.text for a in answers]
    assert await counts(kernel) == before


@pytest.mark.parametrize("amount", OUT_OF_RANGE)
async def test_changes_with_an_amount_out_of_range_are_refused(store: Store, amount: str) -> None:
    # given a product with one variant
    kernel, client = store
    product = await create_product(client, product_body(price="10.00"))
    path = f"/v1/products/{product['id']}"
    variant = f"{path}/variants/{product['variants'][0]['id']}"
    before = await counts(kernel)
    # when its amounts are changed to the amount, or a variant is added at it
    writes: list[tuple[str, str, dict[str, Any]]] = [
        ("PATCH", variant, {"price": amount}),
        ("PATCH", variant, {"compare_at_price": amount}),
        ("PATCH", path, {"compare_at_price": amount}),
        ("POST", f"{path}/variants", {"sku": "TEE-2", "price": amount}),
        ("POST", f"{path}/variants", {"sku": "TEE-2", "price": "5", "compare_at_price": amount}),
    ]
    answers = [
        await client.request(method, url, json=body, headers=ADMIN_HEADERS)
        for method, url, body in writes
    ]
    # then each is refused, and nothing changed
    assert [(a.status_code, a.json()["code"]) for a in answers] == [
        (422, "validation_failed")
    ] * len(writes), [a.text for a in answers]
    assert await counts(kernel) == before
    fetched = (await client.get(path)).json()
    assert (fetched["price"], fetched["compare_at_price"]) == ("10.00", None)
    assert [(v["price"], v["compare_at_price"]) for v in fetched["variants"]] == [("10.00", None)]
