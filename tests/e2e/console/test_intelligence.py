"""Commerce intelligence in a real browser: an admin reads a demo product's demand forecast
(its intervals drawn), its reviews' sentiment and its competitors' prices, then the model
registry and the (empty) sources, match queue and audit log."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.e2e.console.test_admin import ADMIN, sign_in, token


def reviewed_product_with_history(store: str) -> str:
    """A demo product with published reviews, among those the demo gave two years of sales."""
    headers = {"authorization": f"Bearer {token(store, ADMIN)}"}
    reviews = httpx.get(
        f"{store}/v1/reviews", params={"status": "published", "limit": 100}, headers=headers
    ).json()["items"]
    for product_id in dict.fromkeys(r["product_id"] for r in reviews):
        forecast = httpx.get(
            f"{store}/v1/intelligence/forecast/products/{product_id}",
            params={"horizon": 30},
            headers=headers,
            timeout=120,
        ).json()
        if forecast["history_days"] >= 365:
            return str(product_id)
    raise AssertionError("no reviewed demo product has a year of sales")


def test_an_admin_reads_a_product_s_forecast_sentiment_and_prices(page: Any, store: str) -> None:
    # given a demo product with reviews and two years of sales
    product = reviewed_product_with_history(store)

    # when an admin opens its intelligence page
    sign_in(page, ADMIN, f"/admin/intelligence/products/{product}")

    # then its forecast is drawn with its intervals, for 30 days and then 7
    chart = page.get_by_role("img", name=re.compile(r"^Forecast of 30 days"))
    expect(chart).to_be_visible(timeout=60_000)
    expect(page.get_by_text(re.compile(r"Expected over 30 days"))).to_be_visible()
    page.get_by_role("button", name="7 days").click()
    expect(page.get_by_role("img", name=re.compile(r"^Forecast of 7 days"))).to_be_visible(
        timeout=60_000
    )
    # and its reviews' sentiment, and its prices (no competitor matched yet)
    expect(page.get_by_text(re.compile(r"\d+ reviews, mean polarity"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"% positive")).first).to_be_visible()
    expect(page.get_by_text(re.compile(r"No competitor's price is matched"))).to_be_visible()
    page.screenshot(path="test-artifacts/intelligence-product.png", full_page=True)
    tabs = page.get_by_role("navigation", name="Intelligence pages")

    # when they open the model registry
    tabs.get_by_role("link", name="Models").click()
    # then the sentiment and demand models are listed with the version serving
    expect(page.get_by_role("heading", name=re.compile(r"^Sentiment"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Demand"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Version 1 serves")).first).to_be_visible()
    page.screenshot(path="test-artifacts/intelligence-models.png", full_page=True)

    # and the data pages answer: the demo's competitor sources, the title matches waiting
    # for a reviewer, nothing corrected
    tabs.get_by_role("link", name="Sources").click()
    expect(page.get_by_text("Northpeak Outfitters").first).to_be_visible()
    tabs.get_by_role("link", name="Matches").click()
    expect(page.get_by_role("button", name=re.compile("^Accept")).first).to_be_visible()
    tabs.get_by_role("link", name="Audit").click()
    expect(page.get_by_text("No correction or deletion")).to_be_visible()
    assert page.errors == []
