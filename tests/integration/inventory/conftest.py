"""Fixtures and helpers of the inventory agent's integration tests.

Fixtures (on each backend of the `settings` fixture, SQLite and PostgreSQL):

- `shop`: a whole store (every installed agent) whose clock the test moves (`ManualClock`),
  background work not started, so each test runs the sweeper itself; it offers the kernel,
  an HTTP client, the clock and the helpers below.

Products are made through the catalog's API (`POST /v1/products`), stock through the
inventory API with the bootstrap admin key; `shop.reserve/commit/release` call the service
(as the checkout saga will) in the default store, each in its own committed unit of work.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from mercato.agents.inventory import service as inventory
from mercato.agents.inventory.models import Movement, Reservation, StockLevel
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork
from tests.integration.identity.conftest import ADMIN, in_store
from tests.support.store import store_for

TENANT = "default"
ADMIN_HEADERS = in_store(TENANT, ADMIN)
_serial = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_serial)}"


@dataclass(frozen=True)
class Stock:
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass
class Shop:
    kernel: Kernel
    client: httpx.AsyncClient
    clock: ManualClock

    def uow(self, *, writes: bool = True) -> UnitOfWork:
        return self.kernel.uow(writes=writes)

    # -- made through the API ---------------------------------------------------------

    async def variants(self, *skus: str) -> dict[str, str]:
        """A product with one variant per SKU (catalog API); SKU → variant id."""
        body = {
            "name": unique("Tee"),
            "variants": [{"sku": sku, "price": "10.00"} for sku in skus],
        }
        answer = await self.client.post("/v1/products", json=body, headers=ADMIN_HEADERS)
        assert answer.status_code == 201, answer.text
        return {v["sku"]: v["id"] for v in answer.json()["variants"]}

    async def variant(self, sku: str | None = None) -> tuple[str, str]:
        """A new variant: (SKU, variant id)."""
        sku = sku or unique("SKU")
        return sku, (await self.variants(sku))[sku]

    async def location(self, code: str | None = None, *, priority: int = 100) -> str:
        answer = await self.client.post(
            "/v1/inventory/locations",
            json={"code": code or unique("WH"), "name": "Warehouse", "priority": priority},
            headers=ADMIN_HEADERS,
        )
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])

    async def receive(self, sku: str, location_id: str, quantity: int) -> dict[str, Any]:
        answer = await self.adjust(sku=sku, location_id=location_id, delta=quantity)
        assert answer.status_code == 201, answer.text
        return dict(answer.json())

    async def adjust(self, **body: Any) -> httpx.Response:
        body.setdefault("reason", "received")
        return await self.client.post("/v1/inventory/adjustments", json=body, headers=ADMIN_HEADERS)

    async def receipt(
        self, location_id: str, lines: list[dict[str, Any]], **body: Any
    ) -> httpx.Response:
        """A delivery booked in through `POST /v1/inventory/receipts` (as the admin)."""
        body = {"location_id": location_id, "lines": lines, **body}
        return await self.client.post("/v1/inventory/receipts", json=body, headers=ADMIN_HEADERS)

    # -- through the service, each in a unit of work of its own ------------------------

    async def reserve(self, reference: str, lines: list[tuple[str, int]]) -> list[Reservation]:
        """Reserve in the default store; committed when it succeeds."""
        with bind(tenant_id=TENANT):
            async with self.uow() as uow:
                made = await inventory.reserve(
                    uow, reference=reference, lines=lines, now=self.clock.now()
                )
                await uow.commit()
        return made

    async def commit(self, reference: str) -> list[Reservation]:
        with bind(tenant_id=TENANT):
            async with self.uow() as uow:
                done = await inventory.commit(uow, reference=reference, now=self.clock.now())
                await uow.commit()
        return done

    async def release(self, reference: str) -> list[Reservation]:
        with bind(tenant_id=TENANT):
            async with self.uow() as uow:
                done = await inventory.release(uow, reference=reference, now=self.clock.now())
                await uow.commit()
        return done

    # -- read from the database -------------------------------------------------------

    async def stock(self, variant_id: str, location_id: str) -> Stock:
        with bind(tenant_id=TENANT):
            async with self.uow(writes=False) as uow:
                row = (
                    await uow.session.execute(
                        select(StockLevel.on_hand, StockLevel.reserved).where(
                            StockLevel.variant_id == variant_id,
                            StockLevel.location_id == location_id,
                        )
                    )
                ).first()
        return Stock(*row) if row else Stock(0, 0)

    async def ledger(self, variant_id: str, location_id: str) -> Stock:
        """The sums of the row's movements: what the ledger says the row holds."""
        with bind(tenant_id=TENANT):
            async with self.uow(writes=False) as uow:
                sums = (
                    await uow.session.execute(
                        select(
                            func.coalesce(func.sum(Movement.on_hand_delta), 0),
                            func.coalesce(func.sum(Movement.reserved_delta), 0),
                        ).where(
                            Movement.variant_id == variant_id,
                            Movement.location_id == location_id,
                        )
                    )
                ).one()
        return Stock(int(sums[0]), int(sums[1]))

    async def events(self, event_type: str) -> list[dict[str, Any]]:
        """Payloads of the events of a type in the outbox, in the order written."""
        async with self.uow(writes=False) as uow:
            rows = await uow.session.scalars(
                select(OutboxRecord)
                .where(OutboxRecord.type == event_type)
                .order_by(OutboxRecord.seq)
            )
            return [dict(r.payload) for r in rows]

    async def count(self, model: Any) -> int:
        with bind(tenant_id=TENANT):
            async with self.uow(writes=False) as uow:
                return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)

    async def footprint(self, *models: Any) -> tuple[int, ...]:
        """Row counts of the models and of the outbox: proof a refusal wrote nothing."""
        counts = [await self.count(model) for model in models]
        async with self.uow(writes=False) as uow:
            events = await uow.session.scalar(select(func.count()).select_from(OutboxRecord))
        return (*counts, int(events or 0))


@pytest.fixture
async def shop(settings: Settings) -> AsyncIterator[Shop]:
    # starts at the wall-clock time: access tokens are checked against it
    clock = ManualClock(datetime.now(UTC))
    async with store_for(settings, clock=clock, start=False) as (kernel, client):
        yield Shop(kernel, client, clock)
