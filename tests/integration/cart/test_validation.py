"""Validation for checkout reports every problem at once: prices changed since added
(EC013), stock, availability, an empty cart, and a total below the minimum (BR002) unless
every line is free (EC010)."""

from __future__ import annotations

import pytest

from mercato.kernel import rules
from tests.integration.cart.conftest import Shop, codes_of


async def test_a_sound_cart_is_valid(shop: Shop) -> None:
    product = await shop.product("15.00")
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id, 2)
    checked = await shop.validate(cart, guest)
    assert (checked["valid"], checked["problems"]) == (True, [])
    assert checked["cart"]["total"] == "35.00"
    assert checked["cart"]["version"] == cart["version"]  # validating wrote nothing


async def test_an_empty_cart_is_not_valid(shop: Shop) -> None:
    guest = await shop.guest()
    cart = await shop.cart(guest)
    checked = await shop.validate(cart, guest)
    assert (checked["valid"], codes_of(checked)) == (False, ["empty_cart"])


@pytest.mark.edge_case("EC013")
async def test_ec013_a_price_change_since_adding_is_reported_until_accepted(shop: Shop) -> None:
    # given a line added at 20.00
    product = await shop.product("20.00")
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id, 2)
    # when the merchant raises the price to 24.50
    await shop.set_price(product, "24.50")
    # then the cart is priced at today's price and says it changed, with both prices
    read = await shop.get(cart, guest)
    [item] = read["items"]
    assert (item["unit_price"], item["price_at_add"], item["line_total"]) == (
        "24.50",
        "20.00",
        "49.00",
    )
    [problem] = read["problems"]
    assert (problem["code"], problem["item_id"]) == ("price_changed", item["id"])
    assert (problem["old_price"], problem["new_price"]) == ("20.00", "24.50")
    # and checkout is refused until the shopper accepts it
    checked = await shop.validate(cart, guest)
    assert (checked["valid"], codes_of(checked)) == (False, ["price_changed"])
    accepted = await shop.client.post(f"/v1/carts/{cart['id']}/accept-prices", headers=guest)
    assert accepted.status_code == 200
    assert accepted.json()["items"][0]["price_at_add"] == "24.50"
    assert (await shop.validate(cart, guest))["valid"] is True


@pytest.mark.edge_case("EC013")
async def test_ec013_re_adding_or_changing_a_line_keeps_the_price_recorded_until_accepted(
    shop: Shop,
) -> None:
    # given a line added at 8.00, whose price then drops to 7.00
    product = await shop.product("8.00")
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id, 1)
    await shop.set_price(product, "7.00")
    # when the guest adds another one
    readded = await shop.added(cart, guest, product.variant_id, 1)
    # then the line keeps the price it recorded, and the change is still reported
    [item] = readded["items"]
    assert (item["quantity"], item["unit_price"], item["price_at_add"]) == (2, "7.00", "8.00")
    assert [(p["code"], p["old_price"], p["new_price"]) for p in readded["problems"]] == [
        ("price_changed", "8.00", "7.00")
    ]
    # when the price moves again and the guest changes the quantity
    await shop.set_price(product, "7.50")
    patched = await shop.client.patch(
        f"/v1/carts/{cart['id']}/items/{item['id']}", json={"quantity": 3}, headers=guest
    )
    # then still the recorded price, and the change from it reported
    assert patched.status_code == 200, patched.text
    [item] = patched.json()["items"]
    assert (item["quantity"], item["unit_price"], item["price_at_add"]) == (3, "7.50", "8.00")
    assert [(p["code"], p["old_price"], p["new_price"]) for p in patched.json()["problems"]] == [
        ("price_changed", "8.00", "7.50")
    ]
    # and only accepting the prices records today's
    accepted = await shop.client.post(f"/v1/carts/{cart['id']}/accept-prices", headers=guest)
    assert (accepted.json()["items"][0]["price_at_add"], accepted.json()["problems"]) == (
        "7.50",
        [],
    )


@pytest.mark.edge_case("EC013")
async def test_ec013_lowering_the_quantity_after_a_price_rise_still_reports_the_rise(
    shop: Shop,
) -> None:
    # given two added at 10.00, and then the price rises to 15.00
    product = await shop.product("10.00")
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id, 2)
    await shop.set_price(product, "15.00")
    # when the shopper lowers the quantity to 1
    lowered = await shop.client.patch(
        f"/v1/carts/{cart['id']}/items/{cart['items'][0]['id']}",
        json={"quantity": 1},
        headers=guest,
    )
    # then the line is at today's price but still records 10.00, and the rise is reported
    assert lowered.status_code == 200, lowered.text
    [item] = lowered.json()["items"]
    assert (item["quantity"], item["unit_price"], item["price_at_add"]) == (1, "15.00", "10.00")
    [problem] = lowered.json()["problems"]
    assert (problem["code"], problem["old_price"], problem["new_price"]) == (
        "price_changed",
        "10.00",
        "15.00",
    )
    # and checkout refuses the cart until the shopper accepts the new price
    checked = await shop.validate(cart, guest)
    assert (checked["valid"], codes_of(checked)) == (False, ["price_changed"])


