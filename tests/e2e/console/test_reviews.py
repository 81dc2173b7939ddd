"""Reviews in a real browser: a shopper sees a product's rating summary and reviews and
writes one holding a script, which is shown as text and never runs (EC016)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.console.test_admin import ADMIN, sign_in, token

ADA = ("ada@demo.mercato.dev", "Velvet-Quarry-Moss-63")
SCRIPT = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> nice'


def reviewed_product(store: str) -> str:
    headers = {"authorization": f"Bearer {token(store, ADMIN)}"}
    listed = httpx.get(f"{store}/v1/reviews", params={"status": "published"}, headers=headers)
    return str(listed.json()["items"][0]["product_id"])


@pytest.mark.edge_case("EC016")
def test_a_shopper_reads_reviews_and_a_script_in_theirs_is_shown_as_text(
    page: Any, store: str
) -> None:
    # given a product with the demo's reviews, and a signed-in customer on its page
    product = reviewed_product(store)
    sign_in(page, ADA, f"/shop/products/{product}")
    reviews = page.locator("section", has=page.get_by_role("heading", name="Customer reviews"))
    # then its rating summary and reviews are shown
    expect(page.get_by_role("list", name="Reviews by rating")).to_be_visible()
    expect(reviews.locator("article.r-item").first).to_be_visible()
    # when they write a review holding a script
    page.get_by_label("Your review").fill(SCRIPT)
    page.get_by_role("button", name="Publish review").click()
    # then it is shown as the text they wrote, and nothing ran
    expect(page.get_by_role("status").filter(has_text="Thanks!")).to_be_visible()
    expect(reviews.locator("p.r-body", has_text="window.__pwned = 1").first).to_be_visible()
    assert page.evaluate("window.__pwned") is None
    page.screenshot(path="test-artifacts/reviews-product.png", full_page=True)
    assert page.errors == []
