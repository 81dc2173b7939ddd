"""Support in a real browser: staff open the inbox, see the demo's tickets with their SLA,
open one and reply (and add an internal note); a shopper asks the Help page a question and
finds the returns article, then writes to a person and sees their ticket."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e.console.test_admin import ADMIN, sign_in

SUPPORT = ("sam@demo.mercato.dev", "Beacon-Thistle-Rover-36")


def test_staff_open_the_inbox_open_a_ticket_and_reply(page: Any) -> None:
    # given the support agent signed in, on the inbox
    sign_in(page, SUPPORT, "/admin/support")
    expect(page.get_by_role("heading", name="Support")).to_be_visible()
    # then the demo's tickets are listed, the late one marked
    rows = page.locator("tbody tr")
    expect(rows.filter(has_text="Parcel not arrived yet")).to_have_count(1)
    expect(rows.filter(has_text="Parcel not arrived yet")).to_contain_text("Solution late")
    expect(rows.filter(has_text="Charged twice?")).to_contain_text("Unassigned")
    page.screenshot(path="/tmp/support-inbox.png", full_page=True)
    # when they filter the late ones, only that one stays
    page.get_by_label("SLA").select_option("true")
    expect(page).to_have_url(re.compile(r"breached=true"))
    expect(rows.filter(has_text="Charged twice?")).to_have_count(0)
    page.get_by_label("SLA").select_option("")
    # when they open the unanswered ticket
    rows.filter(has_text="Charged twice?").get_by_role("link").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"TCK-\d+: Charged twice\?"))
    ).to_be_visible()
    expect(page.get_by_text("My bank shows two pending amounts")).to_be_visible()
    # and take it, note something for the team and reply
    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_text("Assignee: you")).to_be_visible()
    page.get_by_label("Message").fill("Checked the gateway: one authorisation was voided.")
    page.get_by_label("Internal note").check()
    page.get_by_role("button", name="Add note").click()
    thread = page.locator("ol.thread")
    expect(thread.locator("li", has_text="one authorisation was voided")).to_contain_text(
        "Internal note"
    )
    expect(page.get_by_label("Message")).to_have_value("")
    page.get_by_label("Message").fill(
        "Only one of the two is an authorisation we keep; the other is released by your bank."
    )
    page.get_by_role("button", name="Send reply").click()
    # then the reply is in the thread and the ticket waits on the customer
    expect(page.get_by_text("the other is released by your bank")).to_be_visible()
    expect(page.locator(".badge", has_text="Waiting").first).to_be_visible()
    page.screenshot(path="/tmp/support-ticket.png", full_page=True)
    assert page.errors == []


def test_a_shopper_finds_an_answer_and_writes_to_a_person(page: Any) -> None:
    # when a guest asks the Help page how to send something back
    page.goto("/shop/help")
    page.get_by_label("Your question").fill("how do i send something back")
    page.get_by_role("button", name="Ask", exact=True).click()
    # then the returns article answers, open
    answer = page.get_by_role("status")
    expect(answer).to_contain_text("What is your returns policy?")
    expect(answer).to_contain_text("within 30 days of delivery")
    page.screenshot(path="/tmp/support-help.png", full_page=True)
    # when they write to a person instead
    page.get_by_label("Subject").fill("Gift wrapping")
    page.get_by_label("Message", exact=True).fill("Can you wrap my order as a gift?")
    page.get_by_role("button", name="Send").click()
    # then they see their ticket, open, with their message
    expect(page.get_by_role("heading", name=re.compile(r"TCK-\d+: Gift wrapping"))).to_be_visible()
    expect(page.get_by_text("Can you wrap my order as a gift?")).to_be_visible()
    page.get_by_role("link", name="All your tickets").click()
    expect(page.get_by_role("cell", name="Gift wrapping")).to_be_visible()
    assert page.errors == []


def test_an_admin_edits_the_faq(page: Any) -> None:
    sign_in(page, ADMIN, "/admin/support/faq")
    expect(page.get_by_text("How do I use a discount code?")).to_be_visible()
    page.get_by_text("New article").click()
    page.get_by_label("Question").first.fill("Do you gift wrap?")
    page.locator("#new-answer").fill("Not yet, sorry.")
    page.get_by_role("button", name="Add article").click()
    expect(page.get_by_text("Do you gift wrap?")).to_be_visible()
    assert page.errors == []
