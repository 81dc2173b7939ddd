"""Totals by the store's settings: tax rates by country and region (a region's rate wins),
tax-exclusive or inclusive prices, flat shipping with a free-shipping threshold."""

from __future__ import annotations

from typing import Any

from tests.integration.cart.conftest import Shop
from tests.integration.identity.conftest import ADMIN

US_RATES = (
    {"country": "US", "rate_percent": "5", "name": "Federal-ish"},
    {"country": "US", "region": "CA", "rate_percent": "7.25", "name": "California"},
    {"country": "FR", "rate_percent": "20", "name": "TVA"},
)


def totals(cart: dict[str, Any]) -> tuple[str, str, str, str, str]:
    return (
        cart["subtotal"],
        cart["discount_total"],
        cart["tax_total"],
        cart["shipping_total"],
        cart["total"],
    )


async def test_a_cart_is_taxed_where_it_is_going(shop: Shop) -> None:
    # given rates for the US, California and France, and a 40.00 cart
    await shop.tax_rates(*US_RATES)
    product = await shop.product("20.00")
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id, 2)
    url = f"/v1/carts/{cart['id']}"
    # then by default it is taxed at the store's country's rate (US: 5 %)
    assert (cart["country"], cart["region"]) == ("US", None)
    assert totals(cart) == ("40.00", "0.00", "2.00", "5.00", "47.00")
    # when it goes to California, the region's rate wins
    to_ca = await shop.client.patch(url, json={"country": "US", "region": "CA"}, headers=guest)
    assert to_ca.status_code == 200
    assert (to_ca.json()["country"], to_ca.json()["region"]) == ("US", "CA")
    assert totals(to_ca.json()) == ("40.00", "0.00", "2.90", "5.00", "47.90")
    # to a region with no rate of its own: the country's
    to_ny = await shop.client.patch(url, json={"region": "NY"}, headers=guest)
    assert totals(to_ny.json())[2] == "2.00"
    # to France: its rate, and a new country forgets the region
    to_fr = await shop.client.patch(url, json={"country": "FR"}, headers=guest)
    assert (to_fr.json()["country"], to_fr.json()["region"]) == ("FR", None)
    assert totals(to_fr.json())[2] == "8.00"
    # to a country with no rate: no tax
    to_de = await shop.client.patch(url, json={"country": "DE"}, headers=guest)
    assert totals(to_de.json())[2] == "0.00"


async def test_where_to_tax_is_validated(shop: Shop) -> None:
    guest = await shop.guest()
    cart = await shop.cart(guest)
    url = f"/v1/carts/{cart['id']}"
    before = await shop.snapshot(cart, guest)
    for body in ({"country": "usa"}, {"country": "us"}, {"country": "U1"}, {"region": "toolong"}):
        answer = await shop.client.patch(url, json=body, headers=guest)
        assert (answer.status_code, answer.json()["code"]) == (422, "validation_failed"), body
    no_country = await shop.client.patch(url, json={"region": "CA"}, headers=guest)
    assert (no_country.status_code, no_country.json()["code"]) == (422, "region_needs_country")
    assert await shop.snapshot(cart, guest) == before


async def test_a_tax_inclusive_store_shows_the_tax_its_prices_contain(shop: Shop) -> None:
    # given a store whose prices include 20 % VAT, free shipping from 100.00
    settings = {
        "currency": "USD",
        "prices_include_tax": True,
        "flat_shipping": "4.90",
        "free_shipping_over": "100.00",
        "default_country": "FR",
        "default_region": None,
    }
    put = await shop.client.put("/v1/cart-settings", json=settings, headers=ADMIN)
    assert put.status_code == 200, put.text
    await shop.tax_rates(*US_RATES)
    product = await shop.product("30.00")
    guest = await shop.guest()
    # when a guest buys two
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id, 2)
    # then the total does not grow: 60.00 contains 10.00 of tax
    assert cart["country"] == "FR"
    assert totals(cart) == ("60.00", "0.00", "10.00", "4.90", "64.90")


