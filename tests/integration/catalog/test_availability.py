"""Availability is a read model of inventory's events (ADR 9): each variant's `available`
and each product's `in_stock` follow adjustments, transfers, reservations, releases and
commits made through the inventory API, and re-handling an event changes nothing."""

from __future__ import annotations

from typing import Any

import httpx

from mercato.agents.catalog import service
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.context import bind
from tests.integration.catalog.conftest import (
    ADMIN_HEADERS,
    TENANT,
    create_product,
    product_body,
)
from tests.support.store import settle

Store = tuple[Kernel, httpx.AsyncClient]


async def post(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = await client.post(path, json=body, headers=ADMIN_HEADERS)
    assert answer.status_code in {200, 201}, answer.text
    result: Any = answer.json()
    return result if isinstance(result, dict) else {"items": result}


async def location(client: httpx.AsyncClient, code: str) -> str:
    return (await post(client, "/v1/inventory/locations", {"code": code, "name": code}))["id"]


async def stock_of(client: httpx.AsyncClient, product_id: str) -> tuple[bool, list[int]]:
    """(in_stock, each variant's available) as a shopper sees the product."""
    product = (await client.get(f"/v1/products/{product_id}")).json()
    return product["in_stock"], [v["available"] for v in product["variants"]]


async def in_stock_listing(client: httpx.AsyncClient) -> list[str]:
    answer = await client.get("/v1/products", params={"in_stock": True})
    return [p["id"] for p in answer.json()["items"]]


async def test_availability_follows_inventory(store: Store) -> None:
    kernel, client = store
    # given a product with two variants, no stock, two warehouses
    product = await create_product(client, product_body(skus=("TEE-S", "TEE-M")))
    small, medium = (v["id"] for v in product["variants"])
    east, west = await location(client, "EAST"), await location(client, "WEST")
    assert await stock_of(client, product["id"]) == (False, [0, 0])

    # when 5 units of the small one are received in the east
    await post(
        client,
        "/v1/inventory/adjustments",
        {"variant_id": small, "location_id": east, "delta": 5, "reason": "received"},
    )
    await settle(kernel)
    # then the product is in stock and listed as such
    assert await stock_of(client, product["id"]) == (True, [5, 0])
    assert await in_stock_listing(client) == [product["id"]]

    # when 2 move west, the total is unchanged
    await post(
        client,
        "/v1/inventory/transfers",
        {"variant_id": small, "from_location_id": east, "to_location_id": west, "quantity": 2},
    )
    await settle(kernel)
    assert await stock_of(client, product["id"]) == (True, [5, 0])

    # when 4 are reserved for an order, 1 is left; releasing gives them back
    await post(
        client,
        "/v1/inventory/reservations",
        {"reference": "order-1", "lines": [{"variant_id": small, "quantity": 4}]},
    )
    await settle(kernel)
    assert await stock_of(client, product["id"]) == (True, [1, 0])
    await post(client, "/v1/inventory/reservations/order-1/release", {})
    await settle(kernel)
    assert await stock_of(client, product["id"]) == (True, [5, 0])

    # when all 5 are reserved and the reservation is committed, the product is sold out
    await post(
        client,
        "/v1/inventory/reservations",
        {"reference": "order-2", "lines": [{"variant_id": small, "quantity": 5}]},
    )
    await post(client, "/v1/inventory/reservations/order-2/commit", {})
    await settle(kernel)
    assert await stock_of(client, product["id"]) == (False, [0, 0])
    assert await in_stock_listing(client) == []
    out_of_stock = await client.get("/v1/products", params={"in_stock": False})
    assert [p["id"] for p in out_of_stock.json()["items"]] == [product["id"]]

    # and the medium one alone puts it back in stock
    await post(
        client,
        "/v1/inventory/adjustments",
        {"variant_id": medium, "location_id": west, "delta": 3, "reason": "received"},
    )
    await settle(kernel)
    assert await stock_of(client, product["id"]) == (True, [0, 3])


async def test_refreshing_again_changes_nothing(store: Store) -> None:
    """The handler re-reads the truth: running it again (a redelivery) is a no-op."""
    kernel, client = store
    product = await create_product(client, product_body(skus=("MUG-1",)))
    variant = product["variants"][0]["id"]
    east = await location(client, "EAST")
    await post(
        client,
        "/v1/inventory/adjustments",
        {"variant_id": variant, "location_id": east, "delta": 7, "reason": "received"},
    )
    await settle(kernel)
    before = await stock_of(client, product["id"])
    with bind(tenant_id=TENANT):
        for _ in range(2):
            async with kernel.uow() as uow:
                await service.refresh_availability(uow, variant_ids=[variant, "unknown-variant"])
                await uow.commit()
    assert await stock_of(client, product["id"]) == before == (True, [7])


async def test_an_archived_variant_does_not_keep_a_product_in_stock(store: Store) -> None:
    kernel, client = store
    product = await create_product(client, product_body(skus=("A-1", "A-2")))
    stocked = product["variants"][0]["id"]
    east = await location(client, "EAST")
    await post(
        client,
        "/v1/inventory/adjustments",
        {"variant_id": stocked, "location_id": east, "delta": 2, "reason": "received"},
    )
    await settle(kernel)
    assert (await stock_of(client, product["id"]))[0] is True
    answer = await client.patch(
        f"/v1/products/{product['id']}/variants/{stocked}",
        json={"status": "archived"},
        headers=ADMIN_HEADERS,
    )
    assert answer.status_code == 200
    assert (await stock_of(client, product["id"]))[0] is False


async def test_a_delivery_and_a_closed_location_show_in_availability(store: Store) -> None:
    kernel, client = store
    # given a product with two variants and two warehouses
    product = await create_product(client, product_body(skus=("CAP-S", "CAP-M")))
    east, west = await location(client, "EAST"), await location(client, "WEST")
    # when one delivery brings both variants in, in two warehouses
    for where, units in ((east, 3), (west, 4)):
        await post(
            client,
            "/v1/inventory/receipts",
            {
                "location_id": where,
                "lines": [{"sku": "CAP-S", "quantity": units}, {"sku": "CAP-M", "quantity": 1}],
            },
        )
    await settle(kernel)
    # then the listing shows every unit received
    assert await stock_of(client, product["id"]) == (True, [7, 2])

    # when the west warehouse closes, its stock is no longer sold
    closed = await client.patch(
        f"/v1/inventory/locations/{west}", json={"active": False}, headers=ADMIN_HEADERS
    )
    assert closed.status_code == 200, closed.text
    await settle(kernel)
    assert await stock_of(client, product["id"]) == (True, [3, 1])

    # and when it opens again, the stock is back
    opened = await client.patch(
        f"/v1/inventory/locations/{west}", json={"active": True}, headers=ADMIN_HEADERS
    )
    assert opened.status_code == 200, opened.text
    await settle(kernel)
    assert await stock_of(client, product["id"]) == (True, [7, 2])
