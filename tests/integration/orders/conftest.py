"""Fixtures and helpers for the orders agent's integration tests (SQLite and PostgreSQL).

`orders_shop` is a whole store (every installed agent) with no background work and a
`ManualClock`: orders are made the way checkout makes them, through the services (a real
cart built over HTTP, `cart_service.validate`, `orders.place`, `inventory.reserve`, and
`orders.confirm`), and payment events are handed to the orders agent's handlers by the
kernel's dispatcher, as the bus would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from mercato.agents.cart import service as cart_service
from mercato.agents.inventory import service as inventory
from mercato.agents.orders import service as orders
from mercato.agents.orders.service import Address
from mercato.agents.payments import events as payment_events
from mercato.kernel.auth import Principal
from mercato.kernel.bus.dispatcher import Outcome
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.events import Envelope
from mercato.kernel.ids import new_id
from tests.integration.cart.conftest import Product, Shop
from tests.integration.identity.conftest import ADMIN
from tests.support.store import store_for

ADDRESS = Address(
    name="Casey Customer",
    line1="1 Market St",
    city="Springfield",
    postal_code="12345",
    country="US",
)


@dataclass
class Placed:
    id: str
    number: str
    headers: dict[str, str]
    owner: Principal
    cart: dict[str, Any]


@dataclass
class OrdersShop(Shop):
    """The cart tests' `Shop`, plus orders made the way checkout makes them."""

    async def owner(self, cart: dict[str, Any]) -> Principal:
        [made] = [e for e in await self.events("cart.created") if e["cart_id"] == cart["id"]]
        if made["user_id"]:
            return Principal(
                id=made["user_id"], tenant_id="default", kind="user", roles=frozenset({"customer"})
            )
        return Principal(
            id=made["session_id"],
            tenant_id="default",
            kind="guest",
            roles=frozenset({"guest"}),
            session_id=made["session_id"],
        )

    async def merchant_product(self, merchant_id: str, price: str = "10.00") -> Product:
        serial = new_id()[-8:]
        created = await self.client.post(
            "/v1/products",
            json={
                "name": f"Merchant product {serial}",
                "status": "active",
                "merchant_id": merchant_id,
                "variants": [{"sku": f"M-{serial}", "price": price, "attributes": {}}],
            },
            headers=ADMIN,
        )
        assert created.status_code == 201, created.text
        body = created.json()
        product = Product(
            body["id"], [v["id"] for v in body["variants"]], [body["variants"][0]["sku"]]
        )
        await self.stock(product.sku, 50)
        return product

    async def view(self, cart: dict[str, Any], owner: Principal) -> cart_service.CartView:
        with bind(tenant_id="default"):
            async with self.kernel.uow() as uow:
                view = await cart_service.validate(
                    uow, cart_id=cart["id"], now=self.now(), principal=owner
                )
                await uow.commit()
        return view

    def now(self) -> datetime:
        assert self.clock is not None
        return self.clock.now()

    async def order(
        self,
        lines: list[tuple[str, int]],
        *,
        headers: dict[str, str] | None = None,
        shipping_address: Address | None = ADDRESS,
        confirm: bool = True,
        placed_at: datetime | None = None,
    ) -> Placed:
        """A cart with `lines` (variant, quantity) placed as an order whose lines are
        reserved, and confirmed unless told not to."""
        headers = headers or await self.customer()
        cart = await self.cart(headers)
        for variant_id, quantity in lines:
            cart = await self.added(cart, headers, variant_id, quantity)
        owner = await self.owner(cart)
        view = await self.view(cart, owner)
        order_id = new_id()
        with bind(tenant_id="default"):
            async with self.kernel.uow() as uow:
                info = await orders.place(
                    uow,
                    order_id=order_id,
                    checkout_id=new_id(),
                    cart=view,
                    customer_id=owner.id if owner.kind == "user" else None,
                    session_id=owner.session_id if owner.kind == "guest" else None,
                    email="casey@example.com",
                    shipping_address=shipping_address,
                    billing_address=shipping_address,
                    placed_at=placed_at or self.now(),
                )
                await inventory.reserve(
                    uow,
                    reference=order_id,
                    lines=[(line.variant_id, line.quantity) for line in info.lines],
                    now=self.now(),
                )
                if confirm:  # as checkout does once its payment is authorized
                    await orders.confirm(
                        uow, order_id=order_id, now=self.now(), payment_status="authorized"
                    )
                await uow.commit()
        return Placed(order_id, info.number, headers, owner, cart)

    async def read(self, order_id: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        answer = await self.client.get(f"/v1/orders/{order_id}", headers=headers or ADMIN)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    async def available(self, variant_id: str) -> int:
        with bind(tenant_id="default"):
            async with self.kernel.uow(writes=False) as uow:
                return (await inventory.available(uow, [variant_id])).get(variant_id, 0)

    async def payment_event(self, event: payment_events.PaymentEvent) -> str:
        """Hand a payment event to the orders agent's handler of its type."""
        envelope = Envelope.wrap(
            event, aggregate_id=event.order_id, tenant_id="default", clock=self.clock
        )
        [sub] = [
            s
            for s in self.kernel.registry.subscriptions(["orders"])
            if s.event_type == envelope.type
        ]
        outcome = await self.kernel.dispatcher.dispatch(envelope, sub)
        assert outcome is not Outcome.DEAD_LETTERED
        return outcome.value

    async def order_events(self, event_type: str, order_id: str) -> list[dict[str, Any]]:
        async with self.kernel.uow(writes=False) as uow:
            rows = await uow.session.scalars(
                select(OutboxRecord)
                .where(OutboxRecord.type == event_type, OutboxRecord.aggregate_id == order_id)
                .order_by(OutboxRecord.seq)
            )
            return [r.payload for r in rows]


def payment(order_id: str, kind: type[payment_events.PaymentEvent], **more: Any) -> Any:
    """A payment event of `kind` for the order."""
    base: dict[str, Any] = {
        "order_id": order_id,
        "payment_id": more.pop("payment_id", "pay-1"),
        "provider": "sandbox",
        "amount": more.pop("amount", "25.00"),
        "currency": "USD",
        "status": more.pop("status", "authorized"),
    }
    return kind(**base, **more)


@pytest.fixture
async def shop(settings: Settings) -> AsyncIterator[OrdersShop]:
    clock = ManualClock(datetime.now(UTC))  # now, not at import: tokens are checked by it too
    async with store_for(settings, clock=clock, start=False) as (kernel, client):
        yield OrdersShop(kernel, client, clock)
