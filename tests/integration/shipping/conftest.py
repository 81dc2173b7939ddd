"""Fixtures and helpers of the shipping agent's integration tests (SQLite and PostgreSQL).

`shop` is a whole store (every installed agent, the relay and the handlers running, so a
shipment's capture reaches payments) with its shipping set up the way an admin would: the
warehouse's ship-from address, a zone for the United States and a table carrier ("post",
Parcel Post) with a ground and a priority service; the local courier quotes as well. Orders
are made by a guest's checkout through the HTTP API. `easypost_shop` is the same with the
local EasyPost (tests/fakes/easypost_api.py) configured as a third carrier.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from mercato.agents.inventory.models import Movement, Reservation
from mercato.agents.payments.models import Payment
from mercato.agents.shipping import models
from mercato.agents.shipping.deps import ShippingDeps
from mercato.agents.shipping.providers.local import SIGNATURE_HEADER, sign
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.fakes.easypost_api import API_KEY, WEBHOOK_SECRET, FakeEasyPost
from tests.integration.cart.conftest import Product, Shop
from tests.integration.checkout.conftest import body, new_key
from tests.integration.identity.conftest import ADMIN
from tests.support.store import settle, store_for

WAREHOUSE = {
    "name": "Mercato East Warehouse",
    "line1": "400 Raymond Blvd",
    "city": "Newark",
    "region": "NJ",
    "postal_code": "07105",
    "country": "US",
}
TABLES = (
    models.Zone,
    models.RateTable,
    models.Origin,
    models.CarrierSetting,
    models.Quote,
    models.Shipment,
    models.ShipmentLine,
    models.TrackingEvent,
    Movement,
    Reservation,
)


@dataclass
class ShippingShop(Shop):
    fake: FakeEasyPost | None = None
    zone_id: str | None = field(default=None, init=False)

    async def call(
        self,
        method: str,
        path: str,
        json: Any = None,
        *,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> httpx.Response:
        return await self.client.request(
            method, f"/v1{path}", json=json, params=params or None, headers=headers or ADMIN
        )

    async def ok(self, method: str, path: str, json: Any = None, **more: Any) -> Any:
        answer = await self.call(method, path, json, **more)
        assert answer.status_code in (200, 201), answer.text
        return answer.json()

    async def set_up(self, *, free_over: str | None = None) -> None:
        """The warehouse's address, a US zone and Parcel Post's ground and priority tables."""
        if self.location_id is None:
            await self.product(stock=1)
        assert self.location_id is not None
        await self.ok("PUT", f"/shipping/origins/{self.location_id}", WAREHOUSE)
        zone = await self.ok(
            "POST", "/shipping/zones", {"code": "us", "name": "United States", "countries": ["US"]}
        )
        self.zone_id = zone["id"]
        await self.rate_table("post", "ground", ["5.90", "8.90"], days=(3, 6), free_over=free_over)
        await self.rate_table("post", "priority", ["11.90", "16.90"], days=(1, 3))

    async def rate_table(
        self,
        carrier: str,
        service: str,
        prices: list[str],
        *,
        days: tuple[int, int],
        free_over: str | None = None,
        carrier_name: str = "Parcel Post",
    ) -> dict[str, Any]:
        data = {
            "carrier": carrier,
            "carrier_name": carrier_name,
            "service": service,
            "service_name": service.title(),
            "zone_id": self.zone_id,
            "currency": "USD",
            "brackets": [
                {"up_to_grams": grams, "price": price}
                for grams, price in zip((2000, 10000), prices, strict=False)
            ],
            "per_kg_over": "1.50",
            "free_over": free_over,
            "days_min": days[0],
            "days_max": days[1],
        }
        return dict(await self.ok("POST", "/shipping/rate-tables", data))

    async def filled_cart(
        self, *items: tuple[Product, int], headers: dict[str, str] | None = None
    ) -> tuple[dict[str, Any], dict[str, str]]:
        headers = headers or await self.guest()
        cart = await self.cart(headers)
        for product, quantity in items:
            cart = await self.added(cart, headers, product.variant_id, quantity)
        return cart, headers

    async def check_out(self, cart: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        for _ in range(2):  # a loaded machine may stop a saga's step: once more, as a shopper would
            answer = await self.client.post(
                "/v1/checkout", json=body(cart), headers={**headers, "Idempotency-Key": new_key()}
            )
            if answer.status_code != 503:
                break
        assert answer.status_code == 201, answer.text
        placed = answer.json()["order"]
        assert placed["status"] == "confirmed"
        return await self.order(placed["id"])  # the order as GET /v1/orders/{id} shows it

    async def order_of(self, *items: tuple[Product, int]) -> tuple[dict[str, Any], dict[str, str]]:
        """A guest's confirmed order of `items` (made by checkout); (order, guest headers)."""
        cart, headers = await self.filled_cart(*items)
        return await self.check_out(cart, headers), headers

    async def ship_out(
        self, order_id: str, lines: dict[str, int] | None = None, **more: Any
    ) -> httpx.Response:
        data: dict[str, Any] = dict(more)
        if lines is not None:
            data["lines"] = [{"line_id": k, "quantity": v} for k, v in lines.items()]
        return await self.call("POST", f"/orders/{order_id}/shipments", data)

    async def shipment(
        self, order_id: str, lines: dict[str, int] | None = None, **more: Any
    ) -> Any:
        made = await self.ship_out(order_id, lines, **more)
        assert made.status_code == 201, made.text
        return made.json()

    async def payment(self, order_id: str) -> dict[str, Any]:
        await settle(self.kernel)
        found = await self.ok("GET", "/payments", order_id=order_id)
        [only] = found["items"]
        return dict(only)

    async def order(self, order_id: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        return dict(await self.ok("GET", f"/orders/{order_id}", headers=headers))

    async def footprint(self) -> tuple[int, ...]:
        """Rows of the shipping tables, inventory's ledger and reservations, and what
        payments captured: proof a refusal changed nothing."""
        await settle(self.kernel)
        counts = []
        with bind(tenant_id="default"):
            async with self.kernel.uow(writes=False) as uow:
                for table in TABLES:
                    counts.append(
                        int(await uow.session.scalar(select(func.count()).select_from(table)) or 0)
                    )
                captured = await uow.session.scalar(select(func.sum(Payment.captured_amount)))
        return (*counts, int((captured or 0) * 100))

    async def webhook(
        self, events: list[dict[str, Any]], *, secret: str | None = None
    ) -> httpx.Response:
        """The local courier's signed webhook carrying `events`."""
        raw = json.dumps({"events": events}).encode()
        key = secret or self.kernel.deps(ShippingDeps).secret
        signature = sign(key, raw, self.kernel.clock.now())
        return await self.client.post(
            "/v1/shipping/webhooks/local",
            content=raw,
            headers={SIGNATURE_HEADER: signature, "content-type": "application/json"},
        )

    async def status_of(self, shipment_id: str) -> str:
        return str((await self.ok("GET", f"/shipments/{shipment_id}"))["status"])


@pytest.fixture
async def shop(settings: Settings) -> AsyncIterator[ShippingShop]:
    async with store_for(settings) as (kernel, client):
        made = ShippingShop(kernel, client)
        await made.set_up()
        yield made


@pytest.fixture
def fake_easypost() -> Iterator[FakeEasyPost]:
    with FakeEasyPost().running() as server:
        yield server


def with_easypost(settings: Settings, fake: FakeEasyPost, **more: Any) -> Settings:
    return settings.model_copy(
        update={
            "shipping_carriers": "local,tables,easypost",
            "easypost_api_key": SecretStr(API_KEY),
            "easypost_webhook_secret": SecretStr(WEBHOOK_SECRET),
            "easypost_base_url": fake.url,
            "shipping_carrier_timeout": 0.5,
            **more,
        }
    )


@pytest.fixture
async def easypost_shop(
    settings: Settings, fake_easypost: FakeEasyPost
) -> AsyncIterator[ShippingShop]:
    async with store_for(with_easypost(settings, fake_easypost)) as (kernel, client):
        made = ShippingShop(kernel, client, fake=fake_easypost)
        await made.set_up()
        yield made
