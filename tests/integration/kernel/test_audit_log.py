"""The outbox is the audit log: `GET /v1/audit/events` for admins, filtered and paged."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.context import bind
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
