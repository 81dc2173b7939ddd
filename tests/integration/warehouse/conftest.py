"""Fixtures and helpers of the warehouse agent's integration tests (SQLite and PostgreSQL).

`shop` is a whole store (every installed agent, no background work, a `ManualClock`): the
orders tests' `OrdersShop` (products and stock through the API, confirmed orders with their
reservations made as checkout makes them), plus the warehouse's routes called as the admin
and a few reads of the tables to prove what a refusal left untouched.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from mercato.agents.inventory import service as inventory
from mercato.agents.inventory.models import Movement
from mercato.agents.warehouse import models
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN
from tests.integration.orders.conftest import OrdersShop
from tests.support.store import store_for

TABLES = (
    models.Zone,
    models.Bin,
    models.BinStock,
    models.PurchaseOrder,
    models.GoodsReceipt,
    models.PickList,
    models.PickLine,
    models.Box,
    models.Packing,
    models.CycleCount,
    models.CycleCountLine,
    models.Task,
    Movement,
)


@dataclass
class WarehouseShop(OrdersShop):
    async def call(self, method: str, path: str, body: Any = None, **params: Any) -> httpx.Response:
        return await self.client.request(
            method, f"/v1/warehouse{path}", json=body, params=params or None, headers=ADMIN
        )

    async def ok(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        answer = await self.call(method, path, body, **params)
        assert answer.status_code in (200, 201), answer.text
        return answer.json()

    async def main_location(self) -> str:
        """The store's warehouse (made with the first stock)."""
        if self.location_id is None:
            await self.product(stock=1)
        assert self.location_id is not None
        return self.location_id

    async def zone(self, code: str, kind: str = "storage", sequence: int = 1) -> dict[str, Any]:
        location = await self.main_location()
        body = {
            "location_id": location,
            "code": code,
            "name": code,
            "kind": kind,
            "sequence": sequence,
        }
        return dict(await self.ok("POST", "/zones", body))

    async def bins(self, zone: dict[str, Any], *codes: str) -> dict[str, str]:
        """Bins of a zone; code → id."""
        made = {}
        for code in codes:
            made[code] = (await self.ok("POST", "/bins", {"zone_id": zone["id"], "code": code}))[
                "id"
            ]
        return made

    async def put(self, variant_id: str, bin_id: str, quantity: int) -> dict[str, Any]:
        body = {
            "location_id": await self.main_location(),
            "variant_id": variant_id,
            "quantity": quantity,
            "bin_id": bin_id,
        }
        return dict(await self.ok("POST", "/putaway", body))

    async def in_bin(self, bin_id: str) -> dict[str, int]:
        found = await self.ok("GET", "/bins", location_id=await self.main_location(), limit=200)
        [held] = [b for b in found["items"] if b["id"] == bin_id]
        return {c["variant_id"]: c["quantity"] for c in held["contents"]}

    async def footprint(self) -> tuple[int, ...]:
        """Rows of every warehouse table and of inventory's ledger: proof a refusal wrote
        nothing."""
        counts = []
        with bind(tenant_id="default"):
            async with self.kernel.uow(writes=False) as uow:
                for table in TABLES:
                    counts.append(
                        int(await uow.session.scalar(select(func.count()).select_from(table)) or 0)
                    )
        return tuple(counts)

    async def stock_of(self, variant_id: str) -> int:
        """Units on hand at the main location (inventory's)."""
        with bind(tenant_id="default"):
            async with self.kernel.uow(writes=False) as uow:
                found = await inventory.on_hand_at(
                    uow, location_id=await self.main_location(), variant_ids=[variant_id]
                )
        return found.get(variant_id, 0)

    async def movements(self, variant_id: str) -> list[Movement]:
        with bind(tenant_id="default"):
            async with self.kernel.uow(writes=False) as uow:
                return list(
                    await uow.session.scalars(
                        select(Movement)
                        .where(Movement.variant_id == variant_id)
                        .order_by(Movement.created_at, Movement.id)
                    )
                )


@pytest.fixture
async def shop(settings: Settings) -> AsyncIterator[WarehouseShop]:
    clock = ManualClock(datetime.now(UTC))  # now: tokens are checked by it too
    async with store_for(settings, clock=clock, start=False) as (kernel, client):
        yield WarehouseShop(kernel, client, clock)