async def test_validation_reports_every_line_problem_at_once(shop: Shop) -> None:
    # given four lines that each went wrong after they were added
    repriced = await shop.product("10.00")
    sold_out = await shop.product("10.00", stock=2)
    scarce = await shop.product("10.00", stock=5)
    withdrawn = await shop.product("10.00")
    fine = await shop.product("10.00")
    guest = await shop.guest()
    cart = await shop.cart(guest)
    for product, quantity in ((repriced, 1), (sold_out, 2), (scarce, 4), (withdrawn, 1), (fine, 1)):
        cart = await shop.added(cart, guest, product.variant_id, quantity)
    items = {i["variant_id"]: i["id"] for i in cart["items"]}
    await shop.set_price(repriced, "12.00")
    await shop.stock(sold_out.sku, -2)
    await shop.stock(scarce.sku, -3)
    await shop.archive(withdrawn)
    # when checkout validates it
    checked = await shop.validate(cart, guest)
    # then each problem is reported against its line
    assert checked["valid"] is False
    found = {(p["code"], p.get("item_id")) for p in checked["problems"]}
    assert found == {
        ("price_changed", items[repriced.variant_id]),
        ("out_of_stock", items[sold_out.variant_id]),
        ("insufficient_stock", items[scarce.variant_id]),
        ("unavailable", items[withdrawn.variant_id]),
    }
    short = next(p for p in checked["problems"] if p["code"] == "insufficient_stock")
    assert (short["available"], short["quantity"]) == (2, 4)
    # and reading the cart reports the same, without writing
    read = await shop.get(cart, guest)
    assert {(p["code"], p.get("item_id")) for p in read["problems"]} == found
    assert read["version"] == cart["version"]


@pytest.mark.business_rule("BR002")
async def test_br002_a_total_below_one_cannot_check_out(shop: Shop) -> None:
    # given a 0.50 digital good (nothing to ship)
    cheap = await shop.product("0.50", requires_shipping=False)
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, cheap.variant_id)
    assert cart["total"] == "0.50"
    # when checkout validates the cart, BR002 stops it
    checked = await shop.validate(cart, guest)
    assert (checked["valid"], codes_of(checked)) == (False, ["total_below_minimum"])
    assert (checked["problems"][0]["rule"], checked["problems"][0]["total"]) == ("BR002", "0.50")
    # while reading the cart does not report a checkout-only rule
    assert (await shop.get(cart, guest))["problems"] == []
    # and two of them reach the minimum
    cart = await shop.added(cart, guest, cheap.variant_id)
    assert (await shop.validate(cart, guest))["valid"] is True


@pytest.mark.edge_case("EC010")
@pytest.mark.business_rule("BR002")
async def test_ec010_a_cart_of_free_products_passes_br002(shop: Shop) -> None:
    # given a product marked free, with nothing to ship
    gift = await shop.product(is_free=True, requires_shipping=False)
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, gift.variant_id, 2)
    assert (cart["items"][0]["line_total"], cart["total"]) == ("0.00", "0.00")
    # when checkout validates it, the zero total is no problem
    checked = await shop.validate(cart, guest)
    assert (checked["valid"], checked["problems"]) == (True, [])


@pytest.mark.edge_case("EC010")
@pytest.mark.business_rule("BR002")
async def test_ec010_a_free_product_with_a_cheap_paid_one_is_held_to_br002(shop: Shop) -> None:
    gift = await shop.product(is_free=True, requires_shipping=False)
    cheap = await shop.product("0.20", requires_shipping=False)
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, gift.variant_id)
    cart = await shop.added(cart, guest, cheap.variant_id)
    assert codes_of(await shop.validate(cart, guest)) == ["total_below_minimum"]


@pytest.mark.business_rule("BR014")
async def test_br014_stock_problems_are_found_by_the_rule_and_name_it(shop: Shop) -> None:
    # given a line of 2 whose stock ran out and a line of 4 with 2 left
    sold_out = await shop.product(stock=2)
    scarce = await shop.product(stock=5)
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, sold_out.variant_id, 2)
    cart = await shop.added(cart, guest, scarce.variant_id, 4)
    await shop.stock(sold_out.sku, -2)
    await shop.stock(scarce.sku, -3)
    evaluated = rules.enforcement_counts()["BR014"]
    # when the cart is read
    read = await shop.get(cart, guest)
    # then BR014 judged its lines, and each stock problem keeps its code and names the rule
    assert rules.enforcement_counts()["BR014"] >= evaluated + 2
    stock = {p["code"]: p for p in read["problems"]}
    assert sorted(stock) == ["insufficient_stock", "out_of_stock"]
    assert (stock["out_of_stock"]["rule"], stock["out_of_stock"]["available"]) == ("BR014", 0)
    short = stock["insufficient_stock"]
    assert (short["rule"], short["available"], short["quantity"]) == ("BR014", 2, 4)
