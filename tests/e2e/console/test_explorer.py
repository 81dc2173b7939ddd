"""The domain explorer in a real browser: the entity-relationship diagram, a workflow's step
diagram, 100 orders generated and downloaded as CSV, and seed 001's properties with their tests."""

from __future__ import annotations

import csv
import re
from typing import Any

from playwright.sync_api import expect


def test_the_explorer_draws_the_entities_and_a_workflow(page: Any) -> None:
    # when the domain explorer is opened
    page.goto("/explorer")
    # then the diagram shows every entity, and a click opens one
    diagram = page.get_by_role("group", name=re.compile("Entity-relationship diagram"))
    expect(diagram).to_be_visible()
    expect(diagram.get_by_role("link", name="Entity order", exact=True)).to_be_visible()
    diagram.get_by_role("link", name="Entity order", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Entity: order")
    expect(page.get_by_role("cell", name=re.compile("^number"))).to_be_visible()

    # and the checkout workflow is drawn step by step, with the code behind each step
    page.get_by_role("link", name="Workflows").click()
    page.get_by_role("link", name="Checkout").click()
    steps = page.get_by_role("img", name=re.compile("^Workflow checkout"))
    expect(steps).to_be_visible()
    expect(steps).to_contain_text("Inventory reservation")
    expect(page.get_by_text("mercato.agents.inventory.service.reserve")).to_be_visible()
    assert page.errors == []


def test_the_explorer_generates_100_orders_as_csv(page: Any) -> None:
    # given the test-data generator, set to 100 orders as CSV
    page.goto("/explorer/generate")
    page.get_by_label("Entity").select_option("order")
    page.get_by_label("Records").fill("100")
    page.get_by_label("Format").select_option("csv")

    # when they are generated and downloaded
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_text("100 records")).to_be_visible()
    with page.expect_download() as started:
        page.get_by_role("button", name="Download CSV").click()
    download = started.value

    # then the file holds a header and 100 orders, each with a number
    assert download.suggested_filename == "order-100.csv"
    with open(download.path(), newline="") as saved:
        rows = list(csv.DictReader(saved))
    assert len(rows) == 100
    assert all(re.fullmatch(r"ORD-\d{4}-\d{7}", row["number"]) for row in rows)


def test_the_explorer_lists_seed_001_s_properties_with_their_tests(page: Any) -> None:
    # when the explorer's properties page is opened
    page.goto("/explorer")
    page.get_by_role("link", name="Properties").click()

    # then seed 001's properties are listed by area, each with the tests that prove it
    expect(page.get_by_role("heading", level=1)).to_have_text("Seed 001 properties")
    expect(page.get_by_role("heading", name="Model Registry and monitoring")).to_be_visible()
    row = page.locator("tr#P59")
    expect(row).to_contain_text("Model drift triggers alerts")
    expect(row).to_contain_text("test_property_59_")
    page.screenshot(path="test-artifacts/explorer-properties.png", full_page=True)
    assert page.errors == []
