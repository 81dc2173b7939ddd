"""Notifications in a real browser: a signed-in shopper sees their order's notification
arrive live in the inbox (a toast, the bell's count) and marks it read; staff find the order's
email in the delivery log and open it as sent; an admin previews a template draft, is told
why `{{ nope }}` cannot render, saves and resets; a shopper's settings keep order email on."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.e2e.console.test_admin import ADMIN, an_order, sign_in, token
from tests.e2e.console.test_storefront import CUSTOMER

SHOTS = Path("/tmp/shots")


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # else the sticky header lands mid-page in the shot
    page.screenshot(path=str(SHOTS / f"notifications-{name}.png"), full_page=True)


def an_order_of(store: str, who: tuple[str, str]) -> dict[str, Any]:
    """A signed-in customer's confirmed order of one variant, placed through the API."""
    return an_order(store, who=who)


def delivered_email(store: str, recipient: str, number: str) -> None:
    """Wait (a few seconds at most) until the sender delivered the order's email."""
    headers = {"Authorization": f"Bearer {token(store, ADMIN)}"}
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = httpx.get(
            f"{store}/v1/notifications/messages",
            params={"channel": "email", "recipient": recipient},
            headers=headers,
        ).json()["items"]
        if any(number in m["subject"] and m["status"] == "delivered" for m in found):
            return
        time.sleep(0.2)
    raise AssertionError(f"the email of {number} was not delivered")


def test_a_shopper_sees_a_notification_arrive_and_marks_it_read(page: Any, store: str) -> None:
    # given a customer on their notifications, the live line open (its hello heard)
    hellos: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda p: hellos.append(str(p))))
    sign_in(page, CUSTOMER, "/account/notifications")
    expect(page.get_by_role("heading", name="Notifications", exact=True)).to_be_visible()
    deadline = time.monotonic() + 10
    while not any('"hello"' in h for h in hellos) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert any('"hello"' in h for h in hellos), "the inbox's WebSocket never said hello"
    count = page.locator(".inbox-count b")
    before = int(count.text_content() or "0")

    # when they place an order (through the API, in another tab as it were)
    order = an_order_of(store, CUSTOMER)
    title = f"Order {order['number']} confirmed"

    # then it arrives without a reload: in the list (unread), in a toast, in the bell's count
    item = page.locator("li.inbox-item", has_text=title)
    expect(item).to_be_visible()
    expect(item).to_have_class(re.compile(r"\bunread\b"))
    expect(page.locator(".toast", has_text=title)).to_be_visible()
    expect(count).to_have_text(str(before + 1))
    bell = page.get_by_role("link", name=re.compile(r"^Notifications, \d+ unread$"))
    expect(bell).to_have_accessible_name(f"Notifications, {before + 1} unread")
    shot(page, "inbox")

    # when they mark it read, it is read and counted no more
    item.get_by_role("button", name=f"Mark “{title}” read").click()
    expect(item).not_to_have_class(re.compile(r"\bunread\b"))
    expect(count).to_have_text(str(before))
    expect(bell).to_have_accessible_name(f"Notifications, {before} unread")

    # and "Mark all read" leaves nothing unread, which a reload confirms
    page.get_by_role("button", name="Mark all read").click()
    expect(count).to_have_text("0")
    page.reload()
    expect(page.locator("li.inbox-item", has_text=title)).to_be_visible()
    expect(page.locator("li.inbox-item.unread")).to_have_count(0)
    expect(bell).to_have_accessible_name("Notifications, 0 unread")
    assert page.errors == []


def test_staff_find_the_orders_email_in_the_delivery_log(page: Any, store: str) -> None:
    # given a guest's order whose confirmation was mailed
    order = an_order(store)
    delivered_email(store, "buyer@example.com", order["number"])

    # when an admin searches the delivery log for the buyer's email address
    sign_in(page, ADMIN, "/admin/notifications")
    expect(page.get_by_role("heading", name="Notifications", exact=True)).to_be_visible()
    page.get_by_label("Channel").select_option("email")
    expect(page).to_have_url(re.compile(r"channel=email"))
    page.get_by_label("Recipient (exact)").fill("buyer@example.com")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"recipient=buyer%40example\.com"))

    # then the order's email is listed, delivered, and the chart counts the statuses
    row = page.locator("tbody tr", has_text=f"Order {order['number']} confirmed")
    expect(row).to_have_count(1)
    expect(row.locator(".badge")).to_have_text("Delivered")
    expect(
        page.get_by_role("img", name=re.compile(r"^Messages by status: \d+ delivered"))
    ).to_be_visible()
    shot(page, "delivery-log")

    # when they open it: the email as sent (in its sandboxed frame) and its steps
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {order['number']} confirmed")
    frame = page.locator("iframe.mail-frame")
    expect(frame).to_have_attribute("sandbox", "")
    expect(page.frame_locator("iframe.mail-frame").get_by_text(order["number"])).to_be_visible()
    steps = page.locator("ol.timeline")
    expect(steps).to_contain_text("Queued")
    expect(steps).to_contain_text("Delivered")
    shot(page, "message")

    # and the local outbox tab opens (SMS and push of this store)
    page.get_by_role("link", name="SMS and push outbox").first.click()
    expect(page.get_by_role("heading", name="SMS and push outbox")).to_be_visible()
    assert page.errors == []


