"""Adding, changing and removing lines: quantities 1-99 (BR001, EC007), at most 100 distinct
lines (BR003, EC006), only what is in stock (BR014), only what is for sale. A refused
write changes nothing: not the version, not the lines, and no event is written."""

from __future__ import annotations

import pytest

from tests.integration.cart.conftest import Shop
from tests.integration.identity.conftest import ADMIN


async def test_adding_a_variant_records_the_price_seen_and_announces_it(shop: Shop) -> None:
    # given a product at 12.50 with stock
    product = await shop.product("12.50", stock=10)
    guest = await shop.guest()
    cart = await shop.cart(guest)
    # when the guest adds 2
    answer = await shop.add(cart, guest, product.variant_id, 2)
    # then the line holds 2 at the price seen, the totals follow, and the version moved
    assert answer.status_code == 200, answer.text
    body = answer.json()
    [item] = body["items"]
    assert (item["variant_id"], item["product_id"], item["sku"]) == (
        product.variant_id,
        product.id,
        product.sku,
    )
    assert (item["quantity"], item["unit_price"], item["price_at_add"]) == (2, "12.50", "12.50")
    assert (item["line_total"], item["available"], item["requires_shipping"]) == ("25.00", 10, True)
    assert (body["subtotal"], body["shipping_total"], body["total"]) == ("25.00", "5.00", "30.00")
    assert body["version"] == cart["version"] + 1
    assert answer.headers["etag"] == f'"{body["version"]}"'
    assert await shop.events("cart.item_changed") == [
        {
            "cart_id": cart["id"],
            "variant_id": product.variant_id,
            "quantity": 2,
            "previous_quantity": 0,
        }
    ]


async def test_adding_a_variant_already_in_the_cart_adds_to_its_line(shop: Shop) -> None:
    product = await shop.product(stock=10)
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id, 2)
    cart = await shop.added(cart, guest, product.variant_id, 3)
    assert [(i["variant_id"], i["quantity"]) for i in cart["items"]] == [(product.variant_id, 5)]
    changes = [
        (e["previous_quantity"], e["quantity"]) for e in await shop.events("cart.item_changed")
    ]
    assert changes == [(0, 2), (2, 5)]


@pytest.mark.business_rule("BR001")
@pytest.mark.parametrize(("first", "then"), [(100, None), (0, None), (-1, None), (60, 40)])
async def test_br001_a_line_holds_between_1_and_99(
    shop: Shop, first: int, then: int | None
) -> None:
    # given a cart that may already hold some of a well-stocked product
    product = await shop.product(stock=500)
    guest = await shop.guest()
    cart = await shop.cart(guest)
    if then is not None:
        cart = await shop.added(cart, guest, product.variant_id, first)
    before = await shop.snapshot(cart, guest)
    # when an add would leave the line outside 1..99
    answer = await shop.add(cart, guest, product.variant_id, then if then is not None else first)
    # then it is refused by BR001 and nothing changed
    assert (answer.status_code, answer.json()["code"]) == (422, "br001_cart_item_quantity_limit")
    assert answer.json()["rule"] == "BR001"
    assert await shop.snapshot(cart, guest) == before


@pytest.mark.edge_case("EC007")
@pytest.mark.business_rule("BR001")
async def test_ec007_quantity_boundaries_0_removes_1_and_99_are_kept_100_is_refused(
    shop: Shop,
) -> None:
    # given a line of 5
    product = await shop.product(stock=500)
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id, 5)
    url = f"/v1/carts/{cart['id']}/items/{cart['items'][0]['id']}"

    async def set_to(quantity: int) -> tuple[int, list[int]]:
        answer = await shop.client.patch(url, json={"quantity": quantity}, headers=guest)
        body = answer.json()
        return answer.status_code, [i["quantity"] for i in body.get("items", [])]

    # when its quantity is set to 1, 99, 100, then 0
    assert await set_to(1) == (200, [1])
    assert await set_to(99) == (200, [99])
    before = await shop.snapshot(cart, guest)
    refused = await shop.client.patch(url, json={"quantity": 100}, headers=guest)
    # then 1 and 99 are kept, 100 is refused (BR001) and changes nothing
    assert (refused.status_code, refused.json()["code"]) == (422, "br001_cart_item_quantity_limit")
    assert await shop.snapshot(cart, guest) == before
    # and 0 removes the line
    assert await set_to(0) == (200, [])
    removed = (await shop.events("cart.item_changed"))[-1]
    assert (removed["previous_quantity"], removed["quantity"]) == (99, 0)


async def test_delete_removes_a_line(shop: Shop) -> None:
    product = await shop.product()
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id, 3)
    answer = await shop.client.delete(
        f"/v1/carts/{cart['id']}/items/{cart['items'][0]['id']}", headers=guest
    )
    assert answer.status_code == 200
    assert (answer.json()["items"], answer.json()["total"]) == ([], "0.00")
    assert (await shop.events("cart.item_changed"))[-1]["quantity"] == 0


