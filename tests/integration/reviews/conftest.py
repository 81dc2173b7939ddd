"""Fixtures and helpers of the reviews agent's integration tests (SQLite and PostgreSQL,
through the `settings` fixture).

- `board`: a whole store with no background work (reviews need none but verified purchases):
  products made by the admin or a merchant, shoppers and staff signed up, all through the API.
- `live_board`: the same with the relay and handlers running, and shipping set up, so a
  signed-in customer's order can be checked out, shipped and delivered (verified purchase).

`snapshot()` is what a refused request must leave as it was: the reviews agent's rows and
every event ever written."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from mercato.agents.reviews.models import (
    ProductRating,
    Review,
    ReviewReply,
    ReviewReport,
    ReviewVote,
)
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN, sign_up
from tests.integration.returns.conftest import ReturnsShop
from tests.support.store import store_for

_serial = itertools.count(1)
CLEAN = "Lovely soft fabric and the fit is très chic. Arrived quickly, would buy again."


@dataclass
class Board:
    kernel: Kernel
    client: httpx.AsyncClient

    async def customer(self) -> tuple[str, dict[str, str]]:
        account = await sign_up(self.client)
        return account.id, account.headers

    async def staff(self) -> dict[str, str]:
        return (await sign_up(self.client, "support")).headers

    async def merchant(self, merchant_id: str = "merchant-1") -> dict[str, str]:
        return (await sign_up(self.client, "merchant", merchant_id=merchant_id)).headers

    async def product(self, headers: dict[str, str] = ADMIN) -> str:
        serial = next(_serial)
        body = {
            "name": f"Reviewed thing {serial}",
            "status": "active",
            "variants": [{"sku": f"REV-{serial}", "price": "12.00", "attributes": {}}],
        }
        made = await self.client.post("/v1/products", json=body, headers=headers)
        assert made.status_code == 201, made.text
        return str(made.json()["id"])

    async def post(self, product_id: str, who: dict[str, str], **fields: Any) -> httpx.Response:
        body = {"rating": 5, "title": "Great", "body": CLEAN, **fields}
        return await self.client.post(f"/v1/products/{product_id}/reviews", json=body, headers=who)

    async def review(self, product_id: str, who: dict[str, str], **fields: Any) -> dict[str, Any]:
        answer = await self.post(product_id, who, **fields)
        assert answer.status_code == 201, answer.text
        return dict(answer.json())

    async def listing(self, product_id: str, **params: Any) -> dict[str, Any]:
        answer = await self.client.get(f"/v1/products/{product_id}/reviews", params=params)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    async def act(
        self, review_id: str, step: str, who: dict[str, str], json: Any = None
    ) -> httpx.Response:
        return await self.client.post(f"/v1/reviews/{review_id}/{step}", json=json, headers=who)

    async def events(self, event_type: str) -> list[dict[str, Any]]:
        async with self.kernel.uow(writes=False) as uow:
            rows = await uow.session.scalars(
                select(OutboxRecord)
                .where(OutboxRecord.type == event_type)
                .order_by(OutboxRecord.seq)
            )
            return [r.payload for r in rows]

    async def snapshot(self) -> tuple[Any, ...]:
        """Every row of the reviews agent's tables (as text) and the number of events."""
        with bind(tenant_id="default"):
            return await self._snapshot()

    async def _snapshot(self) -> tuple[Any, ...]:
        async with self.kernel.uow(writes=False) as uow:
            events = await uow.session.scalar(select(func.count()).select_from(OutboxRecord))
            rows: list[Any] = [events]
            for table in (Review, ReviewVote, ReviewReport, ReviewReply, ProductRating):
                found = await uow.session.scalars(select(table))
                rows.append(sorted(repr(_columns(r)) for r in found))
        return tuple(rows)


def _columns(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


@pytest.fixture
async def board(settings: Settings) -> AsyncIterator[Board]:
    async with store_for(settings, start=False) as (kernel, client):
        yield Board(kernel, client)


@dataclass
class LiveBoard(Board):
    shop: ReturnsShop | None = None


@pytest.fixture
async def live_board(settings: Settings) -> AsyncIterator[LiveBoard]:
    async with store_for(settings) as (kernel, client):
        shop = ReturnsShop(kernel, client, None)
        await shop.set_up()
        yield LiveBoard(kernel, client, shop)
