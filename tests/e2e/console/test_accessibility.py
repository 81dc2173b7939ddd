"""The console's main pages checked by axe-core (WCAG 2.1 A and AA rules) in a real browser:
no critical or serious violation. axe is run in the page through the browser's protocol, so
the page's Content-Security-Policy stays as it is."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.console.test_admin import ADMIN, an_order, sign_in
from tests.e2e.console.test_storefront import a_product_with_two_variants

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING = {"critical", "serious"}


def violations(page: Any) -> list[str]:
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    found = Axe().run(page, options=RULES).response["violations"]
    return [
        f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in found
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/shop/products?q=organic",
        "/shop/search?q=wool",
        "/shop/cart",
        "/shop/help",
        "/account/sign-in",
        "/account/sign-up",
        "/explorer",
        "/explorer/workflows/checkout",
        "/explorer/rules",
        "/explorer/generate",
    ],
)
def test_a_public_page_has_no_serious_accessibility_violation(page: Any, path: str) -> None:
    page.goto(path)
    assert violations(page) == []


def test_the_product_and_checkout_pages_have_no_serious_accessibility_violation(
    page: Any, store: str
) -> None:
    product = a_product_with_two_variants(store)
    page.goto(f"/shop/products/{product['id']}")
    assert violations(page) == []
    page.get_by_role("button", name="Add to cart").click()
    page.goto("/shop/checkout")
    assert violations(page) == []


def test_the_admin_pages_have_no_serious_accessibility_violation(page: Any, store: str) -> None:
    order = an_order(store)
    sign_in(page, ADMIN, "/admin")
    assert violations(page) == []
    for path in [
        "/admin/orders",
        f"/admin/orders/{order['id']}",
        "/admin/products",
        f"/admin/products/{a_product_with_two_variants(store)['id']}",
        "/admin/categories",
        "/admin/inventory",
        "/admin/inventory/moves",
        "/admin/discount-codes",
        "/admin/tax-rates",
        "/admin/payments",
        "/admin/people",
        "/admin/events",
        "/admin/search",
        "/admin/support",
        "/admin/support/faq",
        "/admin/dead-letters",
        "/admin/intelligence/ask",
        "/admin/intelligence/reports",
        "/admin/intelligence/settings",
    ]:
        page.goto(path)
        assert violations(page) == [], path
