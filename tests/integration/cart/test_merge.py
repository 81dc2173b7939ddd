"""A guest's cart follows them when they register or sign in with their session
(`session.promoted`): it becomes theirs, or merges into the cart they already have."""

from __future__ import annotations

from tests.integration.cart.conftest import Shop
from tests.integration.identity.conftest import new_email, new_password
from tests.support.store import settle


async def _sign_in(shop: Shop, email: str, password: str, guest: dict[str, str]) -> dict[str, str]:
    """Log in, handing over the guest session; the account's headers."""
    answer = await shop.client.post(
        "/v1/auth/login", json={"email": email, "password": password}, headers=guest
    )
    assert answer.status_code == 200, answer.text
    return {"authorization": f"Bearer {answer.json()['access_token']}"}


async def test_a_guest_who_registers_keeps_their_cart(shop: Shop) -> None:
    # given a guest with two lines
    first, second = await shop.product("10.00"), await shop.product("4.00")
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, first.variant_id, 2)
    cart = await shop.added(cart, guest, second.variant_id, 1)
    # when they register with their session, and sign in
    email, password = new_email(), new_password()
    registered = await shop.client.post(
        "/v1/auth/register",
        json={"email": email, "password": password, "full_name": "Gus Guest"},
        headers=guest,
    )
    assert registered.status_code == 201, registered.text
    await settle(shop.kernel)
    user = await _sign_in(shop, email, password, {})
    # then their cart is the guest's, with its lines
    mine = await shop.client.post("/v1/carts", headers=user)
    assert mine.status_code == 200
    assert mine.json()["id"] == cart["id"]
    assert sorted((i["variant_id"], i["quantity"]) for i in mine.json()["items"]) == sorted(
        [(first.variant_id, 2), (second.variant_id, 1)]
    )
    [merged] = await shop.events("cart.merged")
    assert (merged["cart_id"], merged["into_cart_id"]) == (cart["id"], cart["id"])
    # and the old guest session no longer reaches it: it opens a new, empty cart
    fresh = await shop.cart(guest)
    assert (fresh["id"] != cart["id"], fresh["items"]) == (True, [])


async def test_a_guest_cart_merges_into_the_cart_a_user_already_has(shop: Shop) -> None:
    # given a customer whose cart holds 60 of A
    a, b = await shop.product("1.00", stock=500), await shop.product("2.00")
    email, password = new_email(), new_password()
    registered = await shop.client.post(
        "/v1/auth/register", json={"email": email, "password": password, "full_name": "Ursula"}
    )
    assert registered.status_code == 201
    user = await _sign_in(shop, email, password, {})
    theirs = await shop.added(await shop.cart(user), user, a.variant_id, 60)
    # and, signed out, a guest cart with 50 of A and 1 of B
    guest = await shop.guest()
    guest_cart = await shop.added(await shop.cart(guest), guest, a.variant_id, 50)
    guest_cart = await shop.added(guest_cart, guest, b.variant_id, 1)
    # when they sign in with the guest session
    await _sign_in(shop, email, password, guest)
    await settle(shop.kernel)
    # then the user's cart holds both: A capped at 99 (BR001), and B
    merged = await shop.get(theirs, user)
    assert sorted((i["variant_id"], i["quantity"]) for i in merged["items"]) == sorted(
        [(a.variant_id, 99), (b.variant_id, 1)]
    )
    # and the guest cart is marked merged, and the merge was announced with the cap
    assert (await shop.get(guest_cart, guest))["status"] == "merged"
    [event] = await shop.events("cart.merged")
    assert (event["cart_id"], event["into_cart_id"]) == (guest_cart["id"], theirs["id"])
    assert (event["capped_variant_ids"], event["dropped_variant_ids"]) == ([a.variant_id], [])
    # when the promotion is delivered to the handler again, nothing changes
    before = await shop.snapshot(theirs, user)
    outcome = await shop.redeliver("session.promoted", "cart.merge_guest_cart_on_sign_in")
    assert outcome == "handled"
    assert await shop.snapshot(theirs, user) == before
    assert (await shop.get(guest_cart, guest))["status"] == "merged"


async def test_a_merge_leaves_out_guest_lines_in_another_currency(shop: Shop) -> None:
    # given a guest cart in USD holding a USD product
    dollars = await shop.product("10.00")
    guest = await shop.guest()
    guest_cart = await shop.added(await shop.cart(guest), guest, dollars.variant_id, 2)
    # and, once the store moved to EUR, a customer's EUR cart holding a EUR product
    await shop.switch_currency("EUR")
    euros = await shop.product("8.00", currency="EUR")
    email, password = new_email(), new_password()
    registered = await shop.client.post(
        "/v1/auth/register", json={"email": email, "password": password, "full_name": "Eva"}
    )
    assert registered.status_code == 201
    user = await _sign_in(shop, email, password, {})
    theirs = await shop.added(await shop.cart(user), user, euros.variant_id, 1)
    assert theirs["currency"] == "EUR"
    # when they sign in with the guest session
    await _sign_in(shop, email, password, guest)
    await settle(shop.kernel)
    # then the USD line did not move into the EUR cart, whose totals stay in euros
    merged = await shop.get(theirs, user)
    assert [(i["variant_id"], i["quantity"]) for i in merged["items"]] == [(euros.variant_id, 1)]
    assert (merged["subtotal"], merged["problems"]) == ("8.00", [])
    # and the merge reports it dropped
    [event] = await shop.events("cart.merged")
    assert (event["cart_id"], event["into_cart_id"]) == (guest_cart["id"], theirs["id"])
    assert (event["moved_variant_ids"], event["dropped_variant_ids"]) == ([], [dollars.variant_id])