async def test_shipping_is_free_from_the_threshold_and_never_for_nothing_to_ship(
    shop: Shop,
) -> None:
    # given the default settings: 5.00 flat, free from 75.00
    physical = await shop.product("25.00")
    digital = await shop.product("25.00", requires_shipping=False)
    guest = await shop.guest()
    cart = await shop.cart(guest)
    # a digital good alone ships nothing
    cart = await shop.added(cart, guest, digital.variant_id, 1)
    assert cart["shipping_total"] == "0.00"
    # a physical one costs the flat rate
    cart = await shop.added(cart, guest, physical.variant_id, 1)
    assert (cart["subtotal"], cart["shipping_total"]) == ("50.00", "5.00")
    # from 75.00 on, shipping is free
    cart = await shop.added(cart, guest, physical.variant_id, 1)
    assert (cart["subtotal"], cart["shipping_total"], cart["total"]) == ("75.00", "0.00", "75.00")


async def test_cart_settings_are_public_to_read_and_admin_only_to_change(shop: Shop) -> None:
    # given a new store: its settings are Settings' defaults
    read = await shop.client.get("/v1/cart-settings")
    assert read.status_code == 200
    assert read.json() == {
        "currency": "USD",
        "prices_include_tax": False,
        "flat_shipping": "5.00",
        "free_shipping_over": "75.00",
        "default_country": "US",
        "default_region": None,
    }
    # when a customer tries to change them, it is refused
    customer = await shop.customer()
    body = {**read.json(), "flat_shipping": "0.00"}
    refused = await shop.client.put("/v1/cart-settings", json=body, headers=customer)
    assert refused.status_code == 403
    # and an amount finer than the currency allows is refused too
    too_fine = await shop.client.put(
        "/v1/cart-settings", json={**body, "flat_shipping": "1.005"}, headers=ADMIN
    )
    assert (too_fine.status_code, too_fine.json()["code"]) == (422, "invalid_amount")
    assert (await shop.client.get("/v1/cart-settings")).json()["flat_shipping"] == "5.00"
    # while the admin may
    changed = await shop.client.put("/v1/cart-settings", json=body, headers=ADMIN)
    assert changed.status_code == 200
    assert (await shop.client.get("/v1/cart-settings")).json()["flat_shipping"] == "0.00"


async def test_tax_rates_are_replaced_as_a_whole(shop: Shop) -> None:
    await shop.tax_rates(*US_RATES)
    listed = (await shop.client.get("/v1/tax-rates")).json()
    assert [(r["country"], r["region"], r["rate_percent"]) for r in listed["items"]] == [
        ("FR", None, "20"),
        ("US", None, "5"),
        ("US", "CA", "7.25"),
    ]
    assert listed["next_cursor"] is None
    # a page of two, then the rest (a country's own rate sorts before its regions')
    first = (await shop.client.get("/v1/tax-rates", params={"limit": 2})).json()
    rest = (
        await shop.client.get("/v1/tax-rates", params={"limit": 2, "cursor": first["next_cursor"]})
    ).json()
    assert [(r["country"], r["region"]) for r in first["items"] + rest["items"]] == [
        ("FR", None),
        ("US", None),
        ("US", "CA"),
    ]
    assert rest["next_cursor"] is None
    await shop.tax_rates({"country": "GB", "rate_percent": "20", "name": "VAT"})
    assert [r["country"] for r in (await shop.client.get("/v1/tax-rates")).json()["items"]] == [
        "GB"
    ]


async def test_tax_rates_refuse_duplicates_and_non_admins(shop: Shop) -> None:
    await shop.tax_rates(*US_RATES)
    twice = [{"country": "US", "rate_percent": "5"}, {"country": "US", "rate_percent": "6"}]
    duplicate = await shop.client.put("/v1/tax-rates", json=twice, headers=ADMIN)
    assert (duplicate.status_code, duplicate.json()["code"]) == (422, "duplicate_tax_rate")
    customer = await shop.customer()
    refused = await shop.client.put("/v1/tax-rates", json=[], headers=customer)
    assert refused.status_code == 403
    assert len((await shop.client.get("/v1/tax-rates")).json()["items"]) == 3
