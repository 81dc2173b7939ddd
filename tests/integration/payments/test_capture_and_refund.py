"""Captures (full, partial, once) and refunds (partial, full, never above what was captured),
voids (idempotent); a refused command changes nothing."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from mercato.agents.payments import service
from mercato.agents.payments.info import PaymentInfo
from mercato.agents.payments.problems import (
    PaymentNotCapturable,
    PaymentNotRefundable,
    RefundExceedsCaptured,
)
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Problem
from mercato.kernel.rules import RuleViolated
from tests.integration.payments.conftest import Pay


async def capture(pay: Pay, info: PaymentInfo, amount: str | None = None) -> PaymentInfo:
    async def run(uow: UnitOfWork) -> PaymentInfo:
        return await service.capture(
            uow, info=info, amount=Decimal(amount) if amount else None, now=pay.clock.now()
        )

    done: PaymentInfo = await pay.within(run)
    return done


async def refund(pay: Pay, payment_id: str, amount: str) -> PaymentInfo:
    async def run(uow: UnitOfWork) -> PaymentInfo:
        done, _ = await service.refund(
            uow, payment_id=payment_id, amount=Decimal(amount), now=pay.clock.now()
        )
        return done

    done: PaymentInfo = await pay.within(run)
    return done


async def test_a_full_capture(pay: Pay) -> None:
    done = await capture(pay, await pay.authorized("80.00"))
    assert (done.status, done.captured_amount) == ("captured", Decimal("80.00"))
    [event] = await pay.events("payment.captured", done.id)
    assert (event["amount"], event["captured_total"]) == ("80.00", "80.00")


async def test_a_partial_capture_happens_once(pay: Pay) -> None:
    info = await pay.authorized("80.00")
    done = await capture(pay, info, "30.00")
    assert (done.status, done.captured_amount) == ("captured", Decimal("30.00"))
    with pytest.raises(PaymentNotCapturable):
        await capture(pay, done, "10.00")
    assert (await pay.get(info.id)).captured_amount == Decimal("30.00")


@pytest.mark.business_rule("BR004")
async def test_br004_a_capture_never_exceeds_the_order_total(pay: Pay) -> None:
    info = await pay.authorized("80.00")
    with pytest.raises(RuleViolated) as refused:
        await capture(pay, info, "80.01")
    assert refused.value.code == "br004_payment_amount_match"
    assert (await pay.get(info.id)).status == "authorized"
    assert await pay.events("payment.captured", info.id) == []


async def test_a_failed_payment_is_not_captured(pay: Pay) -> None:
    info = await pay.opened()
    with pytest.raises(PaymentNotCapturable) as refused:
        await capture(pay, info)
    assert (refused.value.status, refused.value.code) == (409, "payment_not_capturable")


async def test_partial_then_full_refunds(pay: Pay) -> None:
    info = await pay.captured("100.00")
    partly = await refund(pay, info.id, "30.00")
    assert (partly.status, partly.refunded_amount) == ("partially_refunded", Decimal("30.00"))
    fully = await refund(pay, info.id, "70.00")
    assert (fully.status, fully.refunded_amount) == ("refunded", Decimal("100.00"))
    first, last = await pay.events("payment.refunded", info.id)
    assert (first["amount"], first["refunded_total"], first["fully"]) == ("30.00", "30.00", False)
    assert (last["amount"], last["refunded_total"], last["fully"]) == ("70.00", "100.00", True)


async def test_a_refund_above_what_is_left_changes_nothing(pay: Pay) -> None:
    info = await pay.captured("100.00")
    await refund(pay, info.id, "60.00")
    with pytest.raises(RefundExceedsCaptured) as refused:
        await refund(pay, info.id, "40.01")
    assert (refused.value.status, refused.value.code) == (409, "refund_exceeds_captured")
    after = await pay.get(info.id)
    assert (after.status, after.refunded_amount) == ("partially_refunded", Decimal("60.00"))
    assert len(await pay.events("payment.refunded", info.id)) == 1


async def test_nothing_is_refunded_before_a_capture(pay: Pay) -> None:
    info = await pay.authorized()
    with pytest.raises(PaymentNotRefundable):
        await refund(pay, info.id, "1.00")


async def test_two_concurrent_refunds_cannot_exceed_the_capture(pay: Pay) -> None:
    # given 100.00 captured
    info = await pay.captured("100.00")
    # when two refunds of 60.00 race
    outcomes = await asyncio.gather(
        refund(pay, info.id, "60.00"), refund(pay, info.id, "60.00"), return_exceptions=True
    )
    # then one succeeded and the other was refused; 60.00 was refunded, at the gateway too
    refused = [o for o in outcomes if isinstance(o, Problem)]
    assert len(refused) == 1 and isinstance(refused[0], RefundExceedsCaptured)
    after = await pay.get(info.id)
    assert after.refunded_amount == Decimal("60.00")
    row = await pay.sandbox.ledger.authorization_by_key(f"{info.id}:authorize")
    assert row is not None and Decimal(row["refunded"]) == Decimal("60.00")


async def test_void_is_idempotent(pay: Pay) -> None:
    info = await pay.authorized()

    async def void(uow: UnitOfWork) -> PaymentInfo:
        return await service.void_at_gateway(
            uow, info=info, idempotency_key=f"{info.id}:void", now=pay.clock.now()
        )

    first = await pay.within(void)
    second = await pay.within(void)  # the same (stale) info again
    assert (first.status, second.status) == ("voided", "voided")
    assert len(await pay.events("payment.voided", info.id)) == 1
    assert await pay.operations(info.id) == [
        ("authorize", "succeeded", "100.00"),
        ("void", "succeeded", "100.00"),
    ]


async def test_voiding_a_payment_that_never_reached_the_gateway(pay: Pay) -> None:
    opened = await pay.opened()

    async def void(uow: UnitOfWork) -> PaymentInfo:
        return await service.void_at_gateway(
            uow, info=opened, idempotency_key=f"{opened.id}:authorize:void", now=pay.clock.now()
        )

    assert (await pay.within(void)).status == "voided"
    assert (await pay.sandbox.ledger.counts())["authorizations"] == 0
