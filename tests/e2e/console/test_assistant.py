"""The shopping assistant's chat on the storefront, in a real browser: a guest asks for
hoodies and sees them as cards, adds one with a quick reply and another after answering the
size, and the header's cart follows; they check out in the chat with the sandbox's card (whose
number never enters the conversation); the chat resumes after a reload; staff's answer to a
hand-off shows as the support team's; and "What we remember" lists and forgets what the
assistant keeps. The chat speaks over the WebSocket, or over HTTP where the socket cannot be
opened: these tests hold for either."""

from __future__ import annotations

import re
from typing import Any

import httpx
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.console.test_accessibility import BLOCKING, RULES
from tests.e2e.console.test_admin import token
from tests.e2e.console.test_support import SUPPORT

CARD = "4242 4242 4242 4242"


def open_chat(page: Any) -> Any:
    page.get_by_role("button", name="Ask us").click()
    chat = page.get_by_role("dialog", name="Ask us")
    expect(chat.get_by_label("Your message")).to_be_focused()
    return chat


def say(chat: Any, text: str) -> None:
    chat.get_by_label("Your message").fill(text)
    chat.get_by_role("button", name="Send").click()


def last_reply(chat: Any) -> Any:
    return chat.locator(".chat-msg.assistant").last


def serious(page: Any) -> list[str]:
    found = Axe().run(page, options=RULES).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in found if v["impact"] in BLOCKING]


def test_a_guest_finds_hoodies_fills_the_cart_and_checks_out_in_the_chat(
    page: Any, store: str
) -> None:
    # when a guest opens the chat on the storefront and asks for hoodies
    page.goto("/")
    chat = open_chat(page)
    say(chat, "do you have hoodies?")
    # then the hoodies come as cards, linked to their pages, with their price and stock
    products = chat.locator(".chat-product")
    expect(products.first).to_be_visible()
    link = products.first.get_by_role("link")
    expect(link).to_have_attribute("href", re.compile("^/shop/products/"))
    expect(products.first).to_contain_text("$")
    expect(products.first).to_contain_text(re.compile("In stock|Out of stock"))
    page.screenshot(path="/tmp/assistant_cards.png")
    assert serious(page) == []

    # when they add the first one with a quick reply
    chat.get_by_role("button", name="Add the first one to my cart").click()
    # then the cart's card shows it, and the header's count follows
    expect(last_reply(chat)).to_contain_text("Added 1 ")
    expect(last_reply(chat).get_by_role("link", name="View your cart")).to_be_visible()
    expect(page.get_by_role("link", name="Cart, 1 item")).to_be_visible()

    # when they ask for something with sizes, and answer the size the assistant asks for
    say(chat, "do you have cycling gloves?")
    expect(last_reply(chat).locator(".chat-product").first).to_be_visible()
    say(chat, "add the first one to my cart")
    expect(last_reply(chat)).to_contain_text("Which size")
    chat.get_by_role("group", name="Suggested replies").get_by_role("button").first.click()
    expect(page.get_by_role("link", name="Cart, 2 items")).to_be_visible()

    # when they check out in the chat
    say(chat, "check out")
    expect(last_reply(chat)).to_contain_text("email")
    say(chat, "grace@example.com")
    expect(last_reply(chat)).to_contain_text("ship")
    say(chat, "1 Main Street, Springfield 12345, US")
    # then the confirmation asks for the card in a form of its own
    expect(last_reply(chat)).to_contain_text("Ready to place your order")
    chat.get_by_label("Card number").fill(CARD)
    chat.get_by_label("Expiry (MM/YY)").fill("12/30")
    chat.get_by_label("Security code").fill("123")
    page.screenshot(path="/tmp/assistant_confirmation.png")
    chat.get_by_role("button", name="Pay and place order").click()
    # and the order is placed, linked to its page; the cart is empty again
    expect(last_reply(chat)).to_contain_text("is placed")
    expect(last_reply(chat).get_by_role("link", name=re.compile("^ORD-"))).to_have_attribute(
        "href", re.compile("^/account/orders/")
    )
    expect(page.get_by_role("link", name="Cart, 0 items")).to_be_visible()
    # and the card's number is nowhere in the chat, nor in the conversation the API keeps
    transcript = chat.locator(".chat-log").inner_text()
    assert "4242" not in transcript
    session = page.evaluate("JSON.parse(localStorage.getItem('mercato.guest')).session_token")
    conversation = page.evaluate("JSON.parse(localStorage.getItem('mercato.assistant')).id")
    kept = httpx.get(
        f"{store}/v1/assistant/conversations/{conversation}", headers={"x-session-token": session}
    ).text
    assert "4242" not in kept
    assert page.errors == []


