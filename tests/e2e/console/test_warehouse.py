"""The warehouse in a real browser: an admin selects confirmed orders on the pick & pack
page, generates their batch pick list (stops in walk order, a tote per order), marks it
picked and packs the orders in the boxes chosen; the bins, tasks and counts pages show the
demo's layout and the work the pick list made."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.console.test_admin import ADMIN, an_order, sign_in

SHOTS = Path("/tmp/fulfilment")


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / f"warehouse-{name}.png"), full_page=True)


def test_an_admin_generates_a_pick_list_from_the_page_and_packs_it(page: Any, store: str) -> None:
    # given two confirmed orders of a demo product (its stock is in the demo's bins)
    first = an_order(store)
    second = an_order(store, quantity=2)

    # when an admin selects both on the pick & pack page and generates the pick list
    sign_in(page, ADMIN, "/admin/warehouse")
    expect(page.get_by_role("heading", name="Pick & pack", exact=True)).to_be_visible()
    page.get_by_label(f"Select {first['number']}").check()
    page.get_by_label(f"Select {second['number']}").check()
    page.get_by_role("button", name="Generate pick list (2)").click()

    # then the list shows its stops in walk order, each order in its tote, from a bin
    stops = page.get_by_role("table", name="Stops in walk order")
    expect(stops).to_be_visible()
    expect(stops).to_contain_text(f"Tote 1: {first['number']} \u00d7 1")
    expect(stops).to_contain_text(f"Tote 2: {second['number']} \u00d7 2")
    expect(stops.locator("tbody tr").first.locator("td").nth(1)).to_have_text(
        re.compile(r"^[A-Z]-\d{2}-\d$")
    )
    shot(page, "pick-list")

    # when it is marked picked, then it says so; and packed, the boxes are shown
    page.get_by_role("button", name="Mark all picked").click()
    expect(page.get_by_role("heading", name=re.compile("^Pick list"))).to_contain_text("Picked")
    page.get_by_role("button", name="Pack the orders").click()
    packed = page.get_by_role("region", name="Packed")
    expect(packed).to_contain_text(first["number"])
    expect(packed).to_contain_text(re.compile(r"MAILER-S|BOX-[SMLX]+"))
    expect(page.locator(".problem")).to_have_count(0)
    shot(page, "packed")
    assert page.errors == []


def test_the_bins_tasks_and_counts_pages_show_the_warehouse(page: Any, store: str) -> None:
    # given the demo's warehouse, an admin on the bins page
    sign_in(page, ADMIN, "/admin/warehouse/bins")
    bins = page.get_by_role("region", name="Bins")
    expect(bins.locator("tbody tr").first).to_be_visible()
    expect(page.get_by_role("region", name="Zones")).to_contain_text("Forward picking")
    shot(page, "bins")

    # when a count of the storage zone is started from the counts page
    page.get_by_role("link", name="Cycle counts").click()
    expect(page.get_by_label("Zone")).to_have_value(re.compile(".+"))  # storage, by default
    page.get_by_role("button", name="Start a count").click()
    sheet = page.get_by_role("region", name=re.compile("^Count of"))
    expect(sheet).to_contain_text("Open")
    # then the storage bins' lines are there to count, each with what its bin says
    first_line = sheet.get_by_role("spinbutton").first
    expect(first_line).to_be_visible()
    first_line.fill("0")
    page.get_by_role("button", name="Record counts").click()
    expect(sheet.locator("tbody tr").first.locator("td").last).to_have_text(re.compile(r"^-\d+$"))
    shot(page, "count")

    # and the count's task waits on the tasks page, where it is started
    page.get_by_role("link", name="Tasks", exact=True).click()
    page.get_by_label("Status").select_option("open")
    task = page.get_by_role("row").filter(has_text="Count").first
    # (the filter changes only once the start has been answered: not before, or the list
    # is read while the task is still open)
    with page.expect_response(lambda r: r.request.method == "POST" and "/start" in r.url):
        task.get_by_role("button", name="Start").click()
    page.get_by_label("Status").select_option("in_progress")
    expect(page.get_by_role("row").filter(has_text="Count").first).to_contain_text("In progress")
    shot(page, "tasks")
    assert page.errors == []
