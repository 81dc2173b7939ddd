"""Fixtures and helpers of the pricing part's tests (SQLite, and PostgreSQL through the
`settings` fixture): a whole store with its relay and handlers running (the catalog's price
events reach the pricing part), and `Pricing`, which drives it through the HTTP API as a
merchant or the admin would."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from mercato.agents.intelligence.pricing.models import (
    Alert,
    CategoryFloor,
    Cost,
    Observation,
    StorePrice,
    Suggestion,
)
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN, sign_up
from tests.support.store import settle, store_for

_serial = itertools.count(1)


@dataclass
class Pricing:
    kernel: Kernel
    client: httpx.AsyncClient

    async def category(self, name: str) -> str:
        made = await self.client.post("/v1/categories", json={"name": name}, headers=ADMIN)
        assert made.status_code == 201, made.text
        return str(made.json()["id"])

    async def product(
        self,
        *prices: str,
        merchant_id: str | None = None,
        category_id: str | None = None,
        compare_at: str | None = None,
    ) -> dict[str, Any]:
        """An active product with a variant at each price (the admin's)."""
        serial = next(_serial)
        made = await self.client.post(
            "/v1/products",
            json={
                "name": f"Priced product {serial}",
                "status": "active",
                "merchant_id": merchant_id,
                "category_id": category_id,
                "variants": [
                    {
                        "sku": f"PR-{serial}-{n}",
                        "price": price,
                        "compare_at_price": compare_at,
                        "attributes": {"n": str(n)},
                    }
                    for n, price in enumerate(prices or ("30.00",))
                ],
            },
            headers=ADMIN,
        )
        assert made.status_code == 201, made.text
        found: dict[str, Any] = made.json()
        return found

    async def catalogue_prices(self, product_id: str) -> list[str]:
        answer = await self.client.get(f"/v1/products/{product_id}", headers=ADMIN)
        assert answer.status_code == 200, answer.text
        return [v["price"] for v in answer.json()["variants"]]

    async def observe(
        self, product_id: str, *offers: tuple[str, str], currency: str = "USD", **extra: Any
    ) -> httpx.Response:
        """Each (competitor, price) as an observation of now, fully confident."""
        return await self.client.post(
            "/v1/intelligence/pricing/observations",
            json={
                "items": [
                    {
                        "product_id": product_id,
                        "competitor": competitor,
                        "url": f"https://{competitor}.example/p/{product_id}",
                        "price": price,
                        "currency": currency,
                        "match_confidence": 1.0,
                        **extra,
                    }
                    for competitor, price in offers
                ]
            },
            headers=ADMIN,
        )

    async def pricing(
        self, product_id: str, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return await self.client.get(
            "/v1/intelligence/pricing", params={"product_id": product_id}, headers=headers or ADMIN
        )

    async def analysis(self, product_id: str) -> dict[str, Any]:
        answer = await self.pricing(product_id)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    async def cost(
        self, product_id: str, headers: dict[str, str] | None = None, **body: Any
    ) -> httpx.Response:
        return await self.client.put(
            f"/v1/intelligence/pricing/costs/{product_id}", json=body, headers=headers or ADMIN
        )

    async def accept(
        self, suggestion_id: str, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return await self.client.post(
            f"/v1/intelligence/pricing/suggestions/{suggestion_id}/accept",
            headers=headers or ADMIN,
        )

    async def merchant(self, merchant_id: str) -> dict[str, str]:
        return (await sign_up(self.client, "merchant", merchant_id=merchant_id)).headers

    async def settled(self) -> None:
        await settle(self.kernel)

    async def snapshot(self) -> tuple[int, ...]:
        """Rows of each pricing table, events ever written, and the suggestions' states:
        what a refusal leaves alone."""
        counts = []
        with bind(tenant_id="default"):
            async with self.kernel.uow(writes=False) as uow:
                for model in (Observation, StorePrice, Alert, Cost, CategoryFloor, Suggestion):
                    counts.append(
                        int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)
                    )
                counts.append(
                    int(
                        await uow.session.scalar(select(func.count()).select_from(OutboxRecord))
                        or 0
                    )
                )
        return tuple(counts)

    async def events(self, event_type: str) -> list[dict[str, Any]]:
        with bind(tenant_id="default"):
            async with self.kernel.uow(writes=False) as uow:
                rows = await uow.session.scalars(
                    select(OutboxRecord).where(OutboxRecord.type == event_type)
                )
                return [dict(row.payload) for row in rows]


@pytest.fixture
async def pricing(settings: Settings) -> AsyncIterator[Pricing]:
    async with store_for(settings) as (kernel, client):
        yield Pricing(kernel, client)
