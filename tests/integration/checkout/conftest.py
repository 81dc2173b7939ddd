"""Fixtures for checkout's integration tests: a whole store (the cart tests' `Shop`) with
a `Checkout` helper that fills carts and checks them out through the HTTP API, on SQLite
and PostgreSQL (the `settings` fixture)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from mercato.agents.orders.models import Order
from mercato.agents.payments.models import Payment
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from tests.integration.cart.conftest import Product, Shop
from tests.support.store import store_for

GOOD = "4242 4242 4242 4242"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
FRAUD = "4100000000000019"
LOST_ANSWER = "4000000000000119"
GATEWAY_DOWN = "4000000000005126"

ADDRESS = {
    "name": "Ana Lima",
    "line1": "1 Main St",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
}
_keys = itertools.count(1)


def card(number: str = GOOD, **more: Any) -> dict[str, Any]:
    return {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123", **more}


def body(cart: dict[str, Any], number: str = GOOD, **more: Any) -> dict[str, Any]:
    return {
        "cart_id": cart["id"],
        "email": "ana@example.com",
        "shipping_address": ADDRESS,
        "billing_address": ADDRESS,
        "payment": {"provider": "sandbox", "card": card(number)},
        **more,
    }


def new_key() -> str:
    return f"key-{next(_keys)}-{uuid.uuid4().hex[:8]}"


@dataclass
class Checkout:
    shop: Shop

    @property
    def client(self) -> httpx.AsyncClient:
        return self.shop.client

    async def filled_cart(
        self, *items: tuple[Product, int], headers: dict[str, str] | None = None
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """A guest's (or `headers`' shopper's) cart holding `items`; (cart, headers)."""
        headers = headers or await self.shop.guest()
        cart = await self.shop.cart(headers)
        for product, quantity in items:
            cart = await self.shop.added(cart, headers, product.variant_id, quantity)
        return cart, headers

    async def post(
        self,
        cart: dict[str, Any],
        headers: dict[str, str],
        number: str = GOOD,
        *,
        key: str | None = None,
        **more: Any,
    ) -> httpx.Response:
        return await self.client.post(
            "/v1/checkout",
            json=body(cart, number, **more),
            headers={**headers, "Idempotency-Key": key or new_key()},
        )

    async def orders(self) -> list[Order]:
        async with self.shop.kernel.uow(writes=False) as uow:
            return list(
                await uow.session.scalars(select(Order).execution_options(all_tenants=True))
            )

    async def payments(self) -> list[Payment]:
        async with self.shop.kernel.uow(writes=False) as uow:
            return list(
                await uow.session.scalars(select(Payment).execution_options(all_tenants=True))
            )

    async def count(self, model: Any) -> int:
        async with self.shop.kernel.uow(writes=False) as uow:
            found = await uow.session.scalar(
                select(func.count()).select_from(model).execution_options(all_tenants=True)
            )
            return int(found or 0)

    async def level(self, product: Product) -> dict[str, Any]:
        """The product's stock at the warehouse (on hand, reserved, available)."""
        answer = await self.client.get(
            f"/v1/inventory/levels?variant_id={product.variant_id}",
            headers={"authorization": self.shop_admin},
        )
        assert answer.status_code == 200, answer.text
        [row] = answer.json()["items"]
        return dict(row)

    @property
    def shop_admin(self) -> str:
        from tests.integration.identity.conftest import ADMIN

        return ADMIN["authorization"]


@pytest.fixture
async def checkout(settings: Settings) -> AsyncIterator[Checkout]:
    async with store_for(settings) as (kernel, client):
        yield Checkout(Shop(kernel, client))


@pytest.fixture
async def quiet_checkout(settings: Settings) -> AsyncIterator[Checkout]:
    """No relay, handlers or jobs; a `ManualClock` at `shop.clock`."""
    clock = ManualClock(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    async with store_for(settings, clock=clock, start=False) as (kernel, client):
        yield Checkout(Shop(kernel, client, clock))
