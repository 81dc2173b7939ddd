"""Fixtures for the payments agent's integration tests: a whole store (no background work;
time moves when the test moves `pay.clock`) and a `Pay` helper that makes payments through
the payments service directly, with made-up order ids (no orders needed), on SQLite and
PostgreSQL (the `settings` fixture)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from mercato.agents.payments import service
from mercato.agents.payments.info import PaymentInfo
from mercato.agents.payments.models import Payment, PaymentTransaction
from mercato.agents.payments.providers.base import Card
from mercato.agents.payments.providers.sandbox import SandboxProvider
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork
from mercato.kernel.money import round_money
from tests.support.store import store_for

GOOD = "4242424242424242"
DECLINED = "4000000000000002"
LOST_ANSWER = "4000000000000119"
GATEWAY_DOWN = "4000000000005126"


@dataclass
class Pay:
    kernel: Kernel
    client: httpx.AsyncClient
    clock: ManualClock

    @property
    def sandbox(self) -> SandboxProvider:
        provider = service.gateways(self.kernel.uow()).get("sandbox")
        assert isinstance(provider, SandboxProvider)
        return provider

    async def within(self, fn: Callable[[UnitOfWork], Any], *, commit: bool = True) -> Any:
        """Run `fn(uow)` in the default store's unit of work (committed)."""
        with bind(tenant_id="default"):
            async with self.kernel.uow() as uow:
                result = await fn(uow)
                if commit:
                    await uow.commit()
        return result

    async def opened(
        self,
        amount: str = "100.00",
        *,
        card: str = GOOD,
        reasons: list[str] | None = None,
        customer_id: str | None = None,
        order_id: str | None = None,
    ) -> PaymentInfo:
        """A pending payment of a made-up order, its card tokenized by the sandbox."""
        source = await self.sandbox.tokenize(Card(card, 12, 2040, "123"))
        total = Decimal(amount)

        async def open_(uow: UnitOfWork) -> PaymentInfo:
            return await service.open_payment(
                uow,
                payment_id=str(uuid.uuid4()),
                order_id=order_id or str(uuid.uuid4()),
                order_total=total,
                amount=total,
                currency="USD",
                provider="sandbox",
                source=source,
                customer_id=customer_id,
                customer_key=customer_id or "guest:someone",
                email="ana@example.com",
                ip="203.0.113.7",
                review_reasons=reasons or [],
                now=self.clock.now(),
            )

        opened: PaymentInfo = await self.within(open_)
        return opened

    async def authorize(self, info: PaymentInfo, key: str | None = None) -> PaymentInfo:
        async def run(uow: UnitOfWork) -> PaymentInfo:
            return await service.authorize_at_gateway(
                uow, info=info, idempotency_key=key or f"{info.id}:authorize", now=self.clock.now()
            )

        done: PaymentInfo = await self.within(run)
        return done

    async def authorized(self, amount: str = "100.00", **more: Any) -> PaymentInfo:
        return await self.authorize(await self.opened(amount, **more))

    async def captured(self, amount: str = "100.00", **more: Any) -> PaymentInfo:
        info = await self.authorized(amount, **more)

        async def run(uow: UnitOfWork) -> PaymentInfo:
            return await service.capture(uow, info=info, now=self.clock.now())

        done: PaymentInfo = await self.within(run)
        return done

    async def get(self, payment_id: str) -> PaymentInfo:
        async def run(uow: UnitOfWork) -> PaymentInfo:
            found = await service.payment_info(uow, payment_id=payment_id)
            assert found is not None
            return found

        got: PaymentInfo = await self.within(run, commit=False)
        return got

    async def events(self, event_type: str, payment_id: str | None = None) -> list[dict[str, Any]]:
        async with self.kernel.uow(writes=False) as uow:
            rows = await uow.session.scalars(
                select(OutboxRecord)
                .where(OutboxRecord.type == event_type)
                .order_by(OutboxRecord.seq)
            )
            found = [r.payload for r in rows]
        return [e for e in found if payment_id is None or e["payment_id"] == payment_id]

    async def operations(self, payment_id: str) -> list[tuple[str, str, str]]:
        """(kind, status, amount) of the payment's gateway operations, oldest first."""
        with bind(tenant_id="default"):
            async with self.kernel.uow(writes=False) as uow:
                rows = await uow.session.scalars(
                    select(PaymentTransaction)
                    .where(PaymentTransaction.payment_id == payment_id)
                    .order_by(PaymentTransaction.created_at, PaymentTransaction.id)
                )
                return [(r.kind, r.status, format(round_money(r.amount, "USD"), "f")) for r in rows]

    async def set_status(self, payment_id: str, **values: Any) -> None:
        """Put a payment in a state directly (a test's set-up, e.g. an outcome lost before
        the request reached the gateway)."""

        async def run(uow: UnitOfWork) -> None:
            payment = await uow.session.get(Payment, payment_id)
            assert payment is not None
            for name, value in values.items():
                setattr(payment, name, value)

        await self.within(run)


@pytest.fixture
def pay_settings(settings: Settings) -> Settings:
    return settings


@pytest.fixture
async def pay(pay_settings: Settings) -> AsyncIterator[Pay]:
    clock = ManualClock(datetime.now(UTC))
    async with store_for(pay_settings, clock=clock, start=False) as (kernel, client):
        yield Pay(kernel, client, clock)