def test_the_chat_resumes_after_a_reload_and_closes_with_escape(page: Any) -> None:
    # given a guest who asked something
    page.goto("/")
    chat = open_chat(page)
    say(chat, "what's your returns policy?")
    expect(last_reply(chat)).to_contain_text(re.compile("return", re.IGNORECASE))
    # when they reload the page
    page.reload()
    # then the chat is open again, with the conversation so far
    chat = page.get_by_role("dialog", name="Ask us")
    expect(chat.locator(".chat-msg.shopper")).to_have_text(re.compile("what's your returns policy"))
    # when they press Escape, it closes and the focus is back on its button
    chat.get_by_label("Your message").focus()
    page.keyboard.press("Escape")
    expect(chat).to_be_hidden()
    expect(page.get_by_role("button", name="Ask us")).to_be_focused()
    assert page.errors == []


def test_staff_answer_a_handed_off_chat_as_the_support_team(page: Any, store: str) -> None:
    # given a guest who asked for a person
    page.goto("/")
    chat = open_chat(page)
    say(chat, "I want to talk to a person")
    expect(last_reply(chat)).to_contain_text(re.compile(r"TCK-\d+"))
    number = re.search(r"TCK-\d+", last_reply(chat).inner_text())[0]  # type: ignore[index]
    # when support answers the ticket
    staff = {"authorization": f"Bearer {token(store, SUPPORT)}"}
    answered = httpx.post(
        f"{store}/v1/support/tickets/{number}/messages",
        json={"body": "Hello from the support team: how can we help?"},
        headers=staff,
    )
    assert answered.status_code == 201, answered.text
    # then the answer shows in the chat as the support team's (live, or at the next poll)
    bubble = chat.locator(".chat-msg.staff")
    expect(bubble).to_contain_text("Support team", timeout=25_000)
    expect(bubble).to_contain_text("how can we help?")
    assert page.errors == []


def test_what_we_remember_lists_and_forgets(page: Any) -> None:
    # given a guest whose cart told the assistant something about them
    page.goto("/")
    chat = open_chat(page)
    say(chat, "do you have hoodies?")
    chat.get_by_role("button", name="Add the first one to my cart").click()
    expect(page.get_by_role("link", name="Cart, 1 item")).to_be_visible()
    # when they open "What we remember" from the chat
    chat.get_by_role("link", name="What we remember").click()
    # then it lists what their shopping suggests, each to forget
    expect(page.get_by_role("heading", level=1)).to_have_text("What we remember")
    suggested = page.get_by_role("region", name="What your shopping suggests")
    expect(suggested.get_by_text("Category: Hoodies")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path="/tmp/assistant_memory.png", full_page=True)
    assert serious(page) == []
    page.get_by_role("button", name="Forget Category: Hoodies").click()
    expect(page.get_by_role("status")).to_contain_text("Forgotten: Category: Hoodies")
    expect(suggested.get_by_text("Category: Hoodies")).to_have_count(0)
    # and forgetting everything leaves nothing
    page.get_by_role("button", name="Forget everything").click()
    page.get_by_role("button", name="Yes, forget everything").click()
    expect(page.get_by_text("We remember nothing about you.")).to_be_visible()
    assert page.errors == []
