"""Fixtures and helpers of the returns agent's integration tests (SQLite and PostgreSQL).

`shop` is a whole store (every installed agent, the relay and the handlers running, so a
shipment's capture reaches payments) with its shipping set up as the shipping tests set it
up (a ship-from address, a US zone, table rates) and a restocking fee, driven by a
`ManualClock` made when the fixture runs: a test moves time to put a return inside or
outside its window. Orders are made by a checkout through the HTTP API (a guest's, or a
signed-in customer's), shipped and delivered through the shipments API, and returned
through the returns API as staff (the admin key) or the shopper.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from mercato.agents.inventory.models import Movement, StockLevel
from mercato.agents.payments import service as payments
from mercato.agents.payments.providers.sandbox import SandboxProvider
from mercato.agents.returns.models import CreditAccount, CreditEntry, Return, ReturnLine
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.cart.conftest import Product
from tests.integration.checkout.conftest import body, card, new_key
from tests.integration.identity.conftest import ADMIN
from tests.integration.shipping.conftest import ShippingShop
from tests.support.store import settle, store_for

CENT = Decimal("0.01")
RESTOCKING_FEE = Decimal(10)
"""The store in these tests takes 10 % of an opened item's price back (BR010)."""
DAMAGED_REFUND = Decimal(40)
"""…and refunds 40 % of a damaged one's."""


