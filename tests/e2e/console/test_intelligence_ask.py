"""Asking the intelligence agent in a real browser: an admin asks a Quick question on the
demo store, follows its analyses' progress live, reads the report drawn in the page (summary,
figures, risks) and follows a finding's evidence link to its record; asks a follow-up in the
same conversation; finds a report among the stored ones and opens it; states a preference (a bad
marketplace name is refused next to its field); and acknowledges an alert. Questions are
shown as text, never as markup. The three pages pass axe's WCAG 2.1 A/AA rules."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

import httpx
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.console.test_accessibility import BLOCKING, RULES
from tests.e2e.console.test_admin import ADMIN, sign_in, token

PRICES = "How are my prices compared to competitors?"
FOLLOW_UP = "and for the jackets?"
STOCK = "Which products may run out of stock?"
MARKUP = "<b>What</b> do customers <img src=x onerror=alert(1)> complain about?"


def serious_violations(page: Any) -> list[str]:
    found = Axe().run(page, options=RULES).response["violations"]
    return [
        f"{v['impact']} {v['id']}: {v['nodes'][0]['target']}"
        for v in found
        if v["impact"] in BLOCKING
    ]


def hold_the_report(page: Any) -> tuple[list[str], Callable[[], None]]:
    """Pass the questions' WebSockets through, but keep the first one's last message (the
    report) and its close until `release()`: its progress can be seen before the answer
    replaces it. Later sockets pass everything."""
    held: list[str] = []
    first: list[Any] = []

    def relay(socket: Any) -> None:
        server = socket.connect_to_server()
        holding = not first
        first.append(socket)

        def from_server(message: str | bytes) -> None:
            if holding and json.loads(message).get("type") in ("report", "failed"):
                held.append(str(message))
            else:
                socket.send(message)

        def closed(code: int | None, reason: str | None) -> None:
            if not (holding and held):
                socket.close(code=code, reason=reason)

        server.on_message(from_server)
        server.on_close(closed)

    page.route_web_socket(re.compile(r"/v1/intelligence/ws/"), relay)

    def release() -> None:
        for message in held:
            first[0].send(message)
        first[0].close()

    return held, release


def test_an_admin_asks_sees_the_progress_then_the_report_and_follows_up(
    page: Any, store: str
) -> None:
    headers = {"authorization": f"Bearer {token(store, ADMIN)}"}
    held, release = hold_the_report(page)

    # given an admin on the ask page
    sign_in(page, ADMIN, "/admin/intelligence/ask")
    assert serious_violations(page) == []

    # when they pick an example question and ask it in Quick mode
    page.get_by_role("button", name=PRICES).click()
    expect(page.get_by_label("Your question")).to_have_value(PRICES)
    expect(page.get_by_role("radio", name=re.compile("^Quick"))).to_be_checked()
    page.get_by_role("button", name="Ask", exact=True).click()

    # then each analysis's progress shows while it runs, live over the socket
    progress = page.get_by_role("list", name="Progress by analysis")
    expect(progress.get_by_text("Pricing")).to_be_visible()
    expect(progress.get_by_text("Done")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Live", exact=True)).to_be_visible()
    for _ in range(300):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the report never came over the socket"
    expect(progress).to_be_visible()  # the report is written, but not shown before it arrives
    page.screenshot(path="test-artifacts/intelligence-ask-progress.png", full_page=True)

    # and once the report arrives it is drawn in the page: summary, a figure, a risk
    release()
    report = page.get_by_role("article", name=f"Report: {PRICES}")
    expect(report.get_by_text(re.compile(r"^This report covers"))).to_be_visible(timeout=30_000)
    expect(progress).to_have_count(0)
    expect(
        report.locator(".i-metric").filter(has_text="Price against the market median")
    ).to_be_visible()
    expect(
        report.get_by_text(re.compile(r"^(Low|Medium|High|Critical) risk$")).first
    ).to_be_visible()
    expect(report.get_by_role("button", name="Download PDF")).to_be_visible()

    # when they follow a finding's first evidence link
    cite = report.locator(".i-metric").first.get_by_role(
        "link", name=re.compile(r"^Evidence \d+: ")
    )
    cite.first.click()
    # then its entry in the evidence list is highlighted and takes the focus
    lit = report.locator("li.i-evidence.lit")
    expect(lit).to_have_count(1)
    expect(lit).to_be_focused()
    expect(lit).to_be_in_viewport()
    page.screenshot(path="test-artifacts/intelligence-ask-report.png", full_page=True)
    assert serious_violations(page) == []

    # when they ask a follow-up in the same conversation
    page.get_by_label("A follow-up, or another question").fill(FOLLOW_UP)
    page.get_by_role("button", name="Ask", exact=True).click()
    # then it is answered below the earlier question
    answer = page.get_by_role("article", name=f"Report: {FOLLOW_UP}")
    expect(answer.get_by_text(re.compile(r"^This report covers"))).to_be_visible(timeout=30_000)
    earlier = page.get_by_role("region", name="Earlier in this conversation")
    expect(earlier.get_by_text(PRICES)).to_be_visible()
    asked = httpx.get(f"{store}/v1/intelligence/queries", params={"limit": 2}, headers=headers)
    conversations = {
        httpx.get(f"{store}/v1/intelligence/queries/{q['query_id']}", headers=headers).json()[
            "conversation_id"
        ]
        for q in asked.json()["items"]
    }
    assert len(conversations) == 1

    assert page.errors == []


def asked(store: str, headers: dict[str, str], question: str) -> None:
    """A question asked through the API, once its report is written."""
    query = httpx.post(
        f"{store}/v1/intelligence/query",
        json={"question": question, "mode": "quick"},
        headers=headers,
    ).json()
    for _ in range(300):
        state = httpx.get(f"{store}{query['links']['self']}", headers=headers).json()
        if state["status"] in ("done", "partial", "failed"):
            assert state["report_id"], state["error"]
            return
        time.sleep(0.1)
    raise AssertionError("the question was not answered in 30 s")


def test_an_admin_reads_the_reports_and_opens_a_stored_one(page: Any, store: str) -> None:
    # given a question answered, and one whose words look like markup
    headers = {"authorization": f"Bearer {token(store, ADMIN)}"}
    asked(store, headers, STOCK)
    asked(store, headers, MARKUP)

    # when an admin opens the reports' list
    sign_in(page, ADMIN, "/admin/intelligence/reports")
    # then it is listed with its status and confidence
    rows = page.get_by_role("row").filter(has_text=STOCK)
    expect(rows.first).to_be_visible()
    expect(rows.first.get_by_text(re.compile(r"^(Complete|Partial|Insufficient)$"))).to_be_visible()
    expect(rows.first.get_by_text(re.compile(r"^\d+ %$"))).to_be_visible()
    assert serious_violations(page) == []
    # and the markup is shown as the text it is, never made into elements
    expect(page.get_by_role("link", name=MARKUP)).to_be_visible()
    expect(page.locator("table img, table b")).to_have_count(0)

    # when they open it
    rows.first.get_by_role("link", name=STOCK).click()
    # then it is drawn by the ask page's renderer, and opens as a page of its own
    expect(page.get_by_role("heading", level=1, name=STOCK)).to_be_visible()
    stored = page.get_by_role("article", name=f"Report: {STOCK}")
    expect(stored.locator(".i-metric").first).to_be_visible()
    with page.context.expect_page() as opened:
        stored.get_by_role("button", name="Open as page").click()
    expect(opened.value.get_by_text(STOCK).first).to_be_visible()
    opened.value.close()
    assert page.errors == []


def test_an_admin_states_preferences_and_acknowledges_an_alert(page: Any, store: str) -> None:
    headers = {"authorization": f"Bearer {token(store, ADMIN)}"}

    # given an admin on the settings page of a store without alerts
    sign_in(page, ADMIN, "/admin/intelligence/settings")
    expect(page.get_by_text("No open alert")).to_be_visible()
    assert serious_violations(page) == []

    # when they state a bad marketplace name
    page.get_by_role("checkbox", name="Revenue", exact=True).check()
    page.get_by_label("Marketplaces").fill("Amazon, bad name")
    page.get_by_role("button", name="Save preferences").click()
    # then the refusal is shown next to the field, and nothing is saved
    expect(page.locator("#pref-marketplaces-error")).to_contain_text("not a marketplace name")
    assert httpx.get(f"{store}/v1/intelligence/preferences", headers=headers).json()["kpis"] == []

    # when they correct it and save again
    page.get_by_label("Marketplaces").fill("Amazon, ebay")
    page.get_by_role("button", name="Save preferences").click()
    # then it is saved as stated (names lower-cased)
    expect(page.get_by_text(re.compile(r"^Saved "))).to_be_visible()
    saved = httpx.get(f"{store}/v1/intelligence/preferences", headers=headers).json()
    assert (saved["kpis"], saved["marketplaces"]) == (["revenue"], ["amazon", "ebay"])

    # given an open alert (a store budget of 0 tokens is spent at once)
    httpx.put(
        f"{store}/v1/intelligence/budget",
        json={"scope": "store", "monthly_tokens": 0},
        headers=headers,
    ).raise_for_status()
    page.reload()
    alert = page.get_by_role("row").filter(has_text="token budget")
    expect(alert).to_be_visible()
    expect(page.get_by_text("Spent", exact=True)).to_be_visible()
    # when they acknowledge it with a note
    alert.get_by_role("button", name=re.compile("^Acknowledge")).click()
    alert.get_by_label("Note (optional)").fill("raised on purpose")
    alert.get_by_role("button", name="Acknowledge", exact=True).click()
    # then the row says so, and so does the API
    expect(alert.get_by_text("Acknowledged")).to_be_visible()
    expect(alert.get_by_text("Note: raised on purpose")).to_be_visible()
    acknowledged = httpx.get(
        f"{store}/v1/intelligence/alerts", params={"status": "acknowledged"}, headers=headers
    ).json()["items"]
    assert [a["note"] for a in acknowledged] == ["raised on purpose"]
    page.screenshot(path="test-artifacts/intelligence-settings.png", full_page=True)
    assert page.errors == []
