"""A cart is priced in one currency, never a mix: a line whose product is sold in another
currency counts nothing in the totals (and is reported), and the store's flat shipping and
free-shipping threshold, amounts of its current currency, are not applied to a cart in
another currency (the store changed currency after the cart was opened)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mercato.agents.cart.models import CartItem
from mercato.kernel.context import bind
from mercato.kernel.ids import new_id
from tests.integration.cart.conftest import Product, Shop, codes_of


async def _slip_in(shop: Shop, cart: dict[str, Any], product: Product, price: str) -> None:
    """Put a line of `product` in the cart as it was before carts checked currencies (an
    older merge could leave one): the cart's API refuses to add it."""
    with bind(tenant_id="default"):
        async with shop.kernel.uow() as uow:
            uow.session.add(
                CartItem(
                    id=new_id(),
                    cart_id=cart["id"],
                    variant_id=product.variant_id,
                    product_id=product.id,
                    sku=product.sku,
                    name="Imported in euros",
                    quantity=1,
                    unit_price=Decimal(price),
                    added_at=shop.kernel.clock.now(),
                )
            )
            await uow.commit()


async def test_a_line_in_another_currency_counts_nothing_in_the_totals(shop: Shop) -> None:
    # given a USD cart with two of a 10.00 product, and a line of a product sold in EUR
    dollars = await shop.product("10.00")
    euros = await shop.product("7.00", currency="EUR")
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, dollars.variant_id, 2)
    await _slip_in(shop, cart, euros, "7.00")
    # when the cart is read
    read = await shop.get(cart, guest)
    # then its totals are the USD line's alone, and the EUR line costs nothing here
    assert (read["currency"], read["subtotal"], read["shipping_total"], read["total"]) == (
        "USD",
        "20.00",
        "5.00",
        "25.00",
    )
    line = next(i for i in read["items"] if i["variant_id"] == euros.variant_id)
    assert line["line_total"] == "0.00"
    # and the line is reported as in another currency (no price change across currencies)
    [problem] = read["problems"]
    assert (problem["code"], problem["item_id"], problem["product_currency"]) == (
        "currency_mismatch",
        line["id"],
        "EUR",
    )
    # and checkout refuses the cart until the line is removed
    checked = await shop.validate(cart, guest)
    assert (checked["valid"], codes_of(checked)) == (False, ["currency_mismatch"])
    removed = await shop.client.delete(f"/v1/carts/{cart['id']}/items/{line['id']}", headers=guest)
    assert removed.status_code == 200, removed.text
    assert (await shop.validate(cart, guest))["valid"] is True


async def test_shipping_is_not_estimated_in_another_currency_than_the_cart(shop: Shop) -> None:
    # given a USD cart, opened before the store moved to EUR with 4.00 shipping, free from 50
    physical = await shop.product("30.00")
    guest = await shop.guest()
    cart = await shop.cart(guest)
    await shop.switch_currency("EUR", flat_shipping="4.00", free_shipping_over="50.00")
    # when a physical product goes in it
    cart = await shop.added(cart, guest, physical.variant_id, 1)
    # then no shipping amount of EUR is charged to the USD cart: 0, and it says why
    assert (cart["currency"], cart["subtotal"], cart["shipping_total"], cart["total"]) == (
        "USD",
        "30.00",
        "0.00",
        "30.00",
    )
    [problem] = cart["problems"]
    assert (problem["code"], problem["shipping_currency"], problem["cart_currency"]) == (
        "shipping_unavailable",
        "EUR",
        "USD",
    )
    # and checkout refuses it
    checked = await shop.validate(cart, guest)
    assert (checked["valid"], codes_of(checked)) == (False, ["shipping_unavailable"])
    # nor is the EUR free-shipping threshold applied when the subtotal passes it
    cart = await shop.added(cart, guest, physical.variant_id, 1)
    assert (cart["subtotal"], cart["shipping_total"], codes_of(cart)) == (
        "60.00",
        "0.00",
        ["shipping_unavailable"],
    )


async def test_a_cart_with_nothing_to_ship_needs_no_shipping_estimate(shop: Shop) -> None:
    # given a USD cart of a digital good, opened before the store moved to EUR
    digital = await shop.product("30.00", requires_shipping=False)
    guest = await shop.guest()
    cart = await shop.cart(guest)
    await shop.switch_currency("EUR")
    # when the guest adds it, nothing needs shipping: no problem, and it may check out
    cart = await shop.added(cart, guest, digital.variant_id, 1)
    assert (cart["shipping_total"], cart["total"], cart["problems"]) == ("0.00", "30.00", [])
    assert (await shop.validate(cart, guest))["valid"] is True


async def test_a_cart_in_the_stores_currency_is_shipped_as_before(shop: Shop) -> None:
    # given the store moved to EUR, 4.00 shipping
    await shop.switch_currency("EUR", flat_shipping="4.00", free_shipping_over=None)
    product = await shop.product("30.00", currency="EUR")
    guest = await shop.guest()
    # when a guest opens a cart now (in EUR) and adds a EUR product
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id, 1)
    # then the flat rate applies
    assert (cart["currency"], cart["shipping_total"], cart["total"], cart["problems"]) == (
        "EUR",
        "4.00",
        "34.00",
        [],
    )
