"""Returns in a real browser: a shopper asks from their delivered order's page to return it
(lines, units, a reason and a note, the resolution) and an admin works it through the
returns queue (approve, receive, inspect, refund) until the shopper sees it refunded; a
return refunded to store credit shows on the account page; a late return is refused with
the 30-day window in words (BR009). The pages pass axe-core's WCAG A/AA checks on the way."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.console.test_accessibility import violations
from tests.e2e.console.test_admin import ADMIN, sign_in, token
from tests.e2e.console.test_storefront import CUSTOMER
from tests.integration.checkout.conftest import ADDRESS
from tests.support.demo_store import serve_copy

SHOTS = Path("/tmp/fulfilment")
NOTE = "<b>Too small</b> & tight"
"""A shopper's note with markup in it: it must read as text, never become markup."""


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # else the sticky header lands mid-page in the shot
    page.screenshot(path=str(SHOTS / f"returns-{name}.png"), full_page=True)


def a_delivered_order(store: str, *, worth_at_least: float = 0) -> dict[str, Any]:
    """A signed-in customer's order, placed, shipped and delivered through the API (the
    shipping by an admin); of enough units of the dearest variant in stock to be worth
    `worth_at_least`, else of one unit."""
    products = httpx.get(f"{store}/v1/products?limit=100&in_stock=true").json()["items"]
    variants = [
        v
        for p in products
        if p["requires_shipping"]
        for v in p["variants"]
        if v["available"] > 5 and float(v["price"]) > 0
    ]
    variant = max(variants, key=lambda v: float(v["price"]))
    quantity = max(1, math.ceil(worth_at_least / float(variant["price"])))
    assert quantity <= variant["available"], "the demo store has too little stock for this"
    shopper = {"Authorization": f"Bearer {token(store, CUSTOMER)}"}
    admin = {"Authorization": f"Bearer {token(store, ADMIN)}"}
    with httpx.Client(base_url=store, timeout=30) as api:
        cart = api.post("/v1/carts", headers=shopper).json()
        added = api.post(
            f"/v1/carts/{cart['id']}/items",
            headers=shopper,
            json={"variant_id": variant["id"], "quantity": quantity},
        )
        assert added.status_code < 300, added.text
        checkout = {
            "cart_id": cart["id"],
            "email": CUSTOMER[0],
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
            "/v1/checkout",
            headers={**shopper, "Idempotency-Key": uuid.uuid4().hex},
            json=checkout,
        )
        assert placed.status_code == 201, placed.text
        order = placed.json()["order"]
        shipped = api.post(
            f"/v1/orders/{order['id']}/ship",
            headers=admin,
            json={"carrier": "UPS", "tracking_number": "1Z999AA10123456784"},
        )
        assert shipped.status_code == 200, shipped.text
        delivered = api.post(f"/v1/orders/{order['id']}/deliver", headers=admin)
        assert delivered.status_code == 200, delivered.text
        return dict(delivered.json())


def request_return_on_the_order_page(
    page: Any, order: dict[str, Any], *, units: int, resolution: str
) -> None:
    """On the shopper's order page: "Return items", the order's one line, `units` of it,
    "Wrong size" with `NOTE`, the `resolution`; sent."""
    line = order["lines"][0]
    page.get_by_role("link", name="Return items").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Return items of {order['number']}")
    expect(page.get_by_text("within 30 days of delivery")).to_be_visible()
    page.get_by_role("checkbox").check()
    page.get_by_label(f"Units of {line['sku']}").fill(str(units))
    page.get_by_label(f"Reason for {line['sku']}").select_option("wrong_size")
    page.get_by_label(f"Note on {line['sku']} (optional)").fill(NOTE)
    page.get_by_role("radio", name=re.compile(f"^{resolution}")).check()
    page.get_by_role("button", name="Request the return").click()


