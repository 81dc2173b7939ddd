"""Fixtures and helpers of the support agent's tests (SQLite and PostgreSQL, through the
`settings` fixture).

- `desk`: a whole store with no background work, whose time moves only when the test moves
  `desk.clock` (the SLA's due times and breaches are read from it).
- `live_desk`: the same with the relay and handlers running (the guest's tickets follow them
  when they sign in), on the system clock.

Helpers on `Desk`: shoppers and staff made through the API, tickets opened and moved through
it, what was published, and what a refused request must leave as it was (`snapshot`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from mercato.agents.support import service
from mercato.demo_support import FAQ
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN, guest_headers, sign_up
from tests.support.store import store_for

START = datetime.now(UTC).replace(microsecond=0)
"""Now (tokens are checked against the real clock too); tests move `desk.clock` from it."""


@dataclass
class Desk:
    kernel: Kernel
    client: httpx.AsyncClient
    clock: ManualClock | None = None
    started: datetime = START
    """When the store's clock began (a `desk`'s: the SLA's due times count from it)."""

    # -- who -----------------------------------------------------------------------------

    async def guest(self) -> dict[str, str]:
        return await guest_headers(self.client)

    async def customer(self) -> dict[str, str]:
        return (await sign_up(self.client)).headers

    async def staff(self) -> tuple[str, dict[str, str]]:
        """A support agent's id and headers."""
        account = await sign_up(self.client, "support")
        return account.id, account.headers

    # -- tickets -------------------------------------------------------------------------

    async def open(self, who: dict[str, str], **fields: Any) -> dict[str, Any]:
        body = {"subject": "Where is my parcel?", "body": "It has not arrived.", **fields}
        answer = await self.client.post("/v1/support/tickets", json=body, headers=who)
        assert answer.status_code == 201, answer.text
        return dict(answer.json())

    async def get(self, ticket: dict[str, Any] | str, who: dict[str, str]) -> httpx.Response:
        ref = ticket if isinstance(ticket, str) else ticket["id"]
        return await self.client.get(f"/v1/support/tickets/{ref}", headers=who)

    async def ticket(self, ticket: dict[str, Any], who: dict[str, str] = ADMIN) -> dict[str, Any]:
        answer = await self.get(ticket, who)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    async def say(
        self, ticket: dict[str, Any], who: dict[str, str], body: str, *, internal: bool = False
    ) -> httpx.Response:
        return await self.client.post(
            f"/v1/support/tickets/{ticket['id']}/messages",
            json={"body": body, "internal": internal},
            headers=who,
        )

    async def patch(
        self, ticket: dict[str, Any], who: dict[str, str], **changes: Any
    ) -> httpx.Response:
        return await self.client.patch(
            f"/v1/support/tickets/{ticket['id']}", json=changes, headers=who
        )

    async def tickets(self, who: dict[str, str], **params: Any) -> dict[str, Any]:
        answer = await self.client.get("/v1/support/tickets", params=params, headers=who)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    # -- the FAQ -------------------------------------------------------------------------

    async def demo_faq(self) -> None:
        """The demo store's FAQ, written through the service as the demo writes it."""
        with bind(tenant_id="default"):
            async with self.kernel.uow() as uow:
                for spec in FAQ:
                    await service.create_article(uow, spec=spec, now=START)
                await uow.commit()

    async def ask(self, q: str, **params: Any) -> list[dict[str, Any]]:
        answer = await self.client.get("/v1/support/faq", params={"q": q, **params})
        assert answer.status_code == 200, answer.text
        return list(answer.json()["items"])

    # -- what happened -------------------------------------------------------------------

    async def events(self, event_type: str) -> list[dict[str, Any]]:
        async with self.kernel.uow(writes=False) as uow:
            rows = await uow.session.scalars(
                select(OutboxRecord)
                .where(OutboxRecord.type == event_type)
                .order_by(OutboxRecord.seq)
            )
            return [r.payload for r in rows]

    async def snapshot(self, ticket: dict[str, Any] | None = None) -> tuple[Any, ...]:
        """What a refused request must leave as it was: the ticket (its version, status,
        messages) and the number of events ever written."""
        async with self.kernel.uow(writes=False) as uow:
            events = await uow.session.scalar(select(func.count()).select_from(OutboxRecord))
        if ticket is None:
            return (events,)
        now = await self.ticket(ticket)
        return events, now["version"], now["status"], len(now["messages"])


@pytest.fixture
async def desk(settings: Settings) -> AsyncIterator[Desk]:
    started = datetime.now(UTC).replace(microsecond=0)  # not START: tokens are checked by it
    clock = ManualClock(started)
    async with store_for(settings, clock=clock, start=False) as (kernel, client):
        yield Desk(kernel, client, clock, started)


@pytest.fixture
async def live_desk(settings: Settings) -> AsyncIterator[Desk]:
    async with store_for(settings) as (kernel, client):
        yield Desk(kernel, client)
