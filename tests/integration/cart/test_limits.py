"""BR003 / EC006: a cart holds at most 100 distinct lines, whether lines are added one by
one or arrive with a guest's cart at sign-in."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.cart.conftest import Product, Shop
from tests.integration.identity.conftest import new_email, new_password
from tests.support.store import settle


async def _full_cart(shop: Shop, headers: dict[str, str]) -> tuple[dict[str, Any], Product]:
    """A cart with 100 distinct lines (one product of 100 variants, one unit of each), made
    in one unit of work each for stock and lines."""
    hundred = await shop.product("1.00", variants=100, stock=None)
    await shop.stock_many(hundred.skus, 5)
    cart = await shop.fill(await shop.cart(headers), hundred.variant_ids)
    return cart, hundred


@pytest.mark.business_rule("BR003")
@pytest.mark.edge_case("EC006")
async def test_br003_ec006_the_101st_distinct_line_is_refused(shop: Shop) -> None:
    # given a cart with 100 distinct lines, and a 101st product
    guest = await shop.guest()
    cart, hundred = await _full_cart(shop, guest)
    assert len(cart["items"]) == 100
    extra = await shop.product("1.00")
    before = await shop.snapshot(cart, guest)
    # when the guest adds the 101st
    answer = await shop.add(cart, guest, extra.variant_id)
    # then it is refused with a clear message, and nothing changed
    assert (answer.status_code, answer.json()["code"]) == (422, "br003_cart_item_limit")
    assert "100" in answer.json()["detail"]
    assert await shop.snapshot(cart, guest) == before
    # while more of a variant already in the cart is still fine
    more = await shop.add(cart, guest, hundred.variant_ids[0], 2)
    assert more.status_code == 200
    assert len(more.json()["items"]) == 100


@pytest.mark.business_rule("BR003")
@pytest.mark.edge_case("EC006")
async def test_br003_a_merge_into_a_full_cart_drops_the_new_lines_and_says_so(
    shop: Shop,
) -> None:
    # given a customer whose cart is full
    email, password = new_email(), new_password()
    registered = await shop.client.post(
        "/v1/auth/register", json={"email": email, "password": password, "full_name": "Fay Full"}
    )
    assert registered.status_code == 201
    login = await shop.client.post("/v1/auth/login", json={"email": email, "password": password})
    user = {"authorization": f"Bearer {login.json()['access_token']}"}
    cart, hundred = await _full_cart(shop, user)
    # and a guest cart with one of those variants and a new one
    newcomer = await shop.product("3.00")
    guest = await shop.guest()
    guest_cart = await shop.added(await shop.cart(guest), guest, hundred.variant_ids[0], 2)
    guest_cart = await shop.added(guest_cart, guest, newcomer.variant_id)
    # when the customer signs in with the guest session
    signed_in = await shop.client.post(
        "/v1/auth/login", json={"email": email, "password": password}, headers=guest
    )
    assert signed_in.status_code == 200
    await settle(shop.kernel)
    # then the shared variant's quantities add up, the 101st line is dropped, and reported
    merged = await shop.get(cart, user)
    assert len(merged["items"]) == 100
    assert (
        next(i for i in merged["items"] if i["variant_id"] == hundred.variant_ids[0])["quantity"]
        == 3
    )
    [event] = await shop.events("cart.merged")
    assert event["dropped_variant_ids"] == [newcomer.variant_id]
    assert event["moved_variant_ids"] == [hundred.variant_ids[0]]
