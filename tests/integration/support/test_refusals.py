"""Bad input gets a clear problem (problem+json, a stable code) and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.identity.conftest import ADMIN
from tests.integration.support.conftest import Desk


@pytest.mark.parametrize(
    "body",
    [
        {"subject": "", "body": "Help"},
        {"subject": "Help", "body": "   "},
        {"subject": "Help", "body": "x" * 4001},
        {"subject": "Help", "body": "Help", "category": "weather"},
        {"subject": "Help", "body": "Help", "priority": "urgent"},
        {"subject": "Help\u0000", "body": "Help"},
        {"subject": "Help", "body": "Help", "email": "not an address"},
        {"body": "Help"},
    ],
)
async def test_a_ticket_that_is_not_valid_is_refused_and_nothing_is_written(
    desk: Desk, body: dict[str, Any]
) -> None:
    guest = await desk.guest()
    before = await desk.snapshot()
    answer = await desk.client.post("/v1/support/tickets", json=body, headers=guest)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] in {"validation_failed", "invalid_ticket"}
    assert await desk.snapshot() == before
    assert (await desk.tickets(ADMIN))["items"] == []


async def test_a_bad_message_change_or_cursor_is_refused_and_changes_nothing(desk: Desk) -> None:
    ticket = await desk.open(await desk.guest())
    before = await desk.snapshot(ticket)
    refusals = [
        await desk.say(ticket, ADMIN, ""),
        await desk.patch(ticket, ADMIN, status="closed"),
        await desk.patch(ticket, ADMIN, assignee_id=""),
        await desk.patch(ticket, ADMIN, unknown=True),
        await desk.client.get("/v1/support/tickets", params={"cursor": "nope"}, headers=ADMIN),
        await desk.client.get("/v1/support/tickets", params={"sort": "random"}, headers=ADMIN),
    ]
    assert [r.status_code for r in refusals] == [422, 422, 422, 422, 400, 422]
    assert all(r.headers["content-type"] == "application/problem+json" for r in refusals)
    assert await desk.snapshot(ticket) == before
    missing = await desk.patch({"id": "no-such-ticket"}, ADMIN, priority="low")
    assert (missing.status_code, missing.json()["code"]) == (404, "ticket_not_found")
