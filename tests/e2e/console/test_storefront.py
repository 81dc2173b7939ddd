"""The storefront as a shopper uses it, in a real browser: search, a product's variants, the
cart with a discount code, checkout with the sandbox's cards, the order and its history."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import expect

ACCEPTED = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"
CUSTOMER = ("ada@demo.mercato.dev", "Velvet-Quarry-Moss-63")


def a_product_with_two_variants(store: str) -> dict[str, Any]:
    """A product that ships and has two variants in stock, as the API lists it."""
    products = httpx.get(f"{store}/v1/products?limit=100&in_stock=true").json()["items"]
    return next(
        p
        for p in products
        if p["requires_shipping"] and sum(v["available"] > 5 for v in p["variants"]) >= 2
    )


def add_to_cart(page: Any, variant_title: str) -> None:
    page.get_by_role("radio", name=variant_title, exact=True).check()
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status").filter(has_text="Added")).to_be_visible()


def fill_checkout(page: Any, card: str) -> None:
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Address", exact=True).fill("1 Main St")
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("Postal code").fill("12345")
    page.get_by_label("Card number").fill(card)
    page.get_by_label("Expiry (MM/YY)").fill("12/30")
    page.get_by_label("Security code").fill("123")


def test_a_guest_finds_a_product_adds_two_variants_applies_a_code_and_checks_out(
    page: Any, store: str
) -> None:
    # given a product with two variants in stock
    product = a_product_with_two_variants(store)
    first, second = [v for v in product["variants"] if v["available"] > 5][:2]

    # when a guest searches for it by name and opens it
    page.goto("/")
    page.get_by_role("searchbox", name="Search products").fill(product["name"])
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile(re.escape(product["name"]))).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(product["name"])

    # and puts both variants in the cart
    add_to_cart(page, first["title"])
    add_to_cart(page, second["title"])
    expect(page.get_by_role("link", name="Cart, 2 items")).to_be_visible()

    # and applies a discount code in the cart
    page.get_by_role("link", name="Cart, 2 items").click()
    page.get_by_label("Discount code").fill("WELCOME10")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Code WELCOME10 applied")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Discount"))).to_be_visible()

    # and checks out with the sandbox's accepted card
    page.get_by_role("link", name="Check out").click()
    fill_checkout(page, ACCEPTED)
    page.get_by_role("button", name=re.compile("^Pay ")).click()

    # then the order is confirmed, with both lines, the discount and its timeline
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Order ORD-"))
    expect(page.get_by_text("Thank you!")).to_be_visible()
    expect(page.locator(".badge").first).to_have_text("Confirmed")
    expect(page.get_by_role("cell", name=re.compile(re.escape(first["sku"])))).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(re.escape(second["sku"])))).to_be_visible()
    expect(page.get_by_text("Discount (WELCOME10)")).to_be_visible()
    expect(page.get_by_role("link", name="Cart, 0 items")).to_be_visible()
    assert page.errors == []


def test_a_declined_card_shows_why_and_keeps_the_cart(page: Any, store: str) -> None:
    # given a guest with one item in the cart
    product = a_product_with_two_variants(store)
    variant = product["variants"][0]
    page.goto(f"/shop/products/{product['id']}")
    add_to_cart(page, variant["title"])

    # when the card is declined at checkout
    page.goto("/shop/checkout")
    fill_checkout(page, DECLINED)
    page.get_by_role("button", name=re.compile("^Pay ")).click()

    # then the shopper reads why, stays on the checkout, and the cart still holds the item
    expect(page.get_by_role("alert")).to_contain_text("declined")
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    page.get_by_role("link", name="Cart, 1 item").click()
    expect(page.get_by_role("link", name=product["name"])).to_be_visible()


def test_a_guest_cart_survives_sign_in_and_the_order_shows_in_the_history(
    page: Any, store: str
) -> None:
    # given a guest with an item in the cart
    product = a_product_with_two_variants(store)
    page.goto(f"/shop/products/{product['id']}")
    add_to_cart(page, product["variants"][0]["title"])

    # when they sign in as a customer
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(CUSTOMER[0])
    page.get_by_label("Password").fill(CUSTOMER[1])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")

    # then the cart is still theirs, and what they order shows in their history
    page.goto("/shop/checkout")
    expect(page.get_by_label("Email")).to_have_value(CUSTOMER[0])
    fill_checkout(page, ACCEPTED)
    page.get_by_label("Email").fill(CUSTOMER[0])
    page.get_by_role("button", name=re.compile("^Pay ")).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Order ORD-"))
    number = heading.text_content() or ""
    page.get_by_role("link", name="All your orders").click()
    expect(page.get_by_role("link", name=number.removeprefix("Order "))).to_be_visible()
