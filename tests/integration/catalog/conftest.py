"""Fixtures and helpers of the catalog's integration tests.

Fixtures (on each backend of the `settings` fixture, SQLite and PostgreSQL):

- `store`: a whole store (every installed agent, relay and handlers running): the kernel
  and an HTTP client on its app.

Helpers: `ADMIN_HEADERS` (the bootstrap admin of the default store), `product_body()` (a
valid `POST /v1/products` body), `create_product()`, `create_category()`, `counts()`
(rows and events of the default store: proof that a refusal wrote nothing),
`event_payloads()`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from mercato.agents.catalog.models import AttributeValue, Category, Product, Variant
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN, in_store
from tests.support.store import store_for

TENANT = "default"
ADMIN_HEADERS = in_store(TENANT, ADMIN)


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[tuple[Kernel, httpx.AsyncClient]]:
    async with store_for(settings) as (kernel, client):
        yield kernel, client


def product_body(
    name: str = "Classic Tee",
    *,
    skus: tuple[str, ...] = ("TEE-1",),
    price: str = "19.99",
    **fields: Any,
) -> dict[str, Any]:
    """A valid product body: one variant per SKU, all at `price`."""
    variants = [{"sku": sku, "price": price} for sku in skus]
    return {"name": name, "variants": variants, **fields}


async def create_product(
    client: httpx.AsyncClient, body: dict[str, Any], headers: dict[str, str] = ADMIN_HEADERS
) -> dict[str, Any]:
    answer = await client.post("/v1/products", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def create_category(
    client: httpx.AsyncClient, name: str, parent_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    answer = await client.post(
        "/v1/categories",
        json={"name": name, "parent_id": parent_id, **fields},
        headers=ADMIN_HEADERS,
    )
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


@dataclass(frozen=True)
class Counts:
    products: int
    variants: int
    categories: int
    attribute_values: int
    events: int


async def counts(kernel: Kernel) -> Counts:
    """Rows of the catalog's tables and events in the outbox, in the default store."""
    with bind(tenant_id=TENANT):
        async with kernel.uow(writes=False) as uow:

            async def count(model: type[Any]) -> int:
                return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)

            return Counts(
                products=await count(Product),
                variants=await count(Variant),
                categories=await count(Category),
                attribute_values=await count(AttributeValue),
                events=await count(OutboxRecord),
            )


async def event_payloads(kernel: Kernel, event_type: str) -> list[dict[str, Any]]:
    """Payloads of the outbox's events of a type, oldest first."""
    async with kernel.uow(writes=False) as uow:
        rows = await uow.session.scalars(
            select(OutboxRecord).where(OutboxRecord.type == event_type).order_by(OutboxRecord.seq)
        )
        return [dict(r.payload) for r in rows]
