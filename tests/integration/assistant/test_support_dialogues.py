"""What the support skill answers: complaints (passed to a person when an order is named),
feedback kept for the team, newsletter wishes remembered, account and payment questions from
the FAQ, receipts, a question the FAQ cannot answer, and the return window of a delivered
order."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.assistant.conftest import Store, faq, place_order
from tests.integration.identity.conftest import ADMIN


async def headphones(store: Store) -> str:
    products = (await store.client.get("/v1/products", params={"q": "headphones"})).json()["items"]
    return str(products[0]["variants"][0]["id"])


async def tickets(store: Store) -> list[dict[str, Any]]:
    return list((await store.client.get("/v1/support/tickets", headers=ADMIN)).json()["items"])


@pytest.fixture
async def helpdesk(clothes: Store) -> Store:
    await faq(
        clothes,
        "How do I return an item?",
        "Returns are free within 30 days of delivery.",
        "returns",
        ["return", "refund", "send back"],
    )
    await faq(
        clothes,
        "I forgot my password",
        "Use 'Forgot password' on the sign-in page: a link comes by email.",
        "account",
        ["password", "login", "sign in"],
    )
    await faq(
        clothes,
        "Why was my card declined?",
        "Your bank declined it: check the card's details, or try another card.",
        "payments",
        ["declined", "card", "payment failed"],
    )
    return clothes


async def test_a_complaint_about_an_order_goes_to_a_person_at_high_priority(
    helpdesk: Store,
) -> None:
    # given a customer whose order is named in an angry message
    chat, _ = await helpdesk.customer()
    order = await place_order(chat, await headphones(helpdesk))
    reply = await chat.say(
        f"I'm really angry, order {order['number']} arrived broken and nobody helps. Unacceptable!"
    )
    # then they get an apology, the order's state, and a high-priority request
    assert reply["intent"]["name"] == "complaint"
    assert reply["reply"].startswith("I'm sorry") and order["number"] in reply["reply"]
    [ticket] = await tickets(helpdesk)
    assert ticket["priority"] == "high" and ticket["conversation_id"] == chat.conversation_id


async def test_abuse_alone_opens_nothing_and_asks_what_went_wrong(helpdesk: Store) -> None:
    chat = await helpdesk.guest()
    reply = await chat.say("worst shop ever, so disappointed with you")
    assert "what went wrong" in reply["reply"] and reply["actions"] == []
    assert await tickets(helpdesk) == []


async def test_feedback_is_thanked_and_kept_for_the_team(helpdesk: Store) -> None:
    chat = await helpdesk.guest()
    reply = await chat.say("just wanted to say your website is really easy to use, love it")
    assert reply["intent"]["name"] == "feedback" and "Thank you" in reply["reply"]
    [ticket] = await tickets(helpdesk)
    assert ticket["priority"] == "low" and ticket["subject"].startswith("Feedback:")


async def marketing_choices(chat: Any) -> set[bool]:
    answer = await chat.client.get("/v1/me/notifications/preferences", headers=chat.headers)
    return {c["enabled"] for c in answer.json()["choices"] if c["kind"] == "cart_abandoned"}


async def test_newsletter_wishes_are_remembered_and_kept_by_notifications(
    helpdesk: Store,
) -> None:
    chat, _ = await helpdesk.customer()
    stop = await chat.say("please stop sending me marketing emails")
    assert "no more marketing emails" in stop["reply"]
    entries = (await chat.client.get("/v1/me/memory", headers=chat.headers)).json()["items"]
    assert [(e["key"], e["value"]) for e in entries] == [("newsletter", "unsubscribed")]
    assert await marketing_choices(chat) == {False}
    start = await chat.say("sign me up for your newsletter")
    assert "on the list" in start["reply"]
    assert await marketing_choices(chat) == {True}
    entries = (await chat.client.get("/v1/me/memory", headers=chat.headers)).json()["items"]
    assert {(e["key"], e["value"]) for e in entries} == {
        ("newsletter", "subscribed"),
        ("newsletter", "unsubscribed"),
    }


async def test_account_and_payment_questions_are_answered_from_the_faq(helpdesk: Store) -> None:
    chat = await helpdesk.guest()
    account = await chat.say("i forgot my password and can't log in")
    assert "Forgot password" in account["reply"]
    assert any(c["type"] == "link" and c["href"] == "/shop/sign-in" for c in account["cards"])
    payment = await chat.say("my card keeps getting declined when i pay")
    assert payment["reply"].startswith("Sorry about the trouble") and "declined" in payment["reply"]
    assert "Talk to a person" in payment["quick_replies"]


async def test_a_question_the_faq_cannot_answer_is_offered_to_a_person(helpdesk: Store) -> None:
    chat = await helpdesk.guest()
    reply = await chat.say("do you offer gift wrapping for birthdays?")
    assert reply["intent"]["name"] == "faq"
    assert "Talk to a person" in reply["quick_replies"]
    assert not any(c["type"] == "faq" and c["score"] >= 0.45 for c in reply["cards"])


async def test_a_receipt_is_the_orders_page(helpdesk: Store) -> None:
    chat, _ = await helpdesk.customer()
    order = await place_order(chat, await headphones(helpdesk))
    reply = await chat.say(f"can i get an invoice for order {order['number']}")
    assert reply["intent"]["name"] == "invoice"
    assert any(
        c["type"] == "link" and c["href"] == f"/account/orders/{order['id']}"
        for c in reply["cards"]
    )


async def test_a_delivered_order_is_told_its_return_window(helpdesk: Store) -> None:
    # given a customer whose order was shipped and delivered
    chat, _ = await helpdesk.customer()
    order = await place_order(chat, await headphones(helpdesk))
    for step in ("ship", "deliver"):
        done = await helpdesk.client.post(
            f"/v1/orders/{order['id']}/{step}", json={}, headers=ADMIN
        )
        assert done.status_code == 200, done.text
    # when they ask to return it
    reply = await chat.say(f"i want to return order {order['number']}")
    # then the last day of its 30 days is named, with the policy
    assert f"Order {order['number']} can be returned until" in reply["reply"]
    assert "30 days" in reply["reply"]


async def test_an_order_not_yet_shipped_is_cancelled_rather_than_returned(helpdesk: Store) -> None:
    chat, _ = await helpdesk.customer()
    order = await place_order(chat, await headphones(helpdesk))
    reply = await chat.say(f"how do i return order {order['number']}?")
    assert "hasn't shipped yet, so you can simply cancel it" in reply["reply"]


async def test_asking_twice_for_a_person_keeps_one_request(helpdesk: Store) -> None:
    chat = await helpdesk.guest()
    first = await chat.say("i want to talk to a human")
    second = await chat.say("agent please")
    assert [a["type"] for a in first["actions"]] == ["support.ticket_opened"]
    assert second["actions"] == [] and "is with our team already" in second["reply"]
    assert len(await tickets(helpdesk)) == 1
