"""Checkout: a cart becomes a confirmed order with its stock held and its payment
authorized, or nothing is left of the attempt but a cancelled order and the cart, intact."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from mercato.agents.cart.models import Cart
from mercato.agents.orders.models import Order
from tests.integration.checkout.conftest import (
    DECLINED,
    GATEWAY_DOWN,
    INSUFFICIENT_FUNDS,
    Checkout,
    body,
    new_key,
)
from tests.support.store import settle


async def test_a_guest_checks_out_a_cart_into_a_confirmed_order(checkout: Checkout) -> None:
    # given a guest's cart of two units of a 10.00 product and one of a 25.50 one
    shop = checkout.shop
    mug, lamp = await shop.product("10.00", stock=5), await shop.product("25.50", stock=5)
    cart, headers = await checkout.filled_cart((mug, 2), (lamp, 1))

    # when they check out with a good card
    answer = await checkout.post(cart, headers)

    # then the order is confirmed, its payment authorized for the cart's total
    assert answer.status_code == 201, answer.text
    order = answer.json()["order"]
    assert order["status"] == "confirmed"
    assert order["payment_status"] == "authorized"
    assert order["total"] == cart["total"]
    assert re.fullmatch(r"ORD-\d{4}-\d{7}", order["number"])
    assert sorted((line["sku"], line["quantity"]) for line in order["lines"]) == sorted(
        [(mug.sku, 2), (lamp.sku, 1)]
    )
    assert answer.json()["payment"]["card_last4"] == "4242"
    # and the stock stays held for the order, the cart is checked out
    assert (await checkout.level(mug))["reserved"] == 2
    assert (await checkout.level(mug))["available"] == 3
    again = await shop.client.get(f"/v1/carts/{cart['id']}", headers=headers)
    assert again.json()["status"] == "checkout" or again.json()["status"] == "converted"
    await settle(shop.kernel)
    placed = {e["order_id"] for e in await shop.events("order.confirmed")}
    assert order["id"] in placed
    assert [e["order_id"] for e in await shop.events("payment.authorized")] == [order["id"]]


async def test_the_order_can_be_read_back_by_the_guest_who_placed_it(checkout: Checkout) -> None:
    # given a guest's confirmed order
    product = await checkout.shop.product("12.00", stock=3)
    cart, headers = await checkout.filled_cart((product, 1))
    order = (await checkout.post(cart, headers)).json()["order"]

    # when they read it with their session
    read = await checkout.client.get(f"/v1/orders/{order['id']}", headers=headers)

    # then they see it, and another guest does not
    assert read.status_code == 200, read.text
    assert read.json()["number"] == order["number"]
    stranger = await checkout.shop.guest()
    assert (
        await checkout.client.get(f"/v1/orders/{order['id']}", headers=stranger)
    ).status_code == 404


@pytest.mark.edge_case("EC003")
async def test_the_same_request_again_replays_the_first_answer(checkout: Checkout) -> None:
    # given a checkout that went through with a key
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 1))
    key = new_key()
    first = await checkout.post(cart, headers, key=key)
    assert first.status_code == 201, first.text

    # when the same request is sent again with that key (a double click)
    second = await checkout.post(cart, headers, key=key)

    # then the first answer comes back, marked as replayed, and nothing more happened
    assert second.status_code == 201
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json()["order"]["id"] == first.json()["order"]["id"]
    assert len(await checkout.orders()) == 1
    assert len(await checkout.payments()) == 1


@pytest.mark.edge_case("EC026")
async def test_a_key_reused_for_another_request_is_refused(checkout: Checkout) -> None:
    # given a checkout done with a key
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 1))
    key = new_key()
    assert (await checkout.post(cart, headers, key=key)).status_code == 201

    # when another request (another email) comes with the same key
    other = body(cart, email="someone@example.com")
    answer = await checkout.client.post(
        "/v1/checkout", json=other, headers={**headers, "Idempotency-Key": key}
    )

    # then it is refused and made nothing
    assert answer.status_code == 422
    assert answer.json()["code"] == "idempotency_key_reused"
    assert len(await checkout.orders()) == 1


async def test_a_checkout_without_an_idempotency_key_is_refused(checkout: Checkout) -> None:
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 1))

    answer = await checkout.client.post("/v1/checkout", json=body(cart), headers=headers)

    assert answer.status_code == 400
    assert answer.json()["code"] == "idempotency_key_required"
    assert await checkout.orders() == []


@pytest.mark.parametrize(
    ("number", "decline_code"),
    [(DECLINED, "card_declined"), (INSUFFICIENT_FUNDS, "insufficient_funds")],
)
async def test_a_declined_card_undoes_the_checkout(
    checkout: Checkout, number: str, decline_code: str
) -> None:
    # given a cart of 2 units out of 5
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 2))

    # when the card is declined
    answer = await checkout.post(cart, headers, number)

    # then 402 tells why; the order is cancelled, the stock back, the cart the shopper's again
    assert answer.status_code == 402, answer.text
    assert answer.json()["code"] == "payment_declined"
    assert decline_code in answer.text
    [order] = await checkout.orders()
    assert order.status == "cancelled"
    level = await checkout.level(product)
    assert (level["reserved"], level["available"]) == (0, 5)
    again = await checkout.shop.get(cart, headers)
    assert again["status"] == "active"
    assert [(i["variant_id"], i["quantity"]) for i in again["items"]] == [(product.variant_id, 2)]


@pytest.mark.edge_case("EC017")
async def test_a_gateway_that_is_down_charges_nothing_and_leaves_the_cart_for_a_retry(
    checkout: Checkout,
) -> None:
    # given a cart
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 1))

    # when the gateway is down
    down = await checkout.post(cart, headers, GATEWAY_DOWN)

    # then 503 payment_gateway_unavailable; nothing is held or authorized
    assert down.status_code == 503, down.text
    assert down.json()["code"] == "payment_gateway_unavailable"
    assert all(p.status != "authorized" for p in await checkout.payments())
    assert (await checkout.level(product))["reserved"] == 0
    # and the same cart checks out with a retry
    retry = await checkout.post(cart, headers)
    assert retry.status_code == 201, retry.text


@pytest.mark.edge_case("EC013")
async def test_a_price_changed_since_the_cart_was_built_stops_checkout(
    checkout: Checkout,
) -> None:
    # given a cart whose product's price changed after it was added
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 1))
    await checkout.shop.set_price(product, "12.00")

    # when the shopper checks out
    answer = await checkout.post(cart, headers)

    # then checkout stops with the changed line; nothing was made or held
    assert answer.status_code == 409, answer.text
    problem = answer.json()
    assert problem["code"] == "cart_prices_changed"
    assert [line["variant_id"] for line in problem["lines"]] == [product.variant_id]
    assert problem["lines"][0]["new_price"] == "12.00"
    assert await checkout.orders() == []
    assert (await checkout.level(product))["reserved"] == 0


@pytest.mark.business_rule("BR005")
async def test_physical_items_need_a_shipping_address(checkout: Checkout) -> None:
    product = await checkout.shop.product("10.00", stock=5, requires_shipping=True)
    cart, headers = await checkout.filled_cart((product, 1))

    answer = await checkout.post(cart, headers, shipping_address=None)

    assert answer.status_code == 422, answer.text
    assert answer.json()["code"].startswith("br005")
    assert await checkout.orders() == []
    assert (await checkout.level(product))["reserved"] == 0


async def test_digital_items_need_no_shipping_address(checkout: Checkout) -> None:
    product = await checkout.shop.product("10.00", stock=5, requires_shipping=False)
    cart, headers = await checkout.filled_cart((product, 1))

    answer = await checkout.post(cart, headers, shipping_address=None)

    assert answer.status_code == 201, answer.text


@pytest.mark.business_rule("BR007")
async def test_an_expired_card_is_refused_before_the_gateway(checkout: Checkout) -> None:
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 1))
    payload = body(cart)
    payload["payment"]["card"].update(exp_month=1, exp_year=2020)

    answer = await checkout.client.post(
        "/v1/checkout", json=payload, headers={**headers, "Idempotency-Key": new_key()}
    )

    assert answer.status_code == 422, answer.text
    assert answer.json()["code"].startswith("br007")
    assert await checkout.orders() == []


@pytest.mark.business_rule("BR008")
async def test_a_card_payment_without_its_cvc_is_refused(checkout: Checkout) -> None:
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 1))
    payload = body(cart)
    del payload["payment"]["card"]["cvc"]

    answer = await checkout.client.post(
        "/v1/checkout", json=payload, headers={**headers, "Idempotency-Key": new_key()}
    )

    assert answer.status_code == 422, answer.text
    assert answer.json()["code"].startswith("br008")
    assert await checkout.orders() == []


async def test_a_cart_already_being_checked_out_cannot_be_checked_out_again(
    checkout: Checkout,
) -> None:
    # given a cart that was checked out
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 1))
    assert (await checkout.post(cart, headers)).status_code == 201

    # when it is checked out again with another key
    again = await checkout.post(cart, headers)

    # then it is refused: one cart, one order
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "cart_not_active"
    assert len(await checkout.orders()) == 1


async def test_a_discount_code_is_counted_once_and_given_back_when_payment_fails(
    checkout: Checkout,
) -> None:
    # given a code usable once, on a cart
    shop = checkout.shop
    await shop.code("ONCE", usage_limit=1)
    product = await shop.product("20.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 1))
    applied = await shop.client.post(
        f"/v1/carts/{cart['id']}/codes", json={"code": "ONCE"}, headers=headers
    )
    assert applied.status_code == 200, applied.text

    # when a declined payment undoes the checkout, and a good one follows
    assert (await checkout.post(cart, headers, DECLINED)).status_code == 402
    answer = await checkout.post(cart, headers)

    # then the code was still there for the second checkout, and is used up once
    assert answer.status_code == 201, answer.text
    assert answer.json()["order"]["total"] == applied.json()["total"]
    listed = await shop.client.get(
        "/v1/discount-codes", headers={"authorization": checkout.shop_admin}
    )
    [code] = [c for c in listed.json()["items"] if c["code"] == "ONCE"]
    assert code["times_used"] == 1


async def test_an_order_row_holds_what_the_answer_said(checkout: Checkout) -> None:
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 3))

    answer = (await checkout.post(cart, headers)).json()["order"]

    [order] = await checkout.orders()
    assert isinstance(order, Order)
    assert (order.id, order.number, order.status) == (answer["id"], answer["number"], "confirmed")
    assert order.total == Decimal(answer["total"])
    assert await checkout.count(Cart) == 1


@pytest.mark.business_rule("BR002")
async def test_an_order_below_the_minimum_total_is_refused_unless_free(
    checkout: Checkout,
) -> None:
    # given a cart of one 0.50 download (no shipping), and one of a free download
    shop = checkout.shop
    cheap = await shop.product("0.50", stock=5, requires_shipping=False)
    free = await shop.product("0", stock=5, requires_shipping=False, is_free=True)
    cart, headers = await checkout.filled_cart((cheap, 1))
    free_cart, free_headers = await checkout.filled_cart((free, 1))

    # when both are checked out
    below = await checkout.post(cart, headers)
    given = await checkout.post(free_cart, free_headers)

    # then the first is refused by BR002 and made nothing; the free order goes through
    assert below.status_code == 422, below.text
    assert below.json()["code"] == "cart_not_checkoutable"
    assert [p["rule"] for p in below.json()["problems"]] == ["BR002"]
    assert given.status_code == 201, given.text
    assert given.json()["order"]["total"] == "0.00"
    assert len(await checkout.orders()) == 1


async def test_an_order_to_pay_without_a_payment_is_refused(checkout: Checkout) -> None:
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 1))

    answer = await checkout.post(cart, headers, payment=None)

    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "payment_required"
    assert await checkout.orders() == []
    assert (await checkout.shop.get(cart, headers))["status"] == "active"
