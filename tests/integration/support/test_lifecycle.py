"""A ticket's life: opened by a shopper with its first message and a human number, assigned,
answered (it then waits on the customer), answered back (open again), solved, and reopened
by the customer; each step published. A move its status cannot make is refused and changes
nothing."""

from __future__ import annotations

from tests.integration.identity.conftest import ADMIN
from tests.integration.support.conftest import Desk


async def test_a_guest_opens_a_ticket_with_a_number_its_first_message_and_its_events(
    desk: Desk,
) -> None:
    # when a guest asks for help without saying what about
    guest = await desk.guest()
    ticket = await desk.open(guest, subject="Parcel not arrived", body="My parcel is late.")
    # then the ticket is open, numbered per store, of normal priority, its category guessed
    assert ticket["number"] == "TCK-000001"
    assert (ticket["status"], ticket["priority"], ticket["category"]) == (
        "open", "normal", "shipping",
    )  # fmt: skip
    assert (ticket["channel"], ticket["requester_user_id"], ticket["assignee_id"]) == (
        "web", None, None,
    )  # fmt: skip
    [message] = ticket["messages"]
    assert (message["author_kind"], message["body"], message["internal"]) == (
        "customer", "My parcel is late.", False,
    )  # fmt: skip
    # and the next ticket takes the next number
    second = await desk.open(await desk.customer(), category="payment")
    assert (second["number"], second["category"]) == ("TCK-000002", "payment")
    # and both were announced, each with its first message
    opened = await desk.events("support.ticket_opened")
    assert [(e["number"], e["category"], e["priority"]) for e in opened] == [
        ("TCK-000001", "shipping", "normal"),
        ("TCK-000002", "payment", "normal"),
    ]
    added = await desk.events("support.message_added")
    assert [(e["ticket_id"], e["author_kind"], e["internal"]) for e in added] == [
        (ticket["id"], "customer", False),
        (second["id"], "customer", False),
    ]


async def test_a_ticket_goes_from_open_to_solved_and_is_reopened_by_the_customer(
    desk: Desk,
) -> None:
    # given a customer's ticket and a support agent
    customer = await desk.customer()
    ticket = await desk.open(customer)
    agent_id, agent = await desk.staff()
    # when the agent takes it, it is assigned to them
    taken = await desk.patch(ticket, agent, assignee_id=agent_id)
    assert taken.status_code == 200, taken.text
    assert (taken.json()["status"], taken.json()["assignee_id"]) == ("assigned", agent_id)
    # when they reply, it waits on the customer, and the first response is on record
    assert (await desk.say(ticket, agent, "Let me check with the carrier.")).status_code == 201
    seen = await desk.ticket(ticket, customer)
    assert seen["status"] == "waiting"
    assert seen["first_responded_at"] is not None
    # when the customer answers, it is open again (the store's move)
    assert (await desk.say(ticket, customer, "Thanks, any news?")).status_code == 201
    assert (await desk.ticket(ticket))["status"] == "open"
    # when the agent solves it, it is solved
    solved = await desk.patch(ticket, agent, status="solved")
    assert (solved.json()["status"], solved.json()["solved_at"] is not None) == ("solved", True)
    # and a message from the customer reopens it
    assert (await desk.say(ticket, customer, "It still has not come.")).status_code == 201
    reopened = await desk.ticket(ticket)
    assert (reopened["status"], reopened["solved_at"]) == ("open", None)
    # and every move was published, with who made it
    moves = await desk.events("support.ticket_status_changed")
    assert [(m["previous_status"], m["status"]) for m in moves] == [
        ("open", "assigned"),
        ("assigned", "waiting"),
        ("waiting", "open"),
        ("open", "solved"),
        ("solved", "open"),
    ]
    assert moves[0]["by"] == agent_id
    # and the version moved with each change
    assert reopened["version"] == 6


async def test_unassigning_returns_a_ticket_to_open_and_the_category_can_be_corrected(
    desk: Desk,
) -> None:
    ticket = await desk.open(await desk.customer())
    agent_id, agent = await desk.staff()
    await desk.patch(ticket, agent, assignee_id=agent_id)
    # when the agent gives it back and corrects its category
    answer = await desk.patch(ticket, agent, assignee_id=None, category="returns")
    # then it is open, unassigned, in its category
    assert answer.status_code == 200, answer.text
    assert (answer.json()["status"], answer.json()["assignee_id"], answer.json()["category"]) == (
        "open", None, "returns",
    )  # fmt: skip
    # and a change that changes nothing bumps nothing
    again = await desk.patch(ticket, agent, category="returns")
    assert again.json()["version"] == answer.json()["version"]


async def test_a_move_the_status_cannot_make_is_refused_and_changes_nothing(desk: Desk) -> None:
    # given a solved ticket
    ticket = await desk.open(await desk.customer())
    assert (await desk.patch(ticket, ADMIN, status="solved")).status_code == 200
    before = await desk.snapshot(ticket)
    # when staff would park it waiting on the customer, or assign it to nobody
    parked = await desk.patch(ticket, ADMIN, status="waiting")
    nobody = await desk.patch(ticket, ADMIN, status="assigned")
    # then each is refused with its problem, and the ticket is as it was
    assert (parked.status_code, parked.json()["code"]) == (409, "ticket_transition_invalid")
    assert parked.headers["content-type"] == "application/problem+json"
    assert (nobody.status_code, nobody.json()["code"]) == (422, "invalid_ticket")
    assert await desk.snapshot(ticket) == before


async def test_a_change_on_a_version_no_longer_current_is_refused(desk: Desk) -> None:
    ticket = await desk.open(await desk.customer())
    read = await desk.get(ticket, ADMIN)
    etag = read.headers["etag"]
    # when someone else changes the ticket first
    assert (await desk.patch(ticket, ADMIN, priority="high")).status_code == 200
    # then a change made on the old version is refused, naming the current one
    late = await desk.client.patch(
        f"/v1/support/tickets/{ticket['id']}",
        json={"priority": "low"},
        headers={**ADMIN, "If-Match": etag},
    )
    assert (late.status_code, late.json()["code"]) == (409, "ticket_version_conflict")
    assert late.json()["current_version"] == 2 and late.headers["etag"] == '"2"'
    assert (await desk.ticket(ticket))["priority"] == "high"
    # and one made on the current version goes through
    fresh = await desk.client.patch(
        f"/v1/support/tickets/{ticket['id']}",
        json={"priority": "low"},
        headers={**ADMIN, "If-Match": '"2"'},
    )
    assert (fresh.status_code, fresh.json()["priority"]) == (200, "low")


async def test_a_ticket_is_found_by_its_number(desk: Desk) -> None:
    customer = await desk.customer()
    ticket = await desk.open(customer)
    by_number = await desk.get(ticket["number"].lower(), customer)
    assert (by_number.status_code, by_number.json()["id"]) == (200, ticket["id"])
    missing = await desk.get("TCK-999999", customer)
    assert (missing.status_code, missing.json()["code"]) == (404, "ticket_not_found")
    messages = await desk.client.get(
        f"/v1/support/tickets/{ticket['number']}/messages", headers=customer
    )
    assert [m["body"] for m in messages.json()["items"]] == ["It has not arrived."]
