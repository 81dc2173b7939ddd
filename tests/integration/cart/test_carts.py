"""Carts belong to a guest session or an account: opening one, reading it, and keeping
other shoppers out."""

from __future__ import annotations

import asyncio

from tests.integration.cart.conftest import Shop
from tests.integration.identity.conftest import ADMIN, sign_up


async def test_a_guest_opens_a_cart_once_and_then_gets_the_same_one(shop: Shop) -> None:
    # given a guest session
    guest = await shop.guest()
    # when it opens a cart twice
    first = await shop.client.post("/v1/carts", headers=guest)
    second = await shop.client.post("/v1/carts", headers=guest)
    # then the first call makes it (201, cart.created), the second returns it (200)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert [e["cart_id"] for e in await shop.events("cart.created")] == [first.json()["id"]]
    # and a new cart is empty, in the store's currency, taxed where the store is
    cart = first.json()
    assert cart["status"] == "active"
    assert (cart["currency"], cart["country"], cart["items"]) == ("USD", "US", [])
    assert (cart["subtotal"], cart["total"], cart["problems"]) == ("0.00", "0.00", [])
    assert first.headers["etag"] == f'"{cart["version"]}"'


async def test_two_tabs_opening_a_cart_at_once_get_the_same_one(shop: Shop) -> None:
    # given a new customer with two tabs
    customer = await shop.customer()
    # when both open a cart at once
    answers = await asyncio.gather(
        shop.client.post("/v1/carts", headers=customer),
        shop.client.post("/v1/carts", headers=customer),
    )
    # then one made it and both got it
    assert sorted(a.status_code for a in answers) == [200, 201]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert len(await shop.events("cart.created")) == 1


async def test_a_signed_in_customer_has_a_cart_of_their_own(shop: Shop) -> None:
    customer = await shop.customer()
    guest = await shop.guest()
    mine = await shop.cart(customer)
    theirs = await shop.cart(guest)
    assert mine["id"] != theirs["id"]
    assert (await shop.get(mine, customer))["id"] == mine["id"]


async def test_anonymous_callers_are_told_to_start_a_session(shop: Shop) -> None:
    # when a caller with no session nor account asks for a cart
    answer = await shop.client.post("/v1/carts")
    # then it is told how to get one, and no cart is made
    assert (answer.status_code, answer.json()["code"]) == (401, "session_required")
    assert "/v1/sessions" in answer.json()["detail"]
    assert await shop.events("cart.created") == []


async def test_another_shoppers_cart_is_not_found_and_left_alone(shop: Shop) -> None:
    # given Alice's cart with a line, and Bob
    product = await shop.product()
    alice, bob = await shop.guest(), await shop.customer()
    cart = await shop.cart(alice)
    cart = await shop.added(cart, alice, product.variant_id)
    before = await shop.snapshot(cart, alice)
    item = cart["items"][0]["id"]
    # when Bob reads it, adds to it, changes and removes its line
    attempts = [
        await shop.client.get(f"/v1/carts/{cart['id']}", headers=bob),
        await shop.add(cart, bob, product.variant_id),
        await shop.client.patch(
            f"/v1/carts/{cart['id']}/items/{item}", json={"quantity": 5}, headers=bob
        ),
        await shop.client.delete(f"/v1/carts/{cart['id']}/items/{item}", headers=bob),
        await shop.client.post(f"/v1/carts/{cart['id']}/validate", headers=bob),
    ]
    # then each answer is 404 cart_not_found, as for a cart that does not exist
    assert {(a.status_code, a.json()["code"]) for a in attempts} == {(404, "cart_not_found")}
    # and nothing changed
    assert await shop.snapshot(cart, alice) == before


async def test_support_may_read_any_cart_but_not_change_it(shop: Shop) -> None:
    # given a guest's cart and a support agent
    product = await shop.product()
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id, 2)
    support = (await sign_up(shop.client, "support")).headers
    before = await shop.snapshot(cart, guest)
    # when support reads it and tries to change it
    read = await shop.client.get(f"/v1/carts/{cart['id']}", headers=support)
    write = await shop.add(cart, support, product.variant_id)
    # then the read shows it, the write is refused as for a stranger's cart
    assert read.status_code == 200
    assert read.json()["items"][0]["quantity"] == 2
    assert (write.status_code, write.json()["code"]) == (404, "cart_not_found")
    assert await shop.snapshot(cart, guest) == before


async def test_an_api_key_has_no_cart(shop: Shop) -> None:
    answer = await shop.client.post("/v1/carts", headers=ADMIN)
    assert (answer.status_code, answer.json()["code"]) == (403, "not_a_shopper")


async def test_an_unknown_cart_is_not_found(shop: Shop) -> None:
    guest = await shop.guest()
    answer = await shop.client.get("/v1/carts/nope", headers=guest)
    assert (answer.status_code, answer.json()["code"]) == (404, "cart_not_found")
