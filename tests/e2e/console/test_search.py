"""Search in a real browser: a shopper's misspelt words are taken for what they meant, a facet
narrows the results, and the product opened is recorded as the search's click; staff read
what shoppers search for, and an admin adds synonyms."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.e2e.console.test_admin import ADMIN, sign_in, token
from tests.e2e.console.test_storefront import a_product_with_two_variants


def test_a_misspelt_search_finds_jackets_a_facet_narrows_them_and_the_click_counts(
    page: Any, store: str
) -> None:
    # when a guest searches from the home page for "jakcet"
    page.goto("/")
    page.get_by_role("searchbox", name="Search products").fill("jakcet")
    page.get_by_role("button", name="Search").click()
    # then the results are jackets, shown as what the words were taken for
    expect(page).to_have_url(re.compile(r"/shop/search\?q=jakcet$"))
    expect(page.get_by_role("status")).to_contain_text("Showing results for jacket")
    tiles = page.locator(".tile")
    expect(tiles.first).to_contain_text("Jacket")
    total = int(page.get_by_text(re.compile(r"^\d+ products$")).inner_text().split()[0])
    # when a brand is chosen among the facets, only that brand's jackets remain
    brand = page.locator("fieldset.facet", has_text="Brand").locator("label").first
    count = int(re.search(r"\((\d+)\)", brand.inner_text()).group(1))
    brand.locator("input").check()
    expect(page).to_have_url(re.compile(r"brand="))
    expect(page.get_by_text(f"{count} products", exact=True)).to_be_visible()
    assert count <= total
    # and opening the first result is recorded as the search's click
    name = tiles.first.locator(".name").inner_text()
    tiles.first.get_by_role("link").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    admin = {"authorization": f"Bearer {token(store, ADMIN)}"}
    deadline = time.monotonic() + 15
    while True:  # the query log is written every 2 seconds
        insights = httpx.get(f"{store}/v1/search/insights", headers=admin).json()
        clicks = sum(q["clicks"] for q in insights["top_queries"] if q["query"] == "jakcet")
        if clicks or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert clicks >= 1


def test_an_admin_reads_the_searches_and_adds_synonyms_the_shop_uses(page: Any, store: str) -> None:
    # given a search nothing answers, by its letters or its meaning (a shop's own slang)
    httpx.get(f"{store}/v1/search", params={"q": "zorbl"})
    sign_in(page, ADMIN, "/admin/search")
    expect(page.get_by_role("heading", name="What shoppers search for")).to_be_visible()
    # when the admin says a zorbl is a jacket
    page.get_by_label("Synonym groups").fill("zorbl, jacket")
    page.get_by_role("button", name="Save synonyms").click()
    expect(page.get_by_role("status")).to_have_text("Synonyms saved.")
    # then a search for zorbls finds the jackets
    page.goto("/shop/search?q=zorbl")
    expect(page.locator(".tile").first).to_contain_text("Jacket")
    # and the nothing-found list shows the search made before (once the log, written every
    # 2 s, has it)
    admin = {"authorization": f"Bearer {token(store, ADMIN)}"}

    def logged() -> bool:
        insights = httpx.get(f"{store}/v1/search/insights", headers=admin).json()
        return any(row["query"] == "zorbl" for row in insights["zero_results"])

    deadline = time.monotonic() + 30
    while not logged() and time.monotonic() < deadline:
        time.sleep(0.5)
    page.goto("/admin/search")
    expect(page.get_by_role("cell", name="zorbl", exact=True).first).to_be_visible(timeout=15_000)


def test_a_product_page_offers_other_products_beside_it(page: Any, store: str) -> None:
    product = a_product_with_two_variants(store)
    page.goto(f"/shop/products/{product['id']}")
    related = page.get_by_role("region", name=re.compile("You may also like|Often bought together"))
    expect(related.locator(".tile").first).to_be_visible()
    names = related.locator(".tile .name").all_inner_texts()
    assert names and product["name"] not in names
