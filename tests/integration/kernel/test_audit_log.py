"""The outbox is the audit log: `GET /v1/audit/events` for admins, filtered and paged."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import DeadLetter
from mercato.kernel.context import bind
from mercato.kernel.ids import new_id
from tests.conftest import ADMIN_KEY
from tests.support.example_agent import write_note
from tests.support.http import client_for

ADMIN = {"authorization": f"Bearer {ADMIN_KEY}"}


@pytest.fixture
async def client(kernel: Kernel) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(kernel, start=False) as c:
        yield c


async def notes(kernel: Kernel, tenant: str, count: int, note_id: str | None = None) -> None:
    with bind(tenant_id=tenant):
        for _ in range(count):
            async with kernel.uow() as uow:
                await write_note(uow=uow, text="t", note_id=note_id if count == 1 else None)
                await uow.commit()


async def test_an_anonymous_caller_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/audit/events")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


async def test_a_wrong_key_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/audit/events", headers={"authorization": "Bearer nope"})
    assert response.status_code == 401


async def test_an_admin_pages_through_every_event_of_the_store(
    client: httpx.AsyncClient, kernel: Kernel
) -> None:
    # given five events in the default store and two in another
    await notes(kernel, "default", 5)
    await notes(kernel, "other", 2)
    # when an admin pages through two at a time
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/v1/audit/events", params=params, headers=ADMIN)).json()
        seen += [e["id"] for e in page["items"]]
        assert all(e["tenant_id"] == "default" for e in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    # then each of the store's five events appears once, oldest first; the other store's never
    assert len(seen) == 5 and len(set(seen)) == 5 and seen == sorted(seen)


async def test_events_filter_by_type_aggregate_and_time(
    client: httpx.AsyncClient, kernel: Kernel
) -> None:
    await notes(kernel, "default", 3)
    await notes(kernel, "default", 1, note_id="the-note")
    everything = (await client.get("/v1/audit/events", headers=ADMIN)).json()["items"]
    by_aggregate = (
        await client.get("/v1/audit/events", params={"aggregate_id": "the-note"}, headers=ADMIN)
    ).json()["items"]
    assert [e["aggregate_id"] for e in by_aggregate] == ["the-note"]
    by_type = (
        await client.get("/v1/audit/events", params={"type": "order.placed"}, headers=ADMIN)
    ).json()["items"]
    assert by_type == []
    since = everything[2]["occurred_at"]
    recent = (await client.get("/v1/audit/events", params={"since": since}, headers=ADMIN)).json()[
        "items"
    ]
    assert [e["id"] for e in recent] == [e["id"] for e in everything[2:]]


async def test_a_forged_cursor_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/audit/events", params={"cursor": "!!!"}, headers=ADMIN)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


async def pages(client: httpx.AsyncClient, **params: object) -> list[list[str]]:
    """Every page of the audit log asked with `params`, following `next_cursor`."""
    found: list[list[str]] = []
    cursor = None
    while True:
        query = params | ({"cursor": cursor} if cursor else {})
        answer = await client.get("/v1/audit/events", params=query, headers=ADMIN)
        assert answer.status_code == 200, answer.text
        found.append([e["id"] for e in answer.json()["items"]])
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            return found


async def test_an_admin_reads_the_log_newest_first(
    client: httpx.AsyncClient, kernel: Kernel
) -> None:
    # given five events in the default store and two in another
    await notes(kernel, "default", 5)
    await notes(kernel, "other", 2)
    oldest_first = [e for page in await pages(client) for e in page]
    # when an admin pages through it newest first, two at a time
    newest_first = await pages(client, order="desc", limit=2)
    # then the same five events come in the reverse order, each once
    assert [len(page) for page in newest_first] == [2, 2, 1]
    assert [e for page in newest_first for e in page] == oldest_first[::-1]


async def test_a_cursor_is_a_position_either_order_reads_on_from(
    client: httpx.AsyncClient, kernel: Kernel
) -> None:
    # given five events, and the cursor after the newest two
    await notes(kernel, "default", 5)
    everything = [e for page in await pages(client) for e in page]
    first = (
        await client.get("/v1/audit/events", params={"order": "desc", "limit": 2}, headers=ADMIN)
    ).json()
    cursor = first["next_cursor"]
    # when the admin reads on from it newest first, and then turns around
    older = await client.get(
        "/v1/audit/events", params={"order": "desc", "cursor": cursor}, headers=ADMIN
    )
    newer = await client.get(
        "/v1/audit/events", params={"order": "asc", "cursor": cursor}, headers=ADMIN
    )
    # then the first gets the three older events, the second the newest one
    assert [e["id"] for e in older.json()["items"]] == everything[2::-1]
    assert [e["id"] for e in newer.json()["items"]] == everything[4:]


@pytest.mark.parametrize("position", ["seq:-1", f"seq:{2**63}", "seq:x"])
async def test_a_cursor_out_of_range_is_a_400(client: httpx.AsyncClient, position: str) -> None:
    cursor = base64.urlsafe_b64encode(position.encode()).decode()
    answer = await client.get("/v1/audit/events", params={"cursor": cursor}, headers=ADMIN)
    assert (answer.status_code, answer.json()["code"]) == (400, "invalid_cursor")


async def test_an_admin_pages_through_the_dead_letters_of_the_store(
    client: httpx.AsyncClient, kernel: Kernel
) -> None:
    # given three dead letters in the default store (one failure time shared) and one elsewhere
    start = datetime(2026, 3, 1, tzinfo=UTC)
    made = [("default", start), ("default", start), ("default", start + timedelta(1))]
    async with kernel.uow() as uow:
        for tenant, failed_at in [*made, ("other", start)]:
            uow.session.add(
                DeadLetter(
                    id=new_id(),
                    event_id=new_id(),
                    event_type="example.noted",
                    handler="example.handler",
                    tenant_id=tenant,
                    envelope={},
                    error="boom",
                    attempts=3,
                    status="dead",
                    failed_at=failed_at,
                )
            )
        await uow.commit()
    # when an admin pages through them two at a time
    first = await client.get("/v1/audit/dead-letters", params={"limit": 2}, headers=ADMIN)
    assert first.status_code == 200, first.text
    second = await client.get(
        "/v1/audit/dead-letters",
        params={"limit": 2, "cursor": first.json()["next_cursor"]},
        headers=ADMIN,
    )
    # then the store's three come once each, oldest first, and the last page says so
    seen = first.json()["items"] + second.json()["items"]
    assert len({d["id"] for d in seen}) == 3
    assert [d["failed_at"][:10] for d in seen] == ["2026-03-01", "2026-03-01", "2026-03-02"]
    assert second.json()["next_cursor"] is None