def test_an_admin_previews_a_template_draft_and_is_told_what_is_wrong(page: Any) -> None:
    # given an admin in the template editor, on the order confirmation's email
    sign_in(page, ADMIN, "/admin/notifications/templates")
    page.get_by_role("navigation", name="Kinds of message").get_by_role(
        "link", name="Order confirmed"
    ).click()
    subject = page.get_by_label("Subject", exact=True)
    expect(subject).to_have_value("Order {{ order.number }} confirmed")
    preview = page.locator(".preview-pane")
    expect(preview.locator(".preview-subject")).to_have_text("Order ORD-2026-0000042 confirmed")

    # when they change the subject, the preview follows with the sample data
    subject.fill("We have your order {{ order.number }}")
    expect(preview.locator(".preview-subject")).to_have_text("We have your order ORD-2026-0000042")
    expect(
        page.frame_locator(".preview-pane iframe").get_by_text("ORD-2026-0000042").first
    ).to_be_visible()
    expect(page.get_by_text("Unsaved changes")).to_be_visible()
    shot(page, "template-preview")

    # when the draft names a variable the kind does not have, the preview says so and Save refuses
    subject.fill("Hello {{ nope }}")
    expect(preview.get_by_role("alert")).to_contain_text("'nope' is undefined")
    page.get_by_role("button", name="Save", exact=True).click()
    saving = page.get_by_role("group", name="Save or reset")
    expect(saving.get_by_role("alert")).to_contain_text("The template cannot be rendered")
    shot(page, "template-invalid")

    # when a valid draft is saved, it is the store's own; reset brings the shipped one back
    subject.fill("We have your order {{ order.number }}")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(saving.get_by_role("status")).to_contain_text("Saved")
    expect(
        page.get_by_role("heading", name=re.compile("Wording")).locator(".badge").first
    ).to_have_text("Store's own")
    expect(page.get_by_role("navigation", name="Kinds of message")).to_contain_text("email/en")
    page.get_by_role("button", name="Reset to shipped").click()
    expect(saving.get_by_role("status")).to_contain_text("Back to the shipped wording")
    expect(subject).to_have_value("Order {{ order.number }} confirmed")
    assert page.errors == []


def test_a_shopper_chooses_what_reaches_them(page: Any) -> None:
    # given a customer on their notification settings
    sign_in(page, CUSTOMER, "/account/notifications/settings")
    locked = page.get_by_role("checkbox", name="Order confirmed by Email")
    # then order email cannot be switched off, and says why
    expect(locked).to_be_checked()
    expect(locked).to_be_disabled()
    expect(page.get_by_text("always sent: about your orders and account")).to_be_visible()

    # when they switch on SMS for shipped orders... and off, each saved as flipped
    sms = page.get_by_role("checkbox", name="Order shipped by SMS")
    sms.uncheck()
    expect(page.locator(".saved-line")).to_have_text("Order shipped by SMS: off.")
    sms.check()
    expect(page.locator(".saved-line")).to_have_text("Order shipped by SMS: on.")

    # and give a phone number that is not international, the field says what is wrong
    page.get_by_label("Mobile phone (for SMS)").fill("555 0123")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".field-error")).to_contain_text("an international number")
    page.get_by_label("Mobile phone (for SMS)").fill("+14155550123")
    page.get_by_label("Time zone").select_option("Europe/Lisbon")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    shot(page, "settings")
    page.reload()
    expect(page.get_by_label("Mobile phone (for SMS)")).to_have_value("+14155550123")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Lisbon")
    assert page.errors == []
