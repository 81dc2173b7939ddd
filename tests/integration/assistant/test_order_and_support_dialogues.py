"""Orders and support in the chat, against the real app: an order's status by its number,
cancelling (only after a yes), a return question answered from the FAQ, the hand-off to a
person whose answer comes back into the chat, and a guest's conversation after sign-in."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import eventually
from tests.integration.assistant.conftest import Chat, Store, faq, place_order
from tests.integration.identity.conftest import ADMIN, in_store, sign_up


async def headphones(store: Store) -> str:
    products = (await store.client.get("/v1/products", params={"q": "headphones"})).json()["items"]
    return str(products[0]["variants"][0]["id"])


async def order(chat: Chat, number: str) -> dict[str, Any]:
    answer = await chat.client.get(f"/v1/orders/{number}", headers=chat.headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_order_status_by_its_number(clothes: Store) -> None:
    # given a customer with an order
    chat, _ = await clothes.customer()
    placed = await place_order(chat, await headphones(clothes))
    # when they ask where it is, by number
    status = await chat.say(f"hey wheres my order {placed['number']}??")
    # then the assistant tells its status, with the order's card
    assert status["intent"]["name"] == "order_status"
    assert placed["number"] in status["reply"] and "confirmed" in status["reply"]
    assert [c["number"] for c in status["cards"] if c["type"] == "order"] == [placed["number"]]


async def test_another_shoppers_order_is_not_found(clothes: Store) -> None:
    # given an order of one customer
    owner, _ = await clothes.customer()
    placed = await place_order(owner, await headphones(clothes))
    # when another customer asks about it by number
    other, _ = await clothes.customer()
    status = await other.say(f"where is order {placed['number']}")
    # then it is not found for them, and nothing of it is shown
    assert "can't find" in status["reply"] and status["cards"] == []


@pytest.mark.business_rule("BR021")
async def test_cancelling_an_order_waits_for_a_yes(clothes: Store) -> None:
    # given a customer with a confirmed order
    chat, _ = await clothes.customer()
    placed = await place_order(chat, await headphones(clothes))
    # when they ask to cancel it
    asked = await chat.say(f"cancel order {placed['number']}")
    # then they are asked to confirm, and the order is untouched
    assert any(c["type"] == "confirmation" for c in asked["cards"])
    assert (await order(chat, placed["number"]))["status"] == "confirmed"
    # when they say no, nothing happens
    kept = await chat.say("no, keep it")
    assert kept["actions"] == [] and (await order(chat, placed["number"]))["status"] == "confirmed"
    # when they ask again and say yes
    await chat.say("actually please cancel my order")
    done = await chat.say("yes")
    # then it is cancelled
    assert done["actions"][0]["type"] == "order.cancelled"
    assert (await order(chat, placed["number"]))["status"] == "cancelled"


async def test_a_return_question_is_answered_from_the_faq(clothes: Store) -> None:
    # given the store's FAQ
    await faq(
        clothes,
        "How do I return an item?",
        "You can return items within 30 days of delivery for a full refund.",
        "returns",
        ["return", "refund", "send back"],
    )
    await faq(
        clothes,
        "How much does shipping cost?",
        "Standard shipping is 5.00, free over 50.00.",
        "shipping",
        ["shipping", "delivery", "postage"],
    )
    chat = await clothes.guest()
    # when a shopper asks how to send something back
    answer = await chat.say("how can i send back something i bought?")
    # then the return article answers
    assert answer["intent"]["name"] == "return_refund"
    assert "30 days" in answer["reply"]
    assert (
        next(c for c in answer["cards"] if c["type"] == "faq")["question"]
        == "How do I return an item?"
    )


async def test_a_hand_off_opens_a_ticket_and_staffs_answer_reaches_the_chat(clothes: Store) -> None:
    # given a shopper who asks for a person
    chat = await clothes.guest()
    await chat.say("do you have merino hoodies?")
    handed = await chat.say("I want to talk to a real person")
    # then a ticket is opened with the conversation's transcript
    ticket = next(a for a in handed["actions"] if a["type"] == "support.ticket_opened")
    opened = (
        await clothes.client.get(f"/v1/support/tickets/{ticket['ticket_id']}", headers=ADMIN)
    ).json()
    assert opened["conversation_id"] == chat.conversation_id
    assert [t["text"] for t in opened["transcript"]][:1] == ["do you have merino hoodies?"]
    # when staff answer it
    answered = await clothes.client.post(
        f"/v1/support/tickets/{ticket['ticket_id']}/messages",
        json={"body": "Hi! Yes, the Alpine Merino Hoodie comes in S, M and L."},
        headers=ADMIN,
    )
    assert answered.status_code == 201, answered.text

    # then their answer appears in the shopper's conversation
    async def arrived() -> bool:
        said = (
            await chat.client.get(
                f"/v1/assistant/conversations/{chat.conversation_id}", headers=chat.headers
            )
        ).json()
        return any(m["role"] == "staff" and "S, M and L" in m["text"] for m in said["items"])

    await eventually(arrived)


async def test_a_guests_conversation_survives_sign_in(clothes: Store) -> None:
    # given a guest who chatted and put a hoodie in the cart
    chat = await clothes.guest()
    await chat.say("add the merino hoodie in M to my cart")
    account = await sign_up(clothes.client)
    # when they sign in with their guest session
    signed = await clothes.client.post(
        "/v1/auth/login",
        json={"email": account.email, "password": account.password},
        headers=chat.headers,
    )
    assert signed.status_code == 200, signed.text
    await clothes.settle()
    user = Chat(
        clothes.client,
        in_store("default", {"authorization": f"Bearer {signed.json()['access_token']}"}),
        conversation_id=chat.conversation_id,
    )
    # then the conversation is theirs, and goes on where it was
    said = (
        await clothes.client.get(
            f"/v1/assistant/conversations/{chat.conversation_id}", headers=user.headers
        )
    ).json()
    assert said["items"][0]["text"] == "add the merino hoodie in M to my cart"
    cart = await user.say("what's in my cart?")
    assert "Alpine Merino Hoodie (M)" in cart["reply"]


async def test_an_order_found_by_its_digits_and_chosen_among_several(clothes: Store) -> None:
    # given a customer with two orders
    chat, _ = await clothes.customer()
    first = await place_order(chat, await headphones(clothes))
    second = await place_order(chat, await headphones(clothes))
    # when they ask about an order without its number, they are asked which
    asked = await chat.say("where is my order?")
    assert "Which order?" in asked["reply"]
    assert set(asked["quick_replies"]) == {first["number"], second["number"]}
    # when they answer with one of them, its status comes
    chosen = await chat.say(first["number"])
    assert first["number"] in chosen["reply"] and "confirmed" in chosen["reply"]
    # and the digits of a number alone find it too
    digits = second["number"].rsplit("-", 1)[1]  # ORD-2026-0000002 → 0000002
    by_digits = await chat.say(f"status of order {digits}")
    assert second["number"] in by_digits["reply"]


async def test_a_guest_without_orders_is_told_how_to_find_one(clothes: Store) -> None:
    chat = await clothes.guest()
    reply = await chat.say("where is my order?")
    assert "can't see any orders" in reply["reply"] and "Sign in" in reply["reply"]


@pytest.mark.business_rule("BR021")
async def test_a_new_shipping_address_is_asked_for_confirmed_then_set(clothes: Store) -> None:
    # given a customer with a confirmed order
    chat, _ = await clothes.customer()
    placed = await place_order(chat, await headphones(clothes))
    # when they ask to change its address without giving one, they are asked for it
    asked = await chat.say(f"i need to change the delivery address of order {placed['number']}")
    assert asked["intent"]["name"] == "change_shipping_address" and "new address" in asked["reply"]
    confirm = await chat.say("12 Baker Street, London NW1 6XE, UK")
    # then they are asked to confirm it, and the order is untouched until they do
    assert any(c["type"] == "confirmation" for c in confirm["cards"])
    assert (await order(chat, placed["number"]))["shipping_address"]["city"] == "Springfield"
    done = await chat.say("yes, change it")
    assert done["actions"][0]["type"] == "order.address_changed"
    address = (await order(chat, placed["number"]))["shipping_address"]
    assert (address["line1"], address["city"], address["country"]) == (
        "12 Baker Street",
        "London",
        "GB",
    )


@pytest.mark.business_rule("BR021")
async def test_a_lines_quantity_in_an_order_is_changed_after_a_yes(clothes: Store) -> None:
    # given a customer with one line of headphones in a confirmed order
    chat, _ = await clothes.customer()
    placed = await place_order(chat, await headphones(clothes))
    # when they ask for two instead
    asked = await chat.say(f"can you change order {placed['number']} to 2 studio headphones")
    assert asked["intent"]["name"] == "change_order"
    assert any(c["type"] == "confirmation" for c in asked["cards"])
    assert [ln["quantity"] for ln in (await order(chat, placed["number"]))["lines"]] == [1]
    # when they confirm, then the order holds two, re-priced
    done = await chat.say("yes")
    assert done["actions"][0]["type"] == "order.modified"
    changed = await order(chat, placed["number"])
    assert [ln["quantity"] for ln in changed["lines"]] == [2]
    assert changed["total"] != placed["total"]


async def test_a_shipped_order_can_neither_be_cancelled_nor_changed(clothes: Store) -> None:
    chat, _ = await clothes.customer()
    placed = await place_order(chat, await headphones(clothes))
    shipped = await clothes.client.post(
        f"/v1/orders/{placed['id']}/ship",
        json={"carrier": "UPS", "tracking_number": "1Z999"},
        headers=ADMIN,
    )
    assert shipped.status_code == 200, shipped.text
    status = await chat.say(f"where is {placed['number']}")
    assert "with UPS (tracking 1Z999)" in status["reply"]
    cancel = await chat.say(f"cancel order {placed['number']}")
    assert "can't be cancelled any more" in cancel["reply"] and cancel["actions"] == []
    change = await chat.say(
        f"change the address of order {placed['number']} to 1 New Road, Leeds LS1 1AA, UK"
    )
    assert "can't change any more" in change["reply"] and change["actions"] == []
