"""Fulfilment planning: a confirmed order's held stock is gathered where it ships from, in
the fewest shipments and then from the nearest location, whatever locations checkout drew it
from (by their priority)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from mercato.kernel.config import Settings
from tests.integration.cart.conftest import Product, Shop
from tests.integration.checkout.conftest import Checkout
from tests.integration.identity.conftest import ADMIN
from tests.support.store import settle, store_for

FAR = {
    "name": "West warehouse",
    "line1": "1 Harbor Way",
    "city": "Los Angeles",
    "region": "CA",
    "postal_code": "90021",
    "country": "US",
}
NEAR = {
    "name": "New York shop",
    "line1": "120 W 31st St",
    "city": "New York",
    "region": "NY",
    "postal_code": "10001",
    "country": "US",
}
SHOPPER = {
    "name": "Ana Lima",
    "line1": "5 Broadway",
    "city": "New York",
    "region": "NY",
    "postal_code": "10004",
    "country": "US",
}


@pytest.fixture
async def checkout(settings: Settings) -> AsyncIterator[Checkout]:
    async with store_for(settings) as (kernel, client):
        yield Checkout(Shop(kernel, client))


async def _location(checkout: Checkout, code: str, priority: int, address: dict[str, str]) -> str:
    made = await checkout.client.post(
        "/v1/inventory/locations",
        json={"code": code, "name": address["name"], "kind": "warehouse", "priority": priority},
        headers=ADMIN,
    )
    assert made.status_code == 201, made.text
    location_id: str = made.json()["id"]
    origin = await checkout.client.put(
        f"/v1/shipping/origins/{location_id}", json=address, headers=ADMIN
    )
    assert origin.status_code == 200, origin.text
    return location_id


async def _receive(checkout: Checkout, product: Product, location_id: str, units: int) -> None:
    adjusted = await checkout.client.post(
        "/v1/inventory/adjustments",
        json={
            "sku": product.skus[0],
            "location_id": location_id,
            "delta": units,
            "reason": "received",
        },
        headers=ADMIN,
    )
    assert adjusted.status_code == 201, adjusted.text


async def _holds(checkout: Checkout, order_id: str) -> dict[tuple[str, str], int]:
    listed = await checkout.client.get(
        f"/v1/inventory/reservations?reference={order_id}", headers=ADMIN
    )
    assert listed.status_code == 200, listed.text
    held: dict[tuple[str, str], int] = {}
    for row in listed.json()["items"]:
        if row["status"] in {"active", "allocated"}:
            key = (row["variant_id"], row["location_id"])
            held[key] = held.get(key, 0) + row["quantity"]
    return held


async def _order(checkout: Checkout, *items: tuple[Product, int]) -> dict[str, Any]:
    cart, headers = await checkout.filled_cart(*items)
    answer = await checkout.post(cart, headers, shipping_address=SHOPPER, billing_address=SHOPPER)
    assert answer.status_code == 201, answer.text
    await settle(checkout.shop.kernel)
    order: dict[str, Any] = answer.json()["order"]
    return order


async def test_the_order_ships_from_the_nearest_location_that_has_it(checkout: Checkout) -> None:
    # given a far warehouse checkout draws from first (priority 10) and a near shop, both
    # with the product
    far = await _location(checkout, "WEST", 10, FAR)
    near = await _location(checkout, "NYC", 20, NEAR)
    mug = await checkout.shop.product("10.00", stock=None)
    await _receive(checkout, mug, far, 5)
    await _receive(checkout, mug, near, 5)
    # when a New York shopper's order is confirmed
    order = await _order(checkout, (mug, 2))
    # then its hold has moved to the New York shop, and the plan is one shipment from there
    assert await _holds(checkout, order["id"]) == {(mug.variant_id, near): 2}
    plan = await checkout.client.get(f"/v1/orders/{order['id']}/fulfilment-plan", headers=ADMIN)
    assert plan.status_code == 200, plan.text
    assert [s["location_id"] for s in plan.json()["shipments"]] == [near]
    # and the stock each location has left to sell adds up: nothing lost, nothing made
    levels = await checkout.client.get(
        f"/v1/inventory/levels?variant_id={mug.variant_id}", headers=ADMIN
    )
    by_location = {row["location_id"]: row for row in levels.json()["items"]}
    assert (by_location[far]["reserved"], by_location[near]["reserved"]) == (0, 2)
    assert by_location[far]["on_hand"] + by_location[near]["on_hand"] == 10


async def test_units_split_over_two_locations_are_gathered_in_one(checkout: Checkout) -> None:
    # given a mug at both locations and a tee only at the far one: checkout holds the mug
    # at the far warehouse (its priority) and the tee there too
    far = await _location(checkout, "WEST", 10, FAR)
    near = await _location(checkout, "NYC", 20, NEAR)
    mug = await checkout.shop.product("10.00", stock=None)
    tee = await checkout.shop.product("20.00", stock=None)
    await _receive(checkout, mug, near, 5)
    await _receive(checkout, mug, far, 1)
    await _receive(checkout, tee, far, 3)
    # when an order of two mugs and a tee is confirmed (the far one cannot send two mugs)
    order = await _order(checkout, (mug, 2), (tee, 1))
    # then the plan is as few shipments as the stock allows: two mugs from the near shop,
    # the tee from the far warehouse, and the holds are where the plan ships from
    plan = await checkout.client.get(f"/v1/orders/{order['id']}/fulfilment-plan", headers=ADMIN)
    shipments = plan.json()["shipments"]
    assert len(shipments) == 2
    assert await _holds(checkout, order["id"]) == {
        (mug.variant_id, near): 2,
        (tee.variant_id, far): 1,
    }
