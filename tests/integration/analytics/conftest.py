"""Fixtures and helpers of the analytics agent's tests (SQLite and PostgreSQL, through the
`settings` fixture).

- `store`: a whole store with its relay and handlers running (analytics' read models follow
  the events), payments captured at authorization (so orders can be refunded at once), and
  the dashboards' stream pushing at most every 0.2 s.

`Store` shops through the HTTP API as the smoke checks do: products (of a merchant, in a
category), guests' checkouts with the sandbox card, cancellations and refunds by the admin;
then `settled()` waits until every event was handled, and `report()` asks a report."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from mercato.agents.analytics.models import FACTS
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.cart.conftest import Product, Shop
from tests.integration.checkout.conftest import body, new_key
from tests.integration.identity.conftest import ADMIN, guest_headers, sign_up
from tests.support.store import settle, store_for

_serial = itertools.count(1)


def today() -> str:
    return datetime.now(UTC).date().isoformat()


@dataclass
class Store:
    kernel: Kernel
    client: httpx.AsyncClient
    shop: Shop = field(init=False)
    """The cart tests' helpers (stock at one warehouse, carts), on the same store."""

    def __post_init__(self) -> None:
        self.shop = Shop(self.kernel, self.client)

    # -- the catalog (as the admin) ----------------------------------------------------------

    async def category(self, name: str) -> str:
        made = await self.client.post("/v1/categories", json={"name": name}, headers=ADMIN)
        assert made.status_code == 201, made.text
        return str(made.json()["id"])

    async def product(
        self,
        price: str = "10.00",
        *,
        merchant_id: str | None = None,
        category_id: str | None = None,
        stock: int = 100,
        currency: str | None = None,
    ) -> Product:
        serial = next(_serial)
        created = await self.client.post(
            "/v1/products",
            json={
                "name": f"Analytics product {serial}",
                "status": "active",
                "merchant_id": merchant_id,
                "category_id": category_id,
                **({"currency": currency} if currency else {}),
                "variants": [{"sku": f"AN-{serial}", "price": price, "attributes": {}}],
            },
            headers=ADMIN,
        )
        assert created.status_code == 201, created.text
        answer = created.json()
        product = Product(answer["id"], [v["id"] for v in answer["variants"]], [f"AN-{serial}"])
        await self.shop.stock(product.sku, stock)
        return product

    # -- shoppers ------------------------------------------------------------------------

    async def order(
        self, *items: tuple[Product, int], headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """A guest's (or `headers`' shopper's) checkout of `items` with the sandbox card:
        the order (confirmed) and its payment (captured)."""
        headers = headers or await guest_headers(self.client)
        cart = await self.shop.cart(headers)
        for product, quantity in items:
            cart = await self.shop.added(cart, headers, product.variant_id, quantity)
        answer = await self.client.post(
            "/v1/checkout", json=body(cart), headers={**headers, "Idempotency-Key": new_key()}
        )
        assert answer.status_code == 201, answer.text
        placed: dict[str, Any] = answer.json()
        return placed

    async def cancel(self, placed: dict[str, Any]) -> None:
        answer = await self.client.post(
            f"/v1/orders/{placed['order']['id']}/cancel", json={}, headers=ADMIN
        )
        assert answer.status_code == 200, answer.text

    async def refund(self, placed: dict[str, Any], amount: str) -> httpx.Response:
        return await self.client.post(
            f"/v1/payments/{placed['payment']['id']}/refunds",
            json={"amount": amount},
            headers={**ADMIN, "Idempotency-Key": new_key()},
        )

    async def merchant(self, merchant_id: str) -> dict[str, str]:
        return (await sign_up(self.client, "merchant", merchant_id=merchant_id)).headers

    async def settled(self) -> None:
        await settle(self.kernel)

    # -- reports -------------------------------------------------------------------------

    async def ask(
        self, name: str, who: dict[str, str] | None = None, **params: Any
    ) -> httpx.Response:
        return await self.client.get(f"/v1/analytics/{name}", params=params, headers=who or ADMIN)

    async def report(
        self, name: str, who: dict[str, str] | None = None, **params: Any
    ) -> dict[str, Any]:
        answer = await self.ask(name, who, **params)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    # -- what a refused request must leave as it was ---------------------------------------

    async def snapshot(self) -> tuple[int, ...]:
        """Rows of every read model and events ever written."""
        counts = []
        with bind(tenant_id="default"):
            async with self.kernel.uow(writes=False) as uow:
                for model in FACTS:
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


def store_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"capture_mode": "immediate", "analytics_kpi_interval": 0.2})


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Store]:
    async with store_for(store_settings(settings)) as (kernel, client):
        yield Store(kernel, client)
