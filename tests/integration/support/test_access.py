"""Who sees and does what: a shopper sees their own tickets (by account, or a guest by their
session) and never another's (a 404, like a missing one), never an internal note, and can
neither write one nor change a ticket's status; staff see every ticket and every note."""

from __future__ import annotations

import pytest

from tests.integration.identity.conftest import ADMIN
from tests.integration.support.conftest import Desk


async def test_another_shoppers_ticket_is_not_found(desk: Desk) -> None:
    # given a customer's ticket
    mine = await desk.customer()
    ticket = await desk.open(mine)
    others = (await desk.customer(), await desk.guest())
    before = await desk.snapshot(ticket)
    # when another customer, and a guest, reach for it
    for other in others:
        read = await desk.get(ticket, other)
        listed = await desk.client.get(
            f"/v1/support/tickets/{ticket['id']}/messages", headers=other
        )
        written = await desk.say(ticket, other, "Let me in")
        # then each is told there is no such ticket
        for answer in (read, listed, written):
            assert (answer.status_code, answer.json()["code"]) == (404, "ticket_not_found")
        # and their own list does not show it
        assert (await desk.tickets(other))["items"] == []
    # and nothing changed
    assert await desk.snapshot(ticket) == before


async def test_a_shopper_neither_writes_nor_reads_internal_notes(desk: Desk) -> None:
    # given a guest's ticket with an internal note and a reply from staff
    guest = await desk.guest()
    ticket = await desk.open(guest)
    note = await desk.say(
        ticket, ADMIN, "Customer is a reseller, check before refunding", internal=True
    )
    assert (note.status_code, note.json()["internal"]) == (201, True)
    assert (await desk.say(ticket, ADMIN, "We are on it!")).status_code == 201
    # when the guest reads their ticket and its messages
    seen = await desk.ticket(ticket, guest)
    listed = await desk.client.get(f"/v1/support/tickets/{ticket['id']}/messages", headers=guest)
    # then they see their message and the reply, never the note
    expected = ["It has not arrived.", "We are on it!"]
    assert [m["body"] for m in seen["messages"]] == expected
    assert [m["body"] for m in listed.json()["items"]] == expected
    # while staff see all three
    assert len((await desk.ticket(ticket, ADMIN))["messages"]) == 3
    # and an internal note did not count as the first response
    assert (await desk.ticket(ticket))["first_responded_at"] is not None
    # when the guest tries to write an internal note, it is refused and nothing is written
    before = await desk.snapshot(ticket)
    refused = await desk.say(ticket, guest, "psst", internal=True)
    assert (refused.status_code, refused.json()["code"]) == (403, "support_staff_only")
    assert await desk.snapshot(ticket) == before


async def test_the_note_is_announced_marked_internal_and_the_reply_not(desk: Desk) -> None:
    ticket = await desk.open(await desk.guest())
    await desk.say(ticket, ADMIN, "internal only", internal=True)
    await desk.say(ticket, ADMIN, "Hello from the team")
    added = await desk.events("support.message_added")
    assert [(m["author_kind"], m["body"], m["internal"]) for m in added] == [
        ("customer", "It has not arrived.", False),
        ("staff", "internal only", True),
        ("staff", "Hello from the team", False),
    ]


@pytest.mark.parametrize("change", [{"status": "solved"}, {"priority": "urgent"}])
async def test_a_shopper_cannot_change_their_ticket(desk: Desk, change: dict[str, str]) -> None:
    customer = await desk.customer()
    ticket = await desk.open(customer)
    before = await desk.snapshot(ticket)
    refused = await desk.patch(ticket, customer, **change)
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert await desk.snapshot(ticket) == before


async def test_a_shopper_lists_their_own_and_staff_list_every_ticket_by_filter(
    desk: Desk,
) -> None:
    # given two shoppers' tickets, one of them assigned to a support agent
    ada, bob = await desk.customer(), await desk.guest()
    first = await desk.open(ada, subject="One")
    second = await desk.open(bob, subject="Two")
    third = await desk.open(ada, subject="Three")
    agent_id, agent = await desk.staff()
    await desk.patch(second, agent, assignee_id=agent_id, priority="high")
    # then each shopper lists theirs, newest first
    assert [t["subject"] for t in (await desk.tickets(ada))["items"]] == ["Three", "One"]
    assert [t["subject"] for t in (await desk.tickets(bob))["items"]] == ["Two"]
    # and staff list every ticket, by status, priority and assignee
    assert len((await desk.tickets(agent))["items"]) == 3
    assert [t["id"] for t in (await desk.tickets(agent, status="assigned"))["items"]] == [
        second["id"]
    ]
    assert [t["id"] for t in (await desk.tickets(agent, priority="high"))["items"]] == [
        second["id"]
    ]
    assert [t["id"] for t in (await desk.tickets(agent, assignee="me"))["items"]] == [second["id"]]
    assert [t["id"] for t in (await desk.tickets(agent, assignee=agent_id))["items"]] == [
        second["id"]
    ]
    unassigned = await desk.tickets(agent, assignee="none")
    assert [t["id"] for t in unassigned["items"]] == [third["id"], first["id"]]
    # and pages follow the cursor without repeats
    seen: list[str] = []
    params: dict[str, object] = {"limit": 2}
    while True:
        page = await desk.tickets(agent, **params)
        seen += [t["id"] for t in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == [third["id"], second["id"], first["id"]]


async def test_anonymous_callers_are_asked_to_sign_in(desk: Desk) -> None:
    answer = await desk.client.get("/v1/support/tickets")
    assert (answer.status_code, answer.json()["code"]) == (401, "unauthorized")