@dataclass
class ReturnsShop(ShippingShop):
    @property
    def manual(self) -> ManualClock:
        assert self.clock is not None
        return self.clock

    def advance(self, days: float) -> None:
        self.manual.advance(days=days)

    @property
    def sandbox(self) -> SandboxProvider:
        provider = payments.gateways(self.kernel.uow()).get("sandbox")
        assert isinstance(provider, SandboxProvider)
        return provider

    # -- orders -----------------------------------------------------------------------------

    async def checked_out(
        self,
        *items: tuple[Product, int],
        headers: dict[str, str] | None = None,
        code: str | None = None,
        exp: tuple[int, int] | None = None,
        email: str = "ana@example.com",
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """A confirmed order of `items` (a guest's unless `headers`), with a discount `code`
        applied and a card expiring `exp` (month, year) if given; (order, headers)."""
        cart, headers = await self.filled_cart(*items, headers=headers)
        if code is not None:
            applied = await self.client.post(
                f"/v1/carts/{cart['id']}/codes", json={"code": code}, headers=headers
            )
            assert applied.status_code == 200, applied.text
        data = body(cart, email=email)
        if exp is not None:
            data["payment"]["card"] = card(exp_month=exp[0], exp_year=exp[1])
        answer = await self.client.post(
            "/v1/checkout", json=data, headers={**headers, "Idempotency-Key": new_key()}
        )
        assert answer.status_code == 201, answer.text
        return await self.order(answer.json()["order"]["id"]), headers

    async def ship(self, order_id: str, lines: dict[str, int] | None = None) -> str:
        """A shipment of `lines` (all that is left when None), shipped; its id."""
        made = await self.shipment(order_id, lines)
        tracking = made.get("tracking_number") or f"TRK{made['id'][-12:].replace('-', '')}"
        shipped = await self.call(
            "POST", f"/shipments/{made['id']}/ship", {"tracking_number": tracking}
        )
        assert shipped.status_code == 200, shipped.text
        return str(made["id"])

    async def deliver(self, shipment_id: str) -> None:
        done = await self.call("POST", f"/shipments/{shipment_id}/deliver")
        assert done.status_code == 200, done.text
        await settle(self.kernel)

    async def delivered(
        self, *items: tuple[Product, int], **more: Any
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """A confirmed order of `items`, shipped in one shipment and delivered now."""
        order, headers = await self.checked_out(*items, **more)
        await self.deliver(await self.ship(order["id"]))
        return await self.order(order["id"]), headers

    # -- returns ----------------------------------------------------------------------------

    async def ask(
        self,
        order_id: str,
        units: dict[str, int],
        *,
        headers: dict[str, str] | None = None,
        reason: str = "changed_mind",
        **more: Any,
    ) -> httpx.Response:
        data = {
            "lines": [{"line_id": k, "quantity": v, "reason": reason} for k, v in units.items()],
            **more,
        }
        return await self.client.post(
            f"/v1/orders/{order_id}/returns", json=data, headers=headers or ADMIN
        )

    async def asked(self, order_id: str, units: dict[str, int], **more: Any) -> dict[str, Any]:
        answer = await self.ask(order_id, units, **more)
        assert answer.status_code == 201, answer.text
        return dict(answer.json())

    async def act(self, return_id: str, step: str, json: Any = None) -> httpx.Response:
        return await self.client.post(f"/v1/returns/{return_id}/{step}", json=json, headers=ADMIN)

    async def acted(self, return_id: str, step: str, json: Any = None) -> dict[str, Any]:
        answer = await self.act(return_id, step, json)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    async def through(
        self,
        return_id: str,
        *,
        received: dict[str, int] | None = None,
        inspect: dict[str, Any] | None = None,
        refund: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Receive, inspect (original condition unless told) and refund the return."""
        await self.acted(
            return_id,
            "receive",
            None
            if received is None
            else {"lines": [{"line_id": k, "quantity": v} for k, v in received.items()]},
        )
        await self.acted(return_id, "inspect", inspect or {"condition": "original"})
        done = await self.acted(return_id, "refund", refund)
        await settle(self.kernel)
        return done

    async def get_return(self, return_id: str, headers: dict[str, str] | None = None) -> Any:
        answer = await self.client.get(f"/v1/returns/{return_id}", headers=headers or ADMIN)
        assert answer.status_code == 200, answer.text
        return answer.json()

    # -- what happened ----------------------------------------------------------------------

    async def refunded(self, order_id: str) -> Decimal:
        """What the order's payments refunded."""
        await settle(self.kernel)
        found = await self.ok("GET", "/payments", order_id=order_id)
        return sum((Decimal(p["refunded_amount"]) for p in found["items"]), Decimal(0))

    async def movements(self, **params: Any) -> list[dict[str, Any]]:
        found = await self.ok("GET", "/inventory/movements", limit=500, **params)
        return list(found["items"])

    async def on_hand(self, product: Product) -> int:
        with bind(tenant_id="default"):
            async with self.kernel.uow(writes=False) as uow:
                found = await uow.session.scalar(
                    select(func.sum(StockLevel.on_hand)).where(
                        StockLevel.variant_id == product.variant_id
                    )
                )
        return int(found or 0)

    async def returns_footprint(self) -> tuple[int, ...]:
        """Rows of the returns tables, return events and store credit: proof a refusal
        changed nothing."""
        await settle(self.kernel)
        counts = []
        with bind(tenant_id="default"):
            async with self.kernel.uow(writes=False) as uow:
                for table in (Return, ReturnLine, CreditAccount, CreditEntry, Movement):
                    counts.append(
                        int(await uow.session.scalar(select(func.count()).select_from(table)) or 0)
                    )
                told = await uow.session.scalar(
                    select(func.count())
                    .select_from(OutboxRecord)
                    .where(OutboxRecord.type.like("return.%") | OutboxRecord.type.like("refund.%"))
                )
        return (*counts, int(told or 0))


def line_ids(order: dict[str, Any]) -> list[str]:
    return [line["id"] for line in order["lines"]]


def share(order: dict[str, Any], line_id: str) -> Decimal:
    """A line's share of what was paid for the goods (the total less shipping), computed
    here independently of the orders agent: in proportion to the lines' totals, floored to
    the cent, the cents left over to the largest remainders (exact ties: the first id)."""
    goods = Decimal(order["total"]) - Decimal(order["shipping_total"])
    weights = {line["id"]: int(Decimal(line["line_total"]) * 100) for line in order["lines"]}
    whole, cents = sum(weights.values()), int(goods / CENT)
    floors = {k: cents * w // whole for k, w in weights.items()}
    remainders = {k: cents * w % whole for k, w in weights.items()}
    left = cents - sum(floors.values())
    for k in sorted(remainders, key=lambda k: (-remainders[k], k))[:left]:
        floors[k] += 1
    return floors[line_id] * CENT


@pytest.fixture
async def shop(settings: Settings) -> AsyncIterator[ReturnsShop]:
    clock = ManualClock(datetime.now(UTC).replace(microsecond=0))
    # shoppers' sessions and tokens outlive the tests' moves of the clock past the window
    lasting = settings.model_copy(
        update={
            "session_ttl": 120 * 86400,
            "access_token_ttl": 120 * 86400,
            "restocking_fee_percent": RESTOCKING_FEE,
            "returns_damaged_refund_percent": DAMAGED_REFUND,
        }
    )
    async with store_for(lasting, clock=clock) as (kernel, client):
        made = ReturnsShop(kernel, client, clock)
        await made.set_up()
        yield made