def an_admin_works_it_through_the_queue(page: Any, number: str, order: dict[str, Any]) -> None:
    """Signed in as an admin: the held return in the queue, flagged; approved, received (as
    the form has it: every unit), inspected (original condition) and refunded to the payment."""
    line = order["lines"][0]
    # the admin finds it in the queue, flagged, and approves it
    page.context.clear_cookies()
    page.evaluate("localStorage.clear()")
    sign_in(page, ADMIN, "/admin/returns")
    row = page.locator("tr", has=page.get_by_role("link", name=number))
    expect(row).to_have_class(re.compile(r"\br-flagged\b"))
    expect(row).to_contain_text("High value")
    expect(row).to_contain_text("Wrong size")
    shot(page, "queue-requested")
    assert violations(page) == []
    row.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Return {number}")
    expect(page.get_by_role("link", name=order["number"])).to_have_attribute(
        "href", f"/admin/orders/{order['id']}"
    )
    expect(page.get_by_text(f"“{NOTE}”")).to_be_visible()
    shot(page, "detail-requested")
    page.get_by_role("button", name="Approve and send the label").click()
    expect(page.locator(".r-head .badge").first).to_have_text("Approved")
    expect(page.get_by_role("link", name="Return label (PDF)")).to_be_visible()

    # and receives the parcel (every unit, as the form has it), inspects and refunds it
    expect(page.get_by_label(f"Received of {line['sku']}")).to_have_value(str(line["quantity"]))
    shot(page, "detail-approved")
    page.get_by_role("button", name="Mark received").click()
    expect(page.locator(".r-head .badge").first).to_have_text("Received")
    page.get_by_label(f"Condition of {line['sku']}").select_option("original")
    expect(page.locator(".r-preview")).to_contain_text("Refund:")
    shot(page, "detail-received")
    assert violations(page) == []
    page.get_by_role("button", name="Save the inspection").click()
    expect(page.locator(".r-head .badge").first).to_have_text("Inspected")
    expect(page.locator(".r-sum")).to_contain_text("Refund")
    shot(page, "detail-inspected")
    page.get_by_role("radio", name=re.compile("^Original payment")).check()
    page.get_by_role("button", name=re.compile("^Refund ")).click()

    # it is refunded to the payment, and the queue's refunded tab has it
    expect(page.locator(".r-head .badge").first).to_have_text("Refunded")
    outcome = page.locator(".r-outcome")
    expect(outcome).to_contain_text("To the payment")
    shot(page, "detail-refunded")
    page.get_by_role("link", name="Back to the returns").click()
    expect(page.get_by_role("link", name="Refunded", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("link", name=number)).to_be_visible()
    assert page.errors == []


def test_a_shopper_asks_to_return_a_delivered_order_and_an_admin_refunds_it(
    page: Any, store: str
) -> None:
    # given the shopper's delivered order, worth enough that screening holds its return
    order = a_delivered_order(store, worth_at_least=600)
    line = order["lines"][0]

    # when they open it and ask to return all of it for a refund
    sign_in(page, CUSTOMER, f"/account/orders/{order['id']}")
    panel = page.get_by_role("region", name="Returns")
    expect(panel).to_contain_text("within 30 days of delivery")
    shot(page, "order-page")
    page.get_by_role("link", name="Return items").click()
    page.get_by_role("checkbox").check()
    expect(page.get_by_label(f"Units of {line['sku']}")).to_have_value(str(line["quantity"]))
    page.get_by_label(f"Reason for {line['sku']}").select_option("wrong_size")
    page.get_by_label(f"Note on {line['sku']} (optional)").fill(NOTE)
    page.get_by_role("radio", name=re.compile("^Refund")).check()
    shot(page, "request-form")
    assert violations(page) == []
    page.get_by_role("button", name="Request the return").click()

    # then the return is made and waits for staff, its note shown as the shopper wrote it
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Return RET-"))
    number = (page.get_by_role("heading", level=1).text_content() or "").removeprefix("Return ")
    expect(page.locator(".badge").first).to_have_text("Requested")
    expect(page.get_by_text(NOTE)).to_be_visible()
    shot(page, "shopper-requested")
    assert violations(page) == []
    assert page.errors == []

    # when an admin finds it in the queue, flagged, and works it through
    an_admin_works_it_through_the_queue(page, number, order)

    # and the API agrees: all of what was paid went back to the payment
    admin = {"Authorization": f"Bearer {token(store, ADMIN)}"}
    done = httpx.get(f"{store}/v1/returns?order_id={order['id']}", headers=admin).json()["items"]
    assert [(r["number"], r["status"]) for r in done] == [(number, "refunded")]
    assert done[0]["refunded_to_payment"] == done[0]["paid_amount"]

    # and the shopper sees it refunded on their returns
    page.evaluate("localStorage.clear()")
    sign_in(page, CUSTOMER, "/account/returns")
    mine = page.locator("tr", has=page.get_by_role("link", name=number))
    expect(mine).to_contain_text("Refunded")
    shot(page, "shopper-list")
    assert page.errors == []


def test_a_return_to_store_credit_shows_on_the_account_page(page: Any, store: str) -> None:
    # given a delivered order of one unit
    order = a_delivered_order(store)
    line = order["lines"][0]

    # when the shopper returns it for store credit from the order's page
    sign_in(page, CUSTOMER, f"/account/orders/{order['id']}")
    request_return_on_the_order_page(page, order, units=1, resolution="Store credit")

    # then it is approved at once, with its label to print
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Return RET-"))
    expect(page.locator(".badge").first).to_have_text("Approved")
    expect(page.get_by_role("link", name="Print the return label (PDF)")).to_be_visible()
    shot(page, "shopper-approved")
    return_id = page.url.split("/account/returns/")[1].split("?")[0]

    # when staff receive, inspect (opened) and refund it as the shopper chose
    admin = {"Authorization": f"Bearer {token(store, ADMIN)}"}
    with httpx.Client(base_url=store, headers=admin) as api:
        for step, body in [
            ("receive", {}),
            ("inspect", {"lines": [{"line_id": line["id"], "condition": "original"}]}),
            ("refund", {"method": "store_credit"}),
        ]:
            done = api.post(f"/v1/returns/{return_id}/{step}", json=body)
            assert done.status_code == 200, done.text
        refunded = done.json()
    assert refunded["status"] == "refunded"

    # then the account page shows the balance and the credit of the return
    page.goto("/account")
    credit = page.get_by_role("region", name="Store credit")
    expect(credit).to_contain_text("Balance")
    expect(credit.locator("tbody tr").first).to_contain_text("Return")
    expect(credit.locator("tbody tr").first).to_contain_text(refunded["refunded_to_credit"])
    shot(page, "account-credit")
    assert violations(page) == []
    # and the order page lists the return with its status
    page.goto(f"/account/orders/{order['id']}")
    returns = page.get_by_role("region", name="Returns")
    expect(returns).to_contain_text(refunded["number"])
    expect(returns).to_contain_text("Refunded")
    shot(page, "order-page-after")
    assert page.errors == []


@pytest.fixture(scope="module")
def closed_window_store(tmp_path_factory: pytest.TempPathFactory, demo_data: Path) -> Iterator[str]:
    """A copy of the demo store served with a return window of 0 days (the setting is read
    when a return is asked for, not by `mercato demo`): every delivered order is past it."""
    home = tmp_path_factory.mktemp("late")
    with serve_copy(demo_data, home, MERCATO_RETURN_WINDOW_DAYS="0") as base:
        yield base


@pytest.mark.business_rule("BR009")
def test_a_late_return_is_refused_with_the_window_in_words(
    browser: Any, closed_window_store: str
) -> None:
    # given a delivered order in a store whose return window has closed
    store = closed_window_store
    order = a_delivered_order(store)
    context = browser.new_context(base_url=store, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        # when the shopper asks to return it
        sign_in(page, CUSTOMER, f"/account/orders/{order['id']}")
        expect(page.get_by_role("region", name="Returns")).to_contain_text("window")
        request_return_on_the_order_page(page, order, units=1, resolution="Refund")

        # then the refusal says why, on the form, and no return is made
        refusal = page.get_by_role("alert")
        expect(refusal).to_contain_text("Too late to return this order")
        expect(refusal).to_contain_text(
            re.compile(r"returns are accepted within \d+ days of delivery")
        )
        expect(page).to_have_url(re.compile(r"/return$"))
        shot(page, "late-refused")
        shopper = {"Authorization": f"Bearer {token(store, CUSTOMER)}"}
        mine = httpx.get(f"{store}/v1/returns", headers=shopper).json()["items"]
        assert [r for r in mine if r["order_id"] == order["id"]] == []
        assert errors == []
    finally:
        context.close()
