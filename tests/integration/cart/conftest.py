"""Fixtures and helpers for the cart agent's integration tests.

Fixtures (each on SQLite and PostgreSQL, through the `settings` fixture):

- `shop`: a whole store (every installed agent, relay and handlers running) and helpers to
  stock it and shop in it, all through the HTTP API (`Shop`).
- `quiet_shop`: the same with no background work (no relay, no jobs): for tests that drive
  time with a `ManualClock` (`shop.clock`) and run the abandonment sweep themselves.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from mercato.agents.cart import service as cart_service
from mercato.agents.cart.schemas import cart_out
from mercato.agents.inventory import service as inventory
from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.bus.outbox import to_envelope
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN, guest_headers, sign_up
from tests.support.store import settle, store_for

_serial = itertools.count(1)


@dataclass(frozen=True)
class Product:
    id: str
    variant_ids: list[str]
    skus: list[str]

    @property
    def variant_id(self) -> str:
        return self.variant_ids[0]

    @property
    def sku(self) -> str:
        return self.skus[0]


@dataclass
class Shop:
    """A store seen through its API: the admin stocks it, shoppers shop in it."""

    kernel: Kernel
    client: httpx.AsyncClient
    clock: ManualClock | None = None
    location_id: str | None = field(default=None, init=False)

    # -- the catalog and stock (as the admin) ---------------------------------------------

    async def product(
        self,
        price: str = "10.00",
        *,
        stock: int | None = 50,
        variants: int = 1,
        is_free: bool = False,
        requires_shipping: bool = True,
        status: str = "active",
        name: str | None = None,
        currency: str | None = None,
    ) -> Product:
        """A product with `variants` variants at `price`, each with `stock` units on hand
        (sold in `currency`, by default the store's)."""
        serial = next(_serial)
        body: dict[str, Any] = {
            "name": name or f"Product {serial}",
            "status": status,
            **({"currency": currency} if currency else {}),
            "is_free": is_free,
            "requires_shipping": requires_shipping,
            "variants": [
                {"sku": f"SKU-{serial}-{n}", "price": "0" if is_free else price, "attributes": {}}
                for n in range(variants)
            ],
        }
        created = await self.client.post("/v1/products", json=body, headers=ADMIN)
        assert created.status_code == 201, created.text
        product = created.json()
        made = Product(
            id=product["id"],
            variant_ids=[v["id"] for v in product["variants"]],
            skus=[v["sku"] for v in product["variants"]],
        )
        if stock:
            for sku in made.skus:
                await self.stock(sku, stock)
        return made

    async def stock(self, sku: str, delta: int) -> None:
        """Receive (or, negative, write off) units of `sku` at the store's warehouse."""
        if self.location_id is None:
            location = await self.client.post(
                "/v1/inventory/locations",
                json={"code": "MAIN", "name": "Main warehouse", "kind": "warehouse"},
                headers=ADMIN,
            )
            assert location.status_code == 201, location.text
            self.location_id = location.json()["id"]
        reason = "received" if delta > 0 else "damaged"
        adjusted = await self.client.post(
            "/v1/inventory/adjustments",
            json={"sku": sku, "location_id": self.location_id, "delta": delta, "reason": reason},
            headers=ADMIN,
        )
        assert adjusted.status_code == 201, adjusted.text
        if self.kernel.relaying:
            # A running store reacts to the stock (the catalog's availability, and the event
            # it publishes when a product comes into stock): let it finish before the test
            # counts what a refused request left untouched.
            await settle(self.kernel)

    async def stock_many(self, skus: list[str], quantity: int) -> None:
        """Receive `quantity` of each SKU in one unit of work (through the inventory agent's
        service): test data for carts of many lines, made fast."""
        await self.stock(skus[0], quantity)  # makes the warehouse
        assert self.location_id is not None
        with bind(tenant_id="default"):
            async with self.kernel.uow() as uow:
                for sku in skus[1:]:
                    await inventory.adjust(
                        uow,
                        sku=sku,
                        location_id=self.location_id,
                        delta=quantity,
                        reason="received",
                        now=self.kernel.clock.now(),
                    )
                await uow.commit()

    async def fill(self, cart: dict[str, Any], variant_ids: list[str]) -> dict[str, Any]:
        """Add one of each variant to the cart in one unit of work (through the cart's own
        service, as its owner); the cart after, as the API answers it."""
        [created] = [e for e in await self.events("cart.created") if e["cart_id"] == cart["id"]]
        owner = (
            Principal(id=created["user_id"], tenant_id="default", kind="user")
            if created["user_id"]
            else Principal(
                id=created["session_id"],
                tenant_id="default",
                kind="guest",
                roles=frozenset({"guest"}),
                session_id=created["session_id"],
            )
        )
        with bind(tenant_id="default"):
            async with self.kernel.uow() as uow:
                for variant_id in variant_ids:
                    view = await cart_service.add_item(
                        uow,
                        cart_id=cart["id"],
                        shopper=cart_service.Shopper(owner),
                        variant_id=variant_id,
                        quantity=1,
                        now=self.kernel.clock.now(),
                    )
                await uow.commit()
        return cart_out(view).model_dump(mode="json")

    async def set_price(self, product: Product, price: str, *, variant: int = 0) -> None:
        changed = await self.client.patch(
            f"/v1/products/{product.id}/variants/{product.variant_ids[variant]}",
            json={"price": price},
            headers=ADMIN,
        )
        assert changed.status_code == 200, changed.text

    async def archive(self, product: Product) -> None:
        archived = await self.client.delete(f"/v1/products/{product.id}", headers=ADMIN)
        assert archived.status_code in {200, 204}, archived.text

    async def code(
        self, code: str, kind: str = "percent", value: str = "10", **more: Any
    ) -> dict[str, Any]:
        created = await self.client.post(
            "/v1/discount-codes",
            json={"code": code, "kind": kind, "value": value, **more},
            headers=ADMIN,
        )
        assert created.status_code == 201, created.text
        body: dict[str, Any] = created.json()
        return body

    async def switch_currency(self, currency: str, **more: Any) -> None:
        """The admin moves the store's cart settings to `currency` (carts already open keep
        theirs); `more` changes other settings too."""
        settings = (await self.client.get("/v1/cart-settings")).json()
        changed = await self.client.put(
            "/v1/cart-settings", json={**settings, "currency": currency, **more}, headers=ADMIN
        )
        assert changed.status_code == 200, changed.text

    async def tax_rates(self, *rates: dict[str, Any]) -> None:
        put = await self.client.put("/v1/tax-rates", json=list(rates), headers=ADMIN)
        assert put.status_code == 200, put.text

    # -- shoppers ---------------------------------------------------------------------------

    async def guest(self) -> dict[str, str]:
        return await guest_headers(self.client)

    async def customer(self) -> dict[str, str]:
        return (await sign_up(self.client)).headers

    async def cart(self, headers: dict[str, str]) -> dict[str, Any]:
        opened = await self.client.post("/v1/carts", headers=headers)
        assert opened.status_code in {200, 201}, opened.text
        body: dict[str, Any] = opened.json()
        return body

    async def add(
        self,
        cart: dict[str, Any],
        headers: dict[str, str],
        variant_id: str,
        quantity: int = 1,
        *,
        if_match: int | None = None,
    ) -> httpx.Response:
        extra = {"if-match": f'"{if_match}"'} if if_match is not None else {}
        return await self.client.post(
            f"/v1/carts/{cart['id']}/items",
            json={"variant_id": variant_id, "quantity": quantity},
            headers={**headers, **extra},
        )

    async def added(
        self, cart: dict[str, Any], headers: dict[str, str], variant_id: str, quantity: int = 1
    ) -> dict[str, Any]:
        """Add and insist it worked; the cart after."""
        answer = await self.add(cart, headers, variant_id, quantity)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    async def get(self, cart: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        answer = await self.client.get(f"/v1/carts/{cart['id']}", headers=headers)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    async def validate(self, cart: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        answer = await self.client.post(f"/v1/carts/{cart['id']}/validate", headers=headers)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    # -- what happened ------------------------------------------------------------------------

    async def events(self, event_type: str) -> list[dict[str, Any]]:
        async with self.kernel.uow(writes=False) as uow:
            rows = await uow.session.scalars(
                select(OutboxRecord)
                .where(OutboxRecord.type == event_type)
                .order_by(OutboxRecord.seq)
            )
            return [r.payload for r in rows]

    async def redeliver(self, event_type: str, handler: str) -> str:
        """Hand the last event of `event_type` to `handler` again, as a broker redelivering
        it would after a lost acknowledgement (its inbox record set aside)."""
        async with self.kernel.uow(writes=False) as uow:
            record = await uow.session.scalar(
                select(OutboxRecord)
                .where(OutboxRecord.type == event_type)
                .order_by(OutboxRecord.seq.desc())
                .limit(1)
            )
        assert record is not None
        subscription = self.kernel.registry.subscription(handler)
        outcome = await self.kernel.dispatcher.dispatch(
            to_envelope(record), subscription, replay=True
        )
        return outcome.value

    async def event_count(self) -> int:
        async with self.kernel.uow(writes=False) as uow:
            return int(
                await uow.session.scalar(select(func.count()).select_from(OutboxRecord)) or 0
            )

    async def snapshot(self, cart: dict[str, Any], headers: dict[str, str]) -> tuple[Any, ...]:
        """What a refused request must leave as it was: the cart's version, code and lines,
        and the number of events ever written."""
        now = await self.get(cart, headers)
        lines = sorted((i["variant_id"], i["quantity"], i["price_at_add"]) for i in now["items"])
        return now["version"], now["discount_code"], lines, await self.event_count()


def codes_of(body: dict[str, Any]) -> list[str]:
    """The problem codes of a cart answer (or of a validation's answer)."""
    return [p["code"] for p in body["problems"]]


@pytest.fixture
async def shop(settings: Settings) -> AsyncIterator[Shop]:
    async with store_for(settings) as (kernel, client):
        yield Shop(kernel, client)


@pytest.fixture
async def quiet_shop(settings: Settings) -> AsyncIterator[Shop]:
    """No relay, handlers or jobs; time moves only when the test moves `shop.clock`."""
    clock = ManualClock(datetime.now(UTC))
    async with store_for(settings, clock=clock, start=False) as (kernel, client):
        yield Shop(kernel, client, clock)
