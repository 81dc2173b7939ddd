"""Analytics in a real browser: an admin sees an order's revenue in the dashboard's tile and
chart, and the tile follows the next order live (over the KPI socket, no reload); a block's
"Download CSV" saves the report as a file with its header line; a merchant sees the dashboard
of its own lines, with notes where a block covers whole orders; the pages pass axe."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.console.test_admin import ADMIN, MERCHANT, an_order, sign_in

SHOTS = Path("/tmp/shots")
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # else the sticky header lands mid-page in the shot
    page.screenshot(path=str(SHOTS / f"analytics-{name}.png"), full_page=True)


def dashboard(page: Any, who: tuple[str, str]) -> None:
    """Signed in on /admin/analytics, its key figures shown (sign_in returns before the login
    completes: the page's own heading says it is there)."""
    sign_in(page, who, "/admin/analytics")
    expect(page.get_by_role("heading", name="Analytics", exact=True)).to_be_visible()
    expect(page.get_by_role("group", name="Revenue")).to_be_visible()


def today(page: Any, tile: str) -> Any:
    return page.get_by_role("group", name=tile, exact=True).locator(".a-kpi-today dd")


def live(page: Any) -> None:
    expect(page.locator(".a-live").filter(has_text="Live")).to_be_visible()


def test_an_admin_sees_an_orders_revenue_in_the_tiles_and_the_chart(page: Any, store: str) -> None:
    # given an order placed today
    an_order(store)

    # when an admin opens the dashboard
    dashboard(page, ADMIN)

    # then today's revenue is no longer nothing (live: the read model may take a moment),
    # and the revenue chart draws the period's days
    live(page)
    expect(today(page, "Revenue")).not_to_have_text(re.compile(r"^\D*0[.,]00\D*$"))
    expect(today(page, "Orders")).not_to_have_text("0")
    chart = page.get_by_role("img", name=re.compile(r"^Revenue per day from .+ orders in all"))
    expect(chart).to_be_visible()
    expect(chart.locator("rect.bar").first).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Conversion funnel"))).to_be_visible()
    expect(page.locator(".problem")).to_have_count(0)
    shot(page, "dashboard")

    # and the figures behind the chart open as a table
    page.get_by_text("Show the figures as a table").first.click()
    expect(page.locator(".a-data table").first).to_be_visible()

    # and the dashboard reads on a phone, nothing wider than the screen
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("img", name=re.compile(r"^Revenue per day"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "dashboard-mobile")
    assert page.errors == []


def test_the_revenue_tile_follows_a_new_order_live(page: Any, store: str) -> None:
    # given an admin on the dashboard, its socket live, today's figures shown
    an_order(store)
    dashboard(page, ADMIN)
    live(page)
    orders = today(page, "Orders")
    expect(orders).not_to_have_text("0")
    before = today(page, "Revenue").inner_text()
    counted = orders.inner_text()
    page.evaluate("window.notReloaded = true")

    # when another order is placed (through the API)
    an_order(store, quantity=2)

    # then the tiles change without a reload
    expect(today(page, "Revenue")).not_to_have_text(before)
    expect(orders).not_to_have_text(counted)
    assert page.evaluate("window.notReloaded") is True
    live(page)
    assert page.errors == []


def test_download_csv_saves_the_report_with_its_header(page: Any, store: str) -> None:
    # given an admin on the dashboard
    dashboard(page, ADMIN)

    # when they download the revenue over time as CSV
    with page.expect_download() as started:
        page.get_by_role("button", name="Download Revenue over time as CSV").click()
    download = started.value

    # then the file is the sales report, a header line first
    day = r"\d{4}-\d{2}-\d{2}"
    assert re.fullmatch(rf"sales-{day}-{day}\.csv", download.suggested_filename)
    lines = Path(download.path()).read_text().splitlines()
    assert lines[0].split(",")[:5] == ["gross_revenue", "discounts", "shipping", "tax", "revenue"]
    assert len(lines) >= 2  # a line per day of the period
    assert page.errors == []


def test_a_merchant_sees_the_dashboard_of_its_own_lines(page: Any, store: str) -> None:
    # given an order of the demo merchant's product
    an_order(store)

    # when the merchant opens the dashboard
    dashboard(page, MERCHANT)

    # then its own lines' figures, and notes (not errors) for what covers whole orders
    expect(page.get_by_role("heading", name="Key figures of your lines")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Revenue per day"))).to_be_visible()
    funnel = page.get_by_role("region", name="Conversion funnel")
    expect(funnel.locator(".a-note")).to_contain_text("covers whole orders")
    top = page.get_by_role("region", name="Top products")
    expect(top.locator("tbody tr").first).to_be_visible()
    expect(page.locator(".problem")).to_have_count(0)
    expect(page.get_by_role("link", name="Settings")).to_have_count(0)
    shot(page, "merchant")

    # and the customers page says the same of its reports
    tabs = page.get_by_role("navigation", name="Analytics pages")
    tabs.get_by_role("link", name="Customers").click()
    expect(page.get_by_role("heading", name="Customers", exact=True)).to_be_visible()
    expect(page.locator(".a-note")).to_have_count(2)
    expect(page.locator(".problem")).to_have_count(0)
    assert page.errors == []


def test_the_analytics_pages_have_no_serious_accessibility_violation(page: Any, store: str) -> None:
    an_order(store)
    dashboard(page, ADMIN)
    for path, heading in [
        ("/admin/analytics", "Analytics"),
        ("/admin/analytics/customers", "Customers"),
        ("/admin/analytics/inventory", "Inventory"),
        ("/admin/analytics/carts", "Carts"),
        ("/admin/analytics/settings", "Analytics settings"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        expect(page.locator(".a-block .loading")).to_have_count(0)
        found = Axe().run(page, options=RULES).response["violations"]
        serious = [
            f"{v['impact']} {v['id']}: {v['help']} ({v['nodes'][0]['target']})"
            for v in found
            if v["impact"] in {"critical", "serious"}
        ]
        assert serious == [], path