async def test_an_unknown_line_is_not_found(shop: Shop) -> None:
    guest = await shop.guest()
    cart = await shop.cart(guest)
    answer = await shop.client.patch(
        f"/v1/carts/{cart['id']}/items/nope", json={"quantity": 2}, headers=guest
    )
    assert (answer.status_code, answer.json()["code"]) == (404, "cart_item_not_found")


@pytest.mark.business_rule("BR014")
async def test_br014_an_out_of_stock_variant_cannot_be_added(shop: Shop) -> None:
    # given a product with no stock at all, and one whose stock was written off
    never = await shop.product(stock=None)
    gone = await shop.product(stock=3)
    await shop.stock(gone.sku, -3)
    guest = await shop.guest()
    cart = await shop.cart(guest)
    before = await shop.snapshot(cart, guest)
    # when the guest adds either
    answers = [await shop.add(cart, guest, p.variant_id) for p in (never, gone)]
    # then both are refused by BR014 with what is available, and nothing changed
    for answer in answers:
        assert (answer.status_code, answer.json()["code"]) == (409, "br014_stock_required_for_sale")
        assert answer.json()["available"] == 0
    assert await shop.snapshot(cart, guest) == before


@pytest.mark.business_rule("BR014")
async def test_br014_a_line_never_holds_more_than_is_available(shop: Shop) -> None:
    # given 5 in stock and a line of 4
    product = await shop.product(stock=5)
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id, 4)
    url = f"/v1/carts/{cart['id']}/items/{cart['items'][0]['id']}"
    before = await shop.snapshot(cart, guest)
    # when the guest adds 2 more, or raises the line to 6
    added = await shop.add(cart, guest, product.variant_id, 2)
    raised = await shop.client.patch(url, json={"quantity": 6}, headers=guest)
    # then both are refused (BR014: 5 available), and nothing changed
    for answer in (added, raised):
        assert (answer.status_code, answer.json()["code"]) == (409, "br014_stock_required_for_sale")
        assert answer.json()["available"] == 5
    assert await shop.snapshot(cart, guest) == before
    # while raising it to exactly what is available works
    exact = await shop.client.patch(url, json={"quantity": 5}, headers=guest)
    assert exact.status_code == 200
    assert exact.json()["items"][0]["quantity"] == 5


@pytest.mark.business_rule("BR014")
async def test_br014_lowering_a_line_needs_no_stock(shop: Shop) -> None:
    # given a line of 4 whose stock is then written off
    product = await shop.product(stock=4)
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id, 4)
    await shop.stock(product.sku, -4)
    # when the guest lowers it
    answer = await shop.client.patch(
        f"/v1/carts/{cart['id']}/items/{cart['items'][0]['id']}",
        json={"quantity": 1},
        headers=guest,
    )
    # then it is lowered, and the cart reports the line out of stock
    assert answer.status_code == 200
    assert answer.json()["items"][0]["quantity"] == 1
    assert [p["code"] for p in answer.json()["problems"]] == ["out_of_stock"]


async def test_an_unknown_variant_is_not_found(shop: Shop) -> None:
    guest = await shop.guest()
    cart = await shop.cart(guest)
    before = await shop.snapshot(cart, guest)
    answer = await shop.add(cart, guest, "no-such-variant")
    assert (answer.status_code, answer.json()["code"]) == (404, "variant_not_found")
    assert await shop.snapshot(cart, guest) == before


async def test_a_product_not_for_sale_cannot_be_added(shop: Shop) -> None:
    # given a draft product and an archived one, both with stock
    draft = await shop.product(status="draft")
    archived = await shop.product()
    await shop.archive(archived)
    guest = await shop.guest()
    cart = await shop.cart(guest)
    before = await shop.snapshot(cart, guest)
    # when the guest adds either
    answers = [await shop.add(cart, guest, p.variant_id) for p in (draft, archived)]
    # then both are refused as unavailable, and nothing changed
    assert {(a.status_code, a.json()["code"]) for a in answers} == {(409, "variant_unavailable")}
    assert await shop.snapshot(cart, guest) == before


async def test_a_product_in_another_currency_cannot_be_added(shop: Shop) -> None:
    # given the store's carts are in EUR now, and a product sold in USD
    product = await shop.product()
    settings = (await shop.client.get("/v1/cart-settings")).json()
    changed = await shop.client.put(
        "/v1/cart-settings",
        json={**settings, "currency": "EUR"},
        headers=ADMIN,
    )
    assert changed.status_code == 200, changed.text
    guest = await shop.guest()
    cart = await shop.cart(guest)
    assert cart["currency"] == "EUR"
    # when the guest adds the USD product, it is refused
    answer = await shop.add(cart, guest, product.variant_id)
    assert (answer.status_code, answer.json()["code"]) == (409, "currency_mismatch")
