"""The assistant's hand-off, through the service it calls: a ticket opened from a chat
carries the conversation's id and transcript, is found by the conversation, and its staff
reply is announced with the conversation's id so the chat can show it. A guest's tickets
become theirs when they sign in."""

from __future__ import annotations

import pytest

from mercato.agents.support import service
from mercato.kernel.auth import Principal
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN, new_email, new_password
from tests.integration.support.conftest import START, Desk
from tests.support.store import settle

SHOPPER = Principal(id="user-7", tenant_id="default", kind="user", roles=frozenset({"customer"}))
STAFF = Principal(id="agent-1", tenant_id="default", kind="user", roles=frozenset({"support"}))
TRANSCRIPT = [
    {"role": "user", "text": "my order never came", "at": "2026-12-05T09:00:00+00:00"},
    {
        "role": "assistant",
        "text": "Let me hand you to a person.",
        "at": "2026-12-05T09:00:02+00:00",
    },
]


async def test_a_chat_handed_off_becomes_a_ticket_that_finds_its_way_back(desk: Desk) -> None:
    with bind(tenant_id="default"):
        # when the assistant opens a ticket for the shopper it is talking to
        async with desk.kernel.uow() as uow:
            opened = await service.open_ticket(
                uow,
                principal=SHOPPER,
                subject="Order never arrived",
                body="my order never came",
                priority="high",
                channel="chat",
                conversation_id="conv-42",
                transcript=TRANSCRIPT,
                now=START,
            )
            await uow.commit()
        # then it is a chat ticket with the transcript attached and the guessed category
        assert (opened.channel, opened.priority, opened.category) == ("chat", "high", "shipping")
        assert [(e.role, e.text) for e in opened.transcript] == [
            ("user", "my order never came"),
            ("assistant", "Let me hand you to a person."),
        ]
        # and it is found by its conversation
        async with desk.kernel.uow(writes=False) as uow:
            found = await service.tickets_for_conversation(uow, conversation_id="conv-42")
            none = await service.tickets_for_conversation(uow, conversation_id="conv-0")
        assert ([t.id for t in found], none) == ([opened.id], [])
        # when staff answer it
        async with desk.kernel.uow() as uow:
            reply = await service.add_message(
                uow, ticket_id=opened.id, principal=STAFF, body="It ships today.", now=START
            )
            await uow.commit()
    # then the reply is announced for the conversation, as staff's and not internal
    [_, announced] = await desk.events("support.message_added")
    assert announced == {
        "ticket_id": opened.id,
        "number": opened.number,
        "message_id": reply.id,
        "conversation_id": "conv-42",
        "author_kind": "staff",
        "author_id": "agent-1",
        "body": "It ships today.",
        "internal": False,
    }
    [event] = await desk.events("support.ticket_opened")
    assert (event["conversation_id"], event["channel"], event["user_id"]) == (
        "conv-42", "chat", "user-7",
    )  # fmt: skip
    # and the console shows the transcript
    seen = await desk.ticket({"id": opened.id}, ADMIN)
    assert [e["text"] for e in seen["transcript"]] == [e["text"] for e in TRANSCRIPT]


@pytest.mark.parametrize(
    "fields",
    [
        {"priority": "whenever"},
        {"channel": "fax"},
        {"transcript": [{"role": "", "text": "hi", "at": ""}]},
        {"transcript": [{"role": "user", "text": "x", "at": ""}] * 201},
        {"conversation_id": "c" * 65},
    ],
)
async def test_the_service_refuses_what_it_cannot_keep(
    desk: Desk, fields: dict[str, object]
) -> None:
    with bind(tenant_id="default"):
        async with desk.kernel.uow() as uow:
            with pytest.raises(service.InvalidTicket):
                await service.open_ticket(
                    uow, principal=SHOPPER, subject="Help", body="Help", now=START, **fields
                )
        # and an API key is nobody to open a ticket for
        robot = Principal(id="key", tenant_id="default", kind="api_key", roles=frozenset())
        async with desk.kernel.uow() as uow:
            with pytest.raises(service.InvalidTicket):
                await service.open_ticket(
                    uow, principal=robot, subject="Help", body="Help", now=START
                )
    assert await desk.events("support.ticket_opened") == []


async def test_a_guests_tickets_become_theirs_when_they_register(live_desk: Desk) -> None:
    # given a guest with a ticket
    guest = await live_desk.guest()
    ticket = await live_desk.open(guest, subject="Before I sign up")
    # when they register with their session
    email, password = new_email(), new_password()
    registered = await live_desk.client.post(
        "/v1/auth/register",
        json={"email": email, "password": password, "full_name": "Gus Guest"},
        headers=guest,
    )
    assert registered.status_code == 201, registered.text
    await settle(live_desk.kernel)
    login = await live_desk.client.post(
        "/v1/auth/login", json={"email": email, "password": password}
    )
    user = {"authorization": f"Bearer {login.json()['access_token']}"}
    # then the ticket is their account's, and reads as theirs
    mine = await live_desk.tickets(user)
    assert [t["id"] for t in mine["items"]] == [ticket["id"]]
    assert mine["items"][0]["requester_user_id"] == registered.json()["id"]
    assert (await live_desk.say(ticket, user, "I have an account now")).status_code == 201
    # and a redelivery of the promotion moves nothing more
    async with live_desk.kernel.uow() as uow:
        with bind(tenant_id="default"):
            moved = await service.move_guest_tickets(
                uow, session_id="any", user_id=registered.json()["id"]
            )
    assert moved == 0
