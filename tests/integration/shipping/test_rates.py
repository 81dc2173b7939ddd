"""Rate shopping for a guest's cart, and the option chosen pricing its checkout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import update

from mercato.agents.orders import service as orders
from mercato.agents.shipping.models import Quote
from mercato.kernel.context import bind
from tests.integration.shipping.conftest import ShippingShop


async def test_a_guest_gets_tagged_options_with_delivery_estimates(shop: ShippingShop) -> None:
    # given a guest's cart of one 20.00 product
    product = await shop.product("20.00", stock=5)
    cart, headers = await shop.filled_cart((product, 1))

    # when they ask for rates to their postcode
    answer = await shop.call(
        "GET", "/shipping/rates", headers=headers, cart_id=cart["id"], postal_code="12345"
    )

    # then the local courier's and the tables' options, cheapest first, tagged and dated
    assert answer.status_code == 200, answer.text
    rates = answer.json()
    options = rates["options"]
    assert len(options) >= 2
    assert {o["carrier"] for o in options} == {"local", "post"}
    prices = [Decimal(o["price"]) for o in options]
    assert prices == sorted(prices)
    assert "cheapest" in options[0]["tags"]
    assert sum("fastest" in o["tags"] for o in options) == 1
    assert sum("best_value" in o["tags"] for o in options) == 1
    assert all(o["estimated_delivery"][0] <= o["estimated_delivery"][1] for o in options)
    assert rates["zone"] == "us" and rates["warnings"] == []


async def test_the_cheapest_option_is_free_from_the_stores_threshold_on(shop: ShippingShop) -> None:
    # given a guest's cart worth 80.00 (the store ships free from 75.00)
    product = await shop.product("40.00", stock=5)
    cart, headers = await shop.filled_cart((product, 2))

    # when they ask for rates
    rates = await shop.ok("GET", "/shipping/rates", headers=headers, cart_id=cart["id"])

    # then the cheapest option costs nothing and is the best value too; faster ones cost
    cheapest = rates["options"][0]
    assert Decimal(cheapest["price"]) == 0
    assert {"cheapest", "best_value"} <= set(cheapest["tags"])
    assert all(Decimal(o["price"]) > 0 for o in rates["options"][1:])


async def test_the_option_chosen_prices_the_checkout_and_the_order_keeps_it(
    shop: ShippingShop,
) -> None:
    # given a guest's cart and its rates
    product = await shop.product("20.00", stock=5)
    cart, headers = await shop.filled_cart((product, 1))
    rates = await shop.ok("GET", "/shipping/rates", headers=headers, cart_id=cart["id"])
    chosen = next(o for o in rates["options"] if "fastest" in o["tags"])

    # when they choose the fastest option and check out
    answer = await shop.call(
        "PUT", f"/carts/{cart['id']}/shipping-option", {"rate_id": chosen["id"]}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["shipping_total"] == chosen["price"]
    cart = await shop.ok("GET", f"/carts/{cart['id']}", headers=headers)
    order = await shop.check_out(cart, headers)

    # then the order's shipping is the option's price, and it remembers the carrier and service
    assert Decimal(order["shipping_total"]) == Decimal(chosen["price"])
    assert Decimal(order["total"]) == Decimal("20.00") + Decimal(chosen["price"])
    with bind(tenant_id="default"):
        async with shop.kernel.uow(writes=False) as uow:
            kept = await orders.fulfilment_of(uow, order_id=order["id"])
    assert kept is not None
    assert (kept.shipping_carrier, kept.shipping_service) == (chosen["carrier"], chosen["service"])
    # and its shipment, made with no carrier named, goes with that option
    shipment = await shop.shipment(order["id"])
    assert (shipment["carrier"], shipment["service"]) == (chosen["carrier"], chosen["service"])


async def test_a_cart_changed_after_choosing_falls_back_to_standard_shipping(
    shop: ShippingShop,
) -> None:
    # given a guest who chose the priority option for one unit
    product = await shop.product("20.00", stock=5)
    cart, headers = await shop.filled_cart((product, 1))
    rates = await shop.ok("GET", "/shipping/rates", headers=headers, cart_id=cart["id"])
    chosen = next(o for o in rates["options"] if o["service"] == "priority")
    await shop.ok(
        "PUT", f"/carts/{cart['id']}/shipping-option", {"rate_id": chosen["id"]}, headers=headers
    )

    # when they add a second unit
    cart = await shop.added(cart, headers, product.variant_id, 1)

    # then the choice no longer prices the cart: the store's standard shipping does
    assert cart["shipping_option"] is None
    assert Decimal(cart["shipping_total"]) == Decimal("5.00")
    order = await shop.check_out(cart, headers)
    assert Decimal(order["shipping_total"]) == Decimal("5.00")


async def test_a_rate_quoted_before_the_cart_changed_cannot_be_chosen(shop: ShippingShop) -> None:
    # given rates for a cart of one unit, and then a second unit added
    product = await shop.product("20.00", stock=5)
    cart, headers = await shop.filled_cart((product, 1))
    rates = await shop.ok("GET", "/shipping/rates", headers=headers, cart_id=cart["id"])
    cart = await shop.added(cart, headers, product.variant_id, 1)

    # when the shopper chooses one of the old rates
    answer = await shop.call(
        "PUT",
        f"/carts/{cart['id']}/shipping-option",
        {"rate_id": rates["options"][0]["id"]},
        headers=headers,
    )

    # then it is not found (ask again) and the cart is as it was
    assert answer.status_code == 404, answer.text
    assert answer.json()["code"] == "shipping_rate_not_found"
    again = await shop.ok("GET", f"/carts/{cart['id']}", headers=headers)
    assert again["shipping_option"] is None and again["total"] == cart["total"]


async def test_an_expired_or_another_carts_rate_is_not_found_and_nothing_changes(
    shop: ShippingShop,
) -> None:
    # given two guests' carts with their rates, and one of them chosen
    product = await shop.product("20.00", stock=5)
    cart, headers = await shop.filled_cart((product, 1))
    other, other_headers = await shop.filled_cart((product, 2))
    mine = await shop.ok("GET", "/shipping/rates", headers=headers, cart_id=cart["id"])
    theirs = await shop.ok("GET", "/shipping/rates", headers=other_headers, cart_id=other["id"])
    chosen = mine["options"][-1]
    await shop.ok(
        "PUT", f"/carts/{cart['id']}/shipping-option", {"rate_id": chosen["id"]}, headers=headers
    )
    before = await shop.ok("GET", f"/carts/{cart['id']}", headers=headers)

    # when the guest chooses the other cart's rate
    foreign = await shop.call(
        "PUT",
        f"/carts/{cart['id']}/shipping-option",
        {"rate_id": theirs["options"][0]["id"]},
        headers=headers,
    )
    # and one of their own rates after it expired
    with bind(tenant_id="default"):
        async with shop.kernel.uow() as uow:
            await uow.session.execute(
                update(Quote)
                .where(Quote.id == mine["options"][0]["id"])
                .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
            )
            await uow.commit()
    expired = await shop.call(
        "PUT",
        f"/carts/{cart['id']}/shipping-option",
        {"rate_id": mine["options"][0]["id"]},
        headers=headers,
    )

    # then both are 404 and the cart keeps its choice and total
    for answer in (foreign, expired):
        assert answer.status_code == 404, answer.text
        assert answer.json()["code"] == "shipping_rate_not_found"
    after = await shop.ok("GET", f"/carts/{cart['id']}", headers=headers)
    assert after["shipping_option"] == before["shipping_option"]
    assert after["total"] == before["total"]
    assert after["shipping_option"]["rate_id"] == chosen["id"]


async def test_back_to_standard_shipping_and_bad_rate_requests(shop: ShippingShop) -> None:
    # given a guest who chose an option
    product = await shop.product("20.00", stock=5)
    cart, headers = await shop.filled_cart((product, 1))
    rates = await shop.ok("GET", "/shipping/rates", headers=headers, cart_id=cart["id"])
    await shop.ok(
        "PUT",
        f"/carts/{cart['id']}/shipping-option",
        {"rate_id": rates["options"][-1]["id"]},
        headers=headers,
    )
    # when they choose null / then the store's standard shipping prices the cart again
    back = await shop.ok(
        "PUT", f"/carts/{cart['id']}/shipping-option", {"rate_id": None}, headers=headers
    )
    assert back["shipping_option"] is None and Decimal(back["shipping_total"]) == Decimal("5.00")
    # and rates need one of cart_id and order_id
    neither = await shop.call("GET", "/shipping/rates", headers=headers)
    assert neither.status_code == 422 and neither.json()["code"] == "invalid_shipping_request"
    # and a shopper cannot ask for an order's rates
    order = await shop.check_out(cart, headers)
    hidden = await shop.call("GET", "/shipping/rates", headers=headers, order_id=order["id"])
    assert hidden.status_code == 404
    # while staff can, to its shipping address
    staff = await shop.ok("GET", "/shipping/rates", order_id=order["id"])
    assert staff["destination_country"] == "US" and staff["options"]


async def test_a_cart_of_nothing_that_ships_has_no_rates(shop: ShippingShop) -> None:
    # given a cart of a download only
    ebook = await shop.product("9.00", stock=5, requires_shipping=False)
    cart, headers = await shop.filled_cart((ebook, 1))
    # when rates are asked / then nothing here ships
    answer = await shop.call("GET", "/shipping/rates", headers=headers, cart_id=cart["id"])
    assert answer.status_code == 422 and answer.json()["code"] == "nothing_to_ship"
