"""Shipping in a real browser: an admin makes a shipment of some of an order's units from the
order's page (a carrier's service from the order's rates), ships it with the carrier's
tracking number, marks it delivered and reads its timeline; the shopper's order page shows
the parcel and its tracking; a shopper picks a shipping option on the cart page and the
total follows; an admin switches a carrier's service off and on; the pages pass axe."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.console.test_accessibility import violations
from tests.e2e.console.test_admin import ADMIN, an_order, sign_in, token
from tests.e2e.console.test_storefront import CUSTOMER, a_product_with_two_variants

SHOTS = Path("/tmp/fulfilment")
SLOW = 15_000
"""For what asks the carriers (rates, a label) or waits on the bus: a busy machine is slow."""
TRACKING = "1Z999AA10123456784"


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # else the sticky header lands mid-page in the shot
    page.screenshot(path=str(SHOTS / f"shipping-{name}.png"), full_page=True)


def pick(select: Any, text: str) -> None:
    """Choose the option of `select` whose words hold `text` (its label also says a price)."""
    option = select.locator("option", has_text=text)
    expect(option).to_have_count(1, timeout=SLOW)
    select.select_option(option.get_attribute("value"))


def amount(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d.]", "", text))


@pytest.mark.business_rule("BR023")
def test_an_admin_ships_part_of_an_order_from_its_page_and_follows_it_to_delivery(
    page: Any, store: str
) -> None:
    # given a confirmed order of three units
    order = an_order(store, 3)
    sku = order["lines"][0]["sku"]

    # when an admin opens it and makes a shipment of two units with Parcel Post Ground
    sign_in(page, ADMIN, f"/admin/orders/{order['id']}")
    panel = page.locator("section.s-fulfilment")
    expect(panel.get_by_role("heading", name="Create shipment")).to_be_visible(timeout=SLOW)
    expect(panel.get_by_text("Fulfilment plan")).to_be_visible()
    panel.get_by_label(f"Units of {sku}").fill("2")
    pick(panel.get_by_label("Ship with"), "Parcel Post Ground")
    panel.get_by_role("button", name="Create shipment").click()

    # then the new shipment is listed with its label, and one unit is left to ship
    created = panel.get_by_role("status").filter(has_text="created with Parcel Post Ground")
    expect(created).to_be_visible(timeout=SLOW)
    expect(created.get_by_role("link", name="Print its label (PDF)")).to_be_visible()
    expect(panel.get_by_text("1 left")).to_be_visible()
    shot(page, "order-panel")
    with page.context.expect_page() as opened:
        created.get_by_role("link", name="Print its label (PDF)").click()
    expect(opened.value).to_have_url(re.compile("^blob:"))
    opened.value.close()

    # when the admin opens the shipment: a table carrier's label has no tracking number, so
    # shipping it asks for the carrier's (BR023)
    panel.get_by_role("link", name=re.compile(r"^SHP-")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Shipment SHP-"))
    expect(page.locator(".s-head .badge")).to_have_text("Label created")
    page.get_by_label("Tracking number").fill(TRACKING)
    page.get_by_role("button", name="Ship", exact=True).click()
    expect(page.locator(".s-head .badge")).to_have_text("Shipped", timeout=SLOW)

    # and marks it delivered
    page.get_by_role("button", name="Mark delivered").click()
    expect(page.locator(".s-head .badge")).to_have_text("Delivered", timeout=SLOW)

    # then the timeline tells the way, with the tracking number, and nothing is left to do
    timeline = page.get_by_role("list", name=re.compile(r"^Tracking of SHP-"))
    expect(timeline.get_by_role("listitem")).to_have_count(3)
    expect(timeline.get_by_role("listitem").nth(0)).to_contain_text("Label created")
    expect(timeline.get_by_role("listitem").nth(1)).to_contain_text("Shipped")
    expect(timeline.get_by_role("listitem").nth(1)).to_contain_text(TRACKING)
    expect(timeline.get_by_role("listitem").nth(2)).to_contain_text("Delivered")
    expect(page.get_by_text("Nothing left to do: the shipment is delivered.")).to_be_visible()
    expect(page.get_by_role("button", name="Ship", exact=True)).to_have_count(0)
    shot(page, "shipment")

    # and the shipments' list has it among the delivered, with its order's number
    page.goto("/admin/shipments")
    page.get_by_role("link", name="Delivered", exact=True).click()
    row = page.get_by_role("row").filter(has_text=TRACKING).filter(has_text=order["number"])
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name=order["number"])).to_have_attribute(
        "href", f"/admin/orders/{order['id']}"
    )
    shot(page, "list")

    # and the order's line counts two units shipped and delivered
    page.goto(f"/admin/orders/{order['id']}")
    units = page.locator("table.s-units tbody tr").first
    expect(units.locator("td")).to_have_text(
        [re.compile(re.escape(sku)), "3", "2", "2", "0", "Partially delivered"]
    )
    assert page.errors == []


def test_a_shopper_sees_the_tracking_of_their_order(page: Any, store: str) -> None:
    # given a signed-in shopper's order, shipped through the API with a tracking number
    order = an_order(store, 1, who=CUSTOMER)
    admin = {"authorization": f"Bearer {token(store, ADMIN)}"}
    with httpx.Client(base_url=store, headers=admin) as api:
        made = api.post(
            f"/v1/orders/{order['id']}/shipments", json={"carrier": "post", "service": "ground"}
        )
        assert made.status_code == 201, made.text
        shipped = api.post(
            f"/v1/shipments/{made.json()['id']}/ship", json={"tracking_number": "PP123456789"}
        )
        assert shipped.status_code == 200, shipped.text
        scanned = api.post(
            f"/v1/shipments/{made.json()['id']}/tracking",
            json={"status": "in_transit", "description": "At the <b>hub</b>", "location": "Newark"},
        )
        assert scanned.status_code == 200, scanned.text

    # when the shopper opens their order
    sign_in(page, CUSTOMER, f"/account/orders/{order['id']}")

    # then its parcel shows, shipped, with its tracking number and its way so far (the
    # event's words as text, not markup)
    parcels = page.locator(".s-mine")
    expect(parcels.get_by_role("heading", name="Shipments")).to_be_visible(timeout=SLOW)
    expect(parcels.locator(".badge").first).to_have_text("In transit")
    expect(parcels).to_contain_text("PP123456789")
    expect(parcels.get_by_text("At the <b>hub</b>")).to_be_visible()
    expect(parcels.get_by_text("Newark")).to_be_visible()
    shot(page, "shopper-order")
    assert page.errors == []


def test_a_shopper_picks_a_shipping_option_on_the_cart_page_and_the_total_follows(
    page: Any, store: str
) -> None:
    # given a guest with one product in the cart (under the free-shipping threshold)
    product = a_product_with_two_variants(store)
    variant = next(v for v in product["variants"] if v["available"] > 5)
    page.goto(f"/shop/products/{product['id']}")
    page.get_by_role("radio", name=variant["title"], exact=True).check()
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status").filter(has_text="Added")).to_be_visible()

    # when they open the cart
    page.goto("/shop/cart")

    # then the carriers' options are listed, with their dates and badges
    options = page.get_by_role("group", name="Choose how your order ships")
    expect(page.get_by_role("heading", name="Shipping options")).to_be_visible()
    expect(options.get_by_role("radio")).not_to_have_count(0, timeout=SLOW)
    expect(options.get_by_text("Cheapest", exact=True)).to_have_count(1)
    expect(options.get_by_text("Fastest", exact=True)).to_have_count(1)
    expect(options.get_by_text(re.compile(r"^Arrives ")).first).to_be_visible()
    summary = page.get_by_role("complementary", name="Summary")
    total = summary.locator("tr.total td.num")
    subtotal = amount(summary.get_by_role("row", name=re.compile("^Subtotal")).inner_text())
    before = total.inner_text()
    shot(page, "cart")

    # when they pick Parcel Post Priority
    choice = options.locator("label").filter(has_text="Parcel Post Priority")
    price = amount(choice.locator(".price").inner_text())
    choice.get_by_role("radio").check()

    # then the cart's shipping is that option's price and the total follows
    shipping = summary.get_by_role("row", name=re.compile("^Shipping"))
    expect(shipping).to_contain_text(f"{price:.2f}", timeout=SLOW)
    expect(total).not_to_have_text(before)
    tax = amount(summary.get_by_role("row", name=re.compile("^Tax")).inner_text())
    expect(total).to_contain_text(f"{subtotal + price + tax:,.2f}")
    expect(choice.get_by_role("radio")).to_be_checked()

    # and the choice is still there after a reload
    page.reload()
    expect(
        page.locator("label").filter(has_text="Parcel Post Priority").get_by_role("radio")
    ).to_be_checked()
    shot(page, "cart-chosen")
    assert page.errors == []


def test_an_admin_switches_a_carriers_service_off_and_on_again(page: Any, store: str) -> None:
    # given the shipping settings
    sign_in(page, ADMIN, "/admin/shipping/settings")
    service = page.get_by_role("switch", name="Parcel Post Priority")
    expect(service).to_be_checked()
    expect(page.get_by_role("heading", name="Zones")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("^Europe"))).to_be_visible()
    shot(page, "settings")

    # when the admin switches Parcel Post's Priority off
    service.uncheck()

    # then it stays off when the page is read again, and rate shopping leaves it out
    expect(service).not_to_be_checked()
    page.reload()
    expect(page.get_by_role("switch", name="Parcel Post Priority")).not_to_be_checked()
    carriers = httpx.get(
        f"{store}/v1/shipping/carriers",
        headers={"authorization": f"Bearer {token(store, ADMIN)}"},
    ).json()["items"]
    post = next(c for c in carriers if c["code"] == "post")
    assert {s["code"]: s["enabled"] for s in post["services"]} == {
        "ground": True,
        "priority": False,
    }

    # when it is switched on again, it is on
    page.get_by_role("switch", name="Parcel Post Priority").check()
    expect(page.get_by_role("switch", name="Parcel Post Priority")).to_be_checked()
    page.reload()
    expect(page.get_by_role("switch", name="Parcel Post Priority")).to_be_checked()
    assert page.errors == []


def test_the_shipping_pages_have_no_serious_accessibility_violation(page: Any, store: str) -> None:
    # given an order with a shipment
    order = an_order(store)
    admin = {"authorization": f"Bearer {token(store, ADMIN)}"}
    made = httpx.post(f"{store}/v1/orders/{order['id']}/shipments", headers=admin, json={})
    assert made.status_code == 201, made.text

    # when an admin opens each shipping page, then axe finds nothing serious
    sign_in(page, ADMIN, "/admin/shipments")
    for path in [
        "/admin/shipments",
        f"/admin/shipments/{made.json()['id']}",
        f"/admin/shipments?order={order['id']}",
        "/admin/shipping/settings",
        "/admin/shipping/manifests",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).not_to_have_text("Loading…")
        assert violations(page) == [], path
    shot(page, "manifests")
