"""Fixtures and helpers of the search agent's tests (SQLite and PostgreSQL, through the
`settings` fixture): a whole store with its relay and handlers running, products made through
the catalog's API, and searches once every event has been handled."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from mercato.agents.search import meaning
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from tests.conftest import eventually
from tests.integration.catalog.conftest import ADMIN_HEADERS
from tests.support.store import settle, store_for

_skus = itertools.count(1)


@dataclass
class Shop:
    kernel: Kernel
    client: httpx.AsyncClient
    location_id: str | None = None

    async def product(
        self,
        name: str,
        *,
        price: str = "20.00",
        stock: int = 10,
        attributes: dict[str, str] | None = None,
        description: str = "",
        headers: dict[str, str] = ADMIN_HEADERS,
        **fields: Any,
    ) -> dict[str, Any]:
        """An active product with one variant, `stock` units of it on hand."""
        sku = f"SKU-{next(_skus)}"
        body = {
            "name": name,
            "description": description,
            "attributes": attributes or {},
            "variants": [{"sku": sku, "price": price}],
            **fields,
        }
        created = await self.client.post("/v1/products", json=body, headers=headers)
        assert created.status_code == 201, created.text
        if stock:
            await self.receive(sku, stock, headers)
        return dict(created.json())

    async def receive(
        self, sku: str, quantity: int, headers: dict[str, str] = ADMIN_HEADERS
    ) -> None:
        if self.location_id is None or headers is not ADMIN_HEADERS:
            location = await self.client.post(
                "/v1/inventory/locations",
                json={"code": f"WH-{next(_skus)}", "name": "Warehouse"},
                headers=headers,
            )
            assert location.status_code == 201, location.text
            if headers is not ADMIN_HEADERS:
                location_id = location.json()["id"]
            else:
                self.location_id = location_id = location.json()["id"]
        else:
            location_id = self.location_id
        received = await self.client.post(
            "/v1/inventory/receipts",
            json={"location_id": location_id, "lines": [{"sku": sku, "quantity": quantity}]},
            headers=headers,
        )
        assert received.status_code in (200, 201), received.text

    async def search(self, headers: dict[str, str] | None = None, **params: Any) -> dict[str, Any]:
        """`GET /v1/search` once every event so far has been handled and every document's
        meaning embedded."""
        await self.settle()
        answer = await self.client.get("/v1/search", params=params, headers=headers or {})
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    async def settle(self) -> None:
        await settle(self.kernel)

        async def embedded() -> bool:
            await meaning.embed_pending(self.kernel)
            return await meaning.pending(self.kernel) == 0

        if self.kernel.settings.search_semantic:
            await eventually(embedded)

    async def names(self, **params: Any) -> list[str]:
        return [hit["product"]["name"] for hit in (await self.search(**params))["items"]]


@pytest.fixture
async def shop(settings: Settings) -> AsyncIterator[Shop]:
    async with store_for(settings) as (kernel, client):
        yield Shop(kernel, client)
