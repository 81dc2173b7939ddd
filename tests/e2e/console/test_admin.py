"""The admin in a real browser: staff work an order through (capture, ship, refund) and its
timeline follows; a merchant manages its own products and never sees another merchant's."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.e2e.console.test_storefront import a_product_with_two_variants
from tests.integration.checkout.conftest import ADDRESS

ADMIN = ("admin@demo.mercato.dev", "Lantern-Orchid-Harbor-41")
MERCHANT = ("merchant@demo.mercato.dev", "Copper-Meadow-Falcon-27")


def token(store: str, who: tuple[str, str]) -> str:
    answer = httpx.post(f"{store}/v1/auth/login", json={"email": who[0], "password": who[1]})
    return str(answer.json()["access_token"])


def an_order(
    store: str,
    quantity: int = 1,
    *,
    who: tuple[str, str] | None = None,
    email: str = "buyer@example.com",
) -> dict[str, Any]:
    """A confirmed order of one variant, placed through the API by a guest, or by `who`
    (email, password) signed in."""
    product = a_product_with_two_variants(store)
    with httpx.Client(base_url=store) as api:
        if who is None:
            session = api.post("/v1/sessions", json={}).json()["session_token"]
            caller = {"X-Session-Token": session}
        else:
            caller = {"Authorization": f"Bearer {token(store, who)}"}
            email = who[0]
        cart = api.post("/v1/carts", headers=caller).json()
        body = {"variant_id": product["variants"][0]["id"], "quantity": quantity}
        api.post(f"/v1/carts/{cart['id']}/items", headers=caller, json=body)
        checkout = {
            "cart_id": cart["id"],
            "email": email,
            "shipping_address": ADDRESS,
            "payment": {
                "provider": "sandbox",
                "card": {
                    "number": "4242424242424242",
                    "exp_month": 12,
                    "exp_year": 2030,
                    "cvc": "123",
                },
            },
        }
        placed = api.post(
            "/v1/checkout", headers={**caller, "Idempotency-Key": uuid.uuid4().hex}, json=checkout
        )
        assert placed.status_code == 201, placed.text
        return dict(placed.json()["order"])


def sign_in(page: Any, who: tuple[str, str], then: str) -> None:
    page.goto(f"/account/sign-in?next={then}")
    page.get_by_label("Email").fill(who[0])
    page.get_by_label("Password").fill(who[1])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(then) + "$"))


def test_an_admin_captures_ships_and_refunds_an_order_and_its_timeline_follows(
    page: Any, store: str
) -> None:
    # given a confirmed order whose payment is authorized
    order = an_order(store)

    # when an admin finds it among the orders and opens it
    sign_in(page, ADMIN, "/admin/orders")
    page.get_by_role("link", name=order["number"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {order['number']}")
    timeline = page.get_by_role("complementary").filter(
        has=page.get_by_role("heading", name="Timeline")
    )

    # and captures the payment, ships the order, then refunds it
    page.get_by_role("button", name=re.compile("^Capture")).click()
    expect(timeline).to_contain_text("Payment captured")
    page.get_by_label("Carrier").fill("UPS")
    page.get_by_label("Tracking number").fill("1Z999AA10123456784")
    page.get_by_role("button", name="Mark shipped").click()
    expect(timeline).to_contain_text("Shipped")
    page.get_by_role("button", name="Refund").click()

    # then each step shows on the order and in its timeline
    expect(timeline).to_contain_text("Payment refunded")
    expect(page.get_by_text("UPS 1Z999AA10123456784")).to_be_visible()
    expect(page.locator(".badge").first).to_have_text("Shipped")
    assert page.errors == []


def test_a_merchant_sees_its_own_products_and_not_another_merchants(page: Any, store: str) -> None:
    # given another merchant's draft product
    admin = {"authorization": f"Bearer {token(store, ADMIN)}"}
    other = httpx.post(
        f"{store}/v1/products",
        headers=admin,
        json={
            "name": f"Rival Secret Lamp {uuid.uuid4().hex[:6]}",
            "status": "draft",
            "merchant_id": "rival-merchant",
            "variants": [{"sku": f"RIVAL-{uuid.uuid4().hex[:8]}", "price": "30.00"}],
        },
    )
    assert other.status_code == 201, other.text

    # when the demo merchant lists its drafts and tries the other's product by its address
    sign_in(page, MERCHANT, "/admin/products")
    expect(page.get_by_text("Products of demo-merchant")).to_be_visible()
    page.get_by_label("Status").select_option("draft")
    expect(page.get_by_role("heading", level=1)).to_have_text("Products")

    # then the other merchant's product is nowhere, and its page is refused
    expect(page.get_by_text(other.json()["name"])).to_have_count(0)
    page.goto(f"/admin/products/{other.json()['id']}")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_text(other.json()["name"])).to_have_count(0)


def test_a_merchant_gives_its_product_an_attribute_the_shop_shows(page: Any, store: str) -> None:
    # given one of the demo merchant's products
    product = a_product_with_two_variants(store)

    # when the merchant adds an attribute to it
    sign_in(page, MERCHANT, f"/admin/products/{product['id']}")
    page.get_by_label("New attribute").fill("origin")
    page.get_by_label("Its value").fill("Portugal")
    page.get_by_role("button", name="Add the attribute").click()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")

    # then the product's page in the shop lists it
    page.goto(f"/shop/products/{product['id']}")
    expect(page.get_by_text("Portugal")).to_be_visible()
