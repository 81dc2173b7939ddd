"""The assistant's HTTP contract: parse (anyone, no side effects), messages (a shopper's),
conversations; bad input gets problem+json and changes nothing; two messages at once in one
conversation never interleave."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from mercato.agents.assistant.models import Conversation, Message
from mercato.kernel.context import bind
from tests.integration.assistant.conftest import Store


async def counts(store: Store) -> tuple[int, int]:
    async with store.kernel.uow(writes=False) as uow:
        with bind(tenant_id="default"):
            conversations = await uow.session.scalar(select(func.count()).select_from(Conversation))
            messages = await uow.session.scalar(select(func.count()).select_from(Message))
    return int(conversations or 0), int(messages or 0)


async def test_parse_answers_the_intent_ranking_and_entities_with_spans(clothes: Store) -> None:
    text = "add 2 merino hodies in navy size M, under $80"
    # when anyone parses a message
    answer = await clothes.client.post("/v1/assistant/parse", json={"text": text})
    # then its intent, its ranking and its entities come back, and nothing is written
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["intent"]["name"] == "add_to_cart" and 0 < body["intent"]["confidence"] <= 1
    assert body["intent_ranking"][0] == body["intent"] and len(body["intent_ranking"]) == 5
    found = {(e["type"], e["value"], text[e["start"] : e["end"]]) for e in body["entities"]}
    assert {
        ("quantity", "2", "2"),
        ("product", "merino hoodie", "merino hodies"),
        ("color", "navy", "navy"),
        ("size", "M", "M"),
        ("price_max", "80", "80"),
    } <= found
    assert await counts(clothes) == (0, 0)


async def test_bad_input_gets_a_problem_and_changes_nothing(clothes: Store) -> None:
    guest = await clothes.guest()
    for body in (
        {"text": ""},
        {"text": "x" * 2001},
        {"text": 5},
        {"text": "hi", "extra": 1},
        {"text": "hi", "payment": {"provider": "NOT OK"}},
    ):
        # when a message is malformed
        answer = await clothes.client.post(
            "/v1/assistant/messages", json=body, headers=guest.headers
        )
        # then it is refused as a problem, and no conversation is opened
        assert answer.status_code == 422, body
        assert answer.headers["content-type"].startswith("application/problem+json")
    assert await counts(clothes) == (0, 0)


async def test_only_a_shopper_chats_and_only_in_their_own_conversation(clothes: Store) -> None:
    # when someone without a session sends a message, then they are told to start one
    anonymous = await clothes.client.post("/v1/assistant/messages", json={"text": "hi"})
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "session_required"
    # given a guest's conversation
    ann = await clothes.guest()
    await ann.say("hi")
    # when another guest writes into it or reads it, then it is not found for them
    bob = await clothes.guest()
    written = await clothes.client.post(
        "/v1/assistant/messages",
        json={"text": "hello", "conversation_id": ann.conversation_id},
        headers=bob.headers,
    )
    read = await clothes.client.get(
        f"/v1/assistant/conversations/{ann.conversation_id}", headers=bob.headers
    )
    assert (written.status_code, read.status_code) == (404, 404)
    assert written.json()["code"] == "conversation_not_found"
    assert await counts(clothes) == (1, 2)


@pytest.mark.edge_case("EC031")
async def test_two_messages_at_once_never_interleave(clothes: Store) -> None:
    # given a conversation
    chat = await clothes.guest()
    await chat.say("hi")
    # when two messages arrive at the same moment
    answers = await asyncio.gather(
        *(
            clothes.client.post(
                "/v1/assistant/messages",
                json={"text": text, "conversation_id": chat.conversation_id},
                headers=chat.headers,
            )
            for text in ("show me mugs", "show me tees")
        )
    )
    # then each is answered, or refused as busy (nothing of it written)
    assert sorted(a.status_code for a in answers) in ([200, 200], [200, 409])
    said = (
        await clothes.client.get(
            f"/v1/assistant/conversations/{chat.conversation_id}", headers=chat.headers
        )
    ).json()["items"]
    ok = sum(a.status_code == 200 for a in answers)
    assert [m["seq"] for m in said] == list(range(2 + 2 * ok))
    assert [m["role"] for m in said] == ["shopper", "assistant"] * (1 + ok)
