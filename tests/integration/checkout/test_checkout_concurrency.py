"""Checkout under concurrency: no oversell, no double charge, no authorization without its
order (ARCHITECTURE.md, "Checkout")."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from mercato.agents.payments.models import Payment
from tests.integration.checkout.conftest import Checkout, new_key


@pytest.mark.edge_case("EC002")
async def test_a_hundred_shoppers_racing_for_five_units_make_exactly_five_orders(
    checkout: Checkout,
) -> None:
    # given 5 units in stock and 100 guests, each with one unit in their cart
    shop = checkout.shop
    product = await shop.product("10.00", stock=100)
    carts = [await checkout.filled_cart((product, 1)) for _ in range(100)]
    await shop.stock(product.sku, -95)

    # when they all check out at once
    answers = await asyncio.gather(*(checkout.post(cart, headers) for cart, headers in carts))

    # then 5 are confirmed and 95 get a clean 409 naming the line
    statuses = Counter(a.status_code for a in answers)
    assert statuses == {201: 5, 409: 95}, [a.text for a in answers if a.status_code >= 500][:3]
    refused = [a.json() for a in answers if a.status_code == 409]
    assert {p["code"] for p in refused} == {"insufficient_stock"}
    assert all(p["lines"][0]["variant_id"] == product.variant_id for p in refused)
    # and the stock is exactly used up, every authorization has its confirmed order
    level = await checkout.level(product)
    assert (level["on_hand"], level["reserved"], level["available"]) == (5, 5, 0)
    orders = {o.id: o for o in await checkout.orders()}
    confirmed = {o.id for o in orders.values() if o.status == "confirmed"}
    assert len(confirmed) == 5
    authorized = [p for p in await checkout.payments() if p.status == "authorized"]
    assert sorted(p.order_id for p in authorized) == sorted(confirmed)


@pytest.mark.edge_case("EC003")
async def test_twenty_requests_with_one_key_make_one_order_and_one_authorization(
    checkout: Checkout,
) -> None:
    # given a cart
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 1))
    key = new_key()

    # when the same request is sent 20 times at once
    answers = await asyncio.gather(*(checkout.post(cart, headers, key=key) for _ in range(20)))

    # then one order and one authorization; every answer is that order or "still running"
    statuses = Counter(a.status_code for a in answers)
    assert set(statuses) <= {201, 409}
    assert statuses[201] >= 1
    ids = {a.json()["order"]["id"] for a in answers if a.status_code == 201}
    assert len(ids) == 1
    assert {a.json()["code"] for a in answers if a.status_code == 409} <= {"checkout_in_progress"}
    assert len(await checkout.orders()) == 1
    payments = await checkout.payments()
    assert [p.status for p in payments] == ["authorized"]
    assert await checkout.count(Payment) == 1


@pytest.mark.edge_case("EC024")
async def test_one_cart_checked_out_twice_at_once_with_two_keys_makes_one_order(
    checkout: Checkout,
) -> None:
    # given a cart
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 1))

    # when two checkouts with different keys race for it
    first, second = await asyncio.gather(
        checkout.post(cart, headers, key=new_key()), checkout.post(cart, headers, key=new_key())
    )

    # then one wins; the other is told the cart is taken, and charged nothing
    assert sorted([first.status_code, second.status_code]) == [201, 409]
    loser = first if first.status_code == 409 else second
    assert loser.json()["code"] in {"cart_not_active", "cart_version_conflict"}
    assert [o.status for o in await checkout.orders()] == ["confirmed"]
    assert [p.status for p in await checkout.payments()] == ["authorized"]
