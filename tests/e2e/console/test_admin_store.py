"""The store's settings and records in the admin, in a real browser: the day's figures, stock
adjusted with a reason, a discount code made, the audit log searched, and the pages an admin
keeps open."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.e2e.console.test_admin import ADMIN, an_order, sign_in


def test_the_dashboard_shows_todays_orders_and_conversion(page: Any, store: str) -> None:
    # given an order placed today (its cart converted)
    an_order(store)
    # when an admin opens the dashboard
    sign_in(page, ADMIN, "/admin")
    # then today's orders count it, and the conversion is a share of today's carts
    orders = page.locator(".kpi").filter(has_text="Orders today").locator("b")
    expect(orders).not_to_have_text("0")
    conversion = page.locator(".kpi").filter(has_text="Conversion today")
    expect(conversion.locator("b")).to_have_text(re.compile(r"^\d+\.\d %$"))
    expect(conversion).to_contain_text("carts with items became orders")
    expect(page.get_by_role("img", name=re.compile("Revenue per day"))).to_be_visible()


def test_an_admin_adjusts_stock_and_the_level_shows_it(page: Any, store: str) -> None:
    # given a stock row as the API lists it
    level = httpx.get(
        f"{store}/v1/inventory/levels?limit=1",
        headers={"authorization": f"Bearer {token(store)}"},
    ).json()["items"][0]

    # when an admin finds it by SKU and adds 5 units received
    sign_in(page, ADMIN, "/admin/inventory")
    page.get_by_label("SKU").fill(level["sku"])
    page.get_by_role("button", name="Search").click()
    row = (
        page.get_by_role("row")
        .filter(has_text=level["sku"])
        .filter(has_text=level["location_code"])
    )
    row.get_by_role("button", name="Adjust").click()
    page.get_by_label("Units (negative to remove)").fill("5")
    page.get_by_label("Reason").select_option("received")
    page.get_by_role("button", name="Record").click()

    # then the row shows 5 more on hand
    expect(row.get_by_role("cell").nth(2)).to_have_text(str(level["on_hand"] + 5))


def test_an_admin_makes_a_discount_code_and_finds_an_order_in_the_audit_log(
    page: Any, store: str
) -> None:
    # given an order placed a moment ago
    order = an_order(store)
    code = f"SPRING{uuid.uuid4().hex[:4].upper()}"

    # when an admin makes a code of 15 % off
    sign_in(page, ADMIN, "/admin/discount-codes")
    page.get_by_label("Code").fill(code)
    page.get_by_label("Percent").fill("15")
    page.get_by_role("button", name="Create code").click()

    # then it is listed, switched on
    expect(page.get_by_role("row").filter(has_text=code)).to_contain_text("15 %")
    expect(page.get_by_role("button", name=f"Switch off {code}")).to_be_visible()

    # and the order's events are in the audit log, by its id
    page.goto(f"/admin/events?aggregate_id={order['id']}")
    expect(page.get_by_role("cell", name="order.placed v1")).to_be_visible()
    expect(page.get_by_role("cell", name="order.confirmed v1")).to_be_visible()


def token(store: str) -> str:
    answer = httpx.post(f"{store}/v1/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]})
    return str(answer.json()["access_token"])


def test_an_admin_adds_a_category_under_another_and_the_shop_offers_it(
    page: Any, store: str
) -> None:
    # given a department of the demo store
    name = f"Lamps {uuid.uuid4().hex[:4]}"

    # when an admin adds a category under "Home & Kitchen"
    sign_in(page, ADMIN, "/admin/categories")
    page.get_by_label("New category").fill(name)
    home = httpx.get(f"{store}/v1/categories/home-kitchen").json()
    page.get_by_label("Under").select_option(home["id"])
    page.get_by_role("button", name="Add").click()

    # then it is in the tree, and the shop's filters offer it
    expect(page.get_by_role("cell", name=name, exact=True)).to_be_visible()
    page.goto("/shop/products")
    expect(page.get_by_label("Department").locator("option", has_text=name)).to_have_count(1)


def test_an_admin_lowers_a_line_before_shipping_and_the_total_follows(
    page: Any, store: str
) -> None:
    # given a confirmed order of 2 units of one variant
    order = an_order(store, quantity=2)
    line = order["lines"][0]

    # when an admin changes the line to 1 unit
    sign_in(page, ADMIN, f"/admin/orders/{order['id']}")
    page.get_by_label(f"Quantity of {line['sku']}").fill("1")
    page.get_by_role("button", name="Change quantities").click()

    # then the order holds 1 unit, and its total is lower
    expect(
        page.get_by_role("row").filter(has_text=line["sku"]).get_by_role("cell").nth(1)
    ).to_have_text("1")
    expect(
        page.get_by_role("complementary").filter(has=page.get_by_role("heading", name="Timeline"))
    ).to_contain_text("Modified")


def test_an_admin_changes_where_an_order_ships_before_it_does(page: Any, store: str) -> None:
    # given a confirmed order that ships to Springfield
    order = an_order(store)

    # when an admin changes its city and region
    sign_in(page, ADMIN, f"/admin/orders/{order['id']}")
    page.get_by_text("Change where it ships").click()
    page.get_by_label("City").fill("Shelbyville")
    page.get_by_label("State or region code").fill("il")
    page.get_by_role("button", name="Change the address").click()

    # then the order ships there (the region as a code), and its timeline says so
    timeline = page.get_by_role("complementary").filter(
        has=page.get_by_role("heading", name="Timeline")
    )
    expect(timeline).to_contain_text("Modified")
    admin = {"authorization": f"Bearer {token(store)}"}
    shipped_to = httpx.get(f"{store}/v1/orders/{order['id']}", headers=admin).json()
    assert (shipped_to["shipping_address"]["city"], shipped_to["shipping_address"]["region"]) == (
        "Shelbyville",
        "IL",
    )
