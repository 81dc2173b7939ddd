"""Capture mode `immediate`: the gateway captures at authorization (unless the payment is
held for review), and a compensation gives the money back."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mercato.agents.payments import service
from mercato.kernel.config import Settings
from mercato.kernel.db import UnitOfWork
from tests.integration.payments.conftest import Pay


@pytest.fixture
def pay_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"capture_mode": "immediate"})


async def test_capture_mode_immediate_captures_at_authorization(pay: Pay) -> None:
    done = await pay.authorized("40.00")
    assert (done.status, done.captured_amount) == ("captured", Decimal("40.00"))
    [event] = await pay.events("payment.captured", done.id)
    assert event["captured_total"] == "40.00"
    assert await pay.events("payment.authorized", done.id) == []


async def test_a_payment_held_for_review_is_only_authorized(pay: Pay) -> None:
    done = await pay.authorized("40.00", reasons=["amount_threshold"])
    assert (done.status, done.review) == ("authorized", "manual_review")


async def test_voiding_a_captured_payment_refunds_it(pay: Pay) -> None:
    done = await pay.authorized("40.00")

    async def void(uow: UnitOfWork) -> service.PaymentInfo:
        return await service.void_at_gateway(
            uow, info=done, idempotency_key=f"{done.id}:void", now=pay.clock.now()
        )

    after = await pay.within(void)
    assert (after.status, after.refunded_amount) == ("refunded", Decimal("40.00"))
    [event] = await pay.events("payment.refunded", done.id)
    assert event["fully"] is True
