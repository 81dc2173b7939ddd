"""An order shipped in several shipments is captured a shipment at a time
(`order.lines_shipped`): `partially_captured` until the final capture, each shipment's
capture once (a redelivery, a concurrent delivery, a republished event), refunds bounded by
what was captured, the rest of the authorization released by a final capture below it or by
a cancellation; and a refund the card cannot take (it expired) refused, changing nothing."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from mercato.agents.orders.events import OrderCancelled
from mercato.agents.payments import service
from mercato.agents.payments.info import PaymentInfo
from mercato.agents.payments.problems import RefundExceedsCaptured, RefundMethodUnavailable
from mercato.agents.payments.providers.base import Card
from mercato.agents.payments.providers.sandbox_ledger import operations
from mercato.kernel.db import UnitOfWork
from mercato.kernel.events import Envelope, Event
from tests.integration.identity.conftest import ADMIN
from tests.integration.payments.conftest import GOOD, Pay
from tests.integration.payments.test_capture_and_refund import refund
from tests.integration.payments.test_handlers import dispatch, shipped

CAPTURE = "payments.capture_shipment"
SETTLE = "payments.settle_cancelled_order"


async def ship(pay: Pay, info: PaymentInfo, amount: str, shipment: str, *, final: bool) -> None:
    await dispatch(pay, shipped(info.order_id, amount, shipment=shipment, final=final), CAPTURE)


async def ledger_row(pay: Pay, info: PaymentInfo) -> dict[str, str]:
    row = await pay.sandbox.ledger.authorization_by_key(f"{info.id}:authorize")
    assert row is not None
    return row


async def captures_at_gateway(pay: Pay) -> int:
    """How many capture operations the sandbox gateway made."""
    engine = await pay.sandbox.ledger._ensure()
    async with engine.connect() as conn:
        rows = await conn.execute(select(operations.c.kind).where(operations.c.kind == "capture"))
        return len(rows.all())


async def test_two_shipments_capture_two_amounts_summing_to_the_total(pay: Pay) -> None:
    # given 100.00 authorized
    info = await pay.authorized("100.00")
    # when the first shipment (60.00) ships
    await ship(pay, info, "60.00", "shp-1", final=False)
    # then 60.00 is captured and more may follow
    first = await pay.get(info.id)
    assert (first.status, first.captured_amount) == ("partially_captured", Decimal("60.00"))
    # when the last shipment (40.00) ships
    await ship(pay, info, "40.00", "shp-2", final=True)
    # then the payment is captured in full, by two captures, each told once
    after = await pay.get(info.id)
    assert (after.status, after.captured_amount) == ("captured", Decimal("100.00"))
    told = await pay.events("payment.captured", info.id)
    assert [(e["amount"], e["captured_total"], e["status"]) for e in told] == [
        ("60.00", "60.00", "partially_captured"),
        ("40.00", "100.00", "captured"),
    ]
    assert await pay.operations(info.id) == [
        ("authorize", "succeeded", "100.00"),
        ("capture", "succeeded", "60.00"),
        ("capture", "succeeded", "40.00"),
    ]
    row = await ledger_row(pay, info)
    assert (row["status"], Decimal(row["captured"])) == ("captured", Decimal("100.00"))


async def test_a_redelivered_shipment_captures_once(pay: Pay) -> None:
    # given 100.00 authorized
    info = await pay.authorized("100.00")
    event = shipped(info.order_id, "30.00", shipment="shp-1", final=False)
    # when the shipment is delivered twice (the inbox), then republished as a new event
    await dispatch(pay, event, CAPTURE, twice=True)
    await dispatch(pay, event.model_copy(), CAPTURE)
    # then 30.00 was captured once, at the gateway too
    after = await pay.get(info.id)
    assert (after.status, after.captured_amount) == ("partially_captured", Decimal("30.00"))
    assert len(await pay.events("payment.captured", info.id)) == 1
    assert await captures_at_gateway(pay) == 1
    assert Decimal((await ledger_row(pay, info))["captured"]) == Decimal("30.00")


async def test_concurrent_deliveries_of_one_shipment_capture_once(pay: Pay) -> None:
    # given 100.00 authorized
    info = await pay.authorized("100.00")
    event = shipped(info.order_id, "45.00", shipment="shp-1", final=False)
    subscription = pay.kernel.registry.subscription(CAPTURE)
    same = Envelope.wrap(event, aggregate_id="order", tenant_id="default")
    republished = Envelope.wrap(event.model_copy(), aggregate_id="order", tenant_id="default")

    async def deliver(envelope: Envelope) -> str:
        outcome = await pay.kernel.dispatcher.dispatch(envelope, subscription)
        return str(outcome.value)

    # when one delivery, its redelivery and a republished copy race
    outcomes: list[str] = list(
        await asyncio.gather(deliver(same), deliver(same), deliver(republished))
    )
    for _ in range(3):  # a delivery that lost a race is retried, as the bus would
        if all(o in {"handled", "duplicate"} for o in outcomes):
            break
        outcomes = list(await asyncio.gather(deliver(same), deliver(republished)))
    # then 45.00 was captured once, told once, taken once at the gateway
    after = await pay.get(info.id)
    assert (after.status, after.captured_amount) == ("partially_captured", Decimal("45.00"))
    assert len(await pay.events("payment.captured", info.id)) == 1
    assert await captures_at_gateway(pay) == 1
    assert Decimal((await ledger_row(pay, info))["captured"]) == Decimal("45.00")


async def test_a_refund_while_partially_captured_is_bounded_by_the_capture(pay: Pay) -> None:
    # given 100.00 authorized, 40.00 of it captured by a first shipment
    info = await pay.authorized("100.00")
    await ship(pay, info, "40.00", "shp-1", final=False)
    # when 25.00 is refunded, then 15.01 more
    partly = await refund(pay, info.id, "25.00")
    with pytest.raises(RefundExceedsCaptured):
        await refund(pay, info.id, "15.01")
    # then 25.00 was refunded, the payment still partially captured (more may follow)
    assert (partly.status, partly.refunded_amount) == ("partially_captured", Decimal("25.00"))
    after = await pay.get(info.id)
    assert (after.refunded_amount, after.captured_amount) == (Decimal("25.00"), Decimal("40.00"))
    [told] = await pay.events("payment.refunded", info.id)
    assert told["fully"] is False
    # and the last shipment still captures; the payment is then partly refunded
    await ship(pay, info, "60.00", "shp-2", final=True)
    last = await pay.get(info.id)
    assert (last.status, last.captured_amount) == ("partially_refunded", Decimal("100.00"))


async def test_a_final_capture_below_the_authorization_releases_the_rest(pay: Pay) -> None:
    # given 100.00 authorized and a first shipment of 50.00 captured
    info = await pay.authorized("100.00")
    await ship(pay, info, "50.00", "shp-1", final=False)
    # when the last shipment captures 30.00 (a line was dropped)
    await ship(pay, info, "30.00", "shp-2", final=True)
    # then 80.00 is captured, the payment closed and the 20.00 left released
    after = await pay.get(info.id)
    assert (after.status, after.captured_amount) == ("captured", Decimal("80.00"))
    assert (await pay.operations(info.id))[-1] == ("void", "succeeded", "20.00")
    row = await ledger_row(pay, info)
    assert (row["status"], Decimal(row["captured"])) == ("captured", Decimal("80.00"))
    # and nothing more can be captured at the gateway
    late = await pay.sandbox.capture(
        info.provider_ref or "", amount=Decimal("1"), currency="USD", idempotency_key="late"
    )
    assert (late.status, late.decline_code) == ("declined", "already_captured")


def cancelled(order_id: str, action: str) -> Event:
    return OrderCancelled(
        order_id=order_id,
        number="ORD-1",
        reason="customer_request",
        payment_action=action,
        total="100.00",
        currency="USD",
    )


async def test_cancel_after_a_partial_capture_refunds_it_and_releases_the_rest(pay: Pay) -> None:
    # given 100.00 authorized, 35.00 captured by a first shipment
    info = await pay.authorized("100.00")
    await ship(pay, info, "35.00", "shp-1", final=False)
    # when the order is cancelled, asking for a refund (delivered twice)
    await dispatch(pay, cancelled(info.order_id, "refund"), SETTLE, twice=True)
    # then the rest was released and the 35.00 refunded, once
    after = await pay.get(info.id)
    assert (after.status, after.captured_amount, after.refunded_amount) == (
        "refunded",
        Decimal("35.00"),
        Decimal("35.00"),
    )
    [told] = await pay.events("payment.refunded", info.id)
    assert (told["amount"], told["fully"]) == ("35.00", True)
    row = await ledger_row(pay, info)
    assert (row["status"], Decimal(row["refunded"])) == ("captured", Decimal("35.00"))


async def test_cancel_after_a_partial_capture_asking_to_void_keeps_the_capture(pay: Pay) -> None:
    # given 100.00 authorized, 35.00 captured by a first shipment
    info = await pay.authorized("100.00")
    await ship(pay, info, "35.00", "shp-1", final=False)
    # when the order is cancelled asking only to void
    await dispatch(pay, cancelled(info.order_id, "void"), SETTLE)
    # then the rest is released, what shipped stays captured
    after = await pay.get(info.id)
    assert (after.status, after.captured_amount, after.refunded_amount) == (
        "captured",
        Decimal("35.00"),
        Decimal("0.00"),
    )
    assert (await pay.operations(info.id))[-1] == ("void", "succeeded", "65.00")


async def test_a_shipment_of_a_payment_under_review_is_left_to_the_admin(pay: Pay) -> None:
    held = await pay.authorized(reasons=["amount_threshold"])
    await ship(pay, held, "10.00", "shp-1", final=False)
    after = await pay.get(held.id)
    assert (after.status, after.captured_amount) == ("authorized", Decimal("0.00"))


async def test_an_admin_captures_the_rest_of_a_partially_captured_payment(pay: Pay) -> None:
    # given 100.00 authorized, 30.00 captured by a shipment
    info = await pay.authorized("100.00")
    await ship(pay, info, "30.00", "shp-1", final=False)
    # when an admin captures (all that is left)
    response = await pay.client.post(f"/v1/payments/{info.id}/capture", json={}, headers=ADMIN)
    # then the payment is captured in full
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["captured_amount"]) == (
        "captured",
        "100.00",
    )


async def test_a_refund_to_an_expired_card_is_refused_and_changes_nothing(pay: Pay) -> None:
    # given 100.00 captured with a card valid to the end of this month
    now = datetime.now(UTC)
    source = await pay.sandbox.tokenize(Card(GOOD, now.month, now.year, "123"))
    info = await open_with(pay, source)
    info = await pay.authorize(info)
    await ship(pay, info, "100.00", "shp-1", final=True)
    assert (await pay.get(info.id)).card_exp_month == now.month
    assert not await service.card_expired(info, now=pay.clock.now())
    # when, two months later, the card has expired and 40.00 is refunded
    later = datetime(now.year + (now.month + 1) // 12, (now.month + 1) % 12 + 1, 2, tzinfo=UTC)
    pay.sandbox.clock = later.timestamp
    assert await service.card_expired(info, now=later)
    with pytest.raises(RefundMethodUnavailable) as refused:
        await refund(pay, info.id, "40.00")
    # then it is refused (409 refund_method_unavailable) and nothing changed
    assert (refused.value.status, refused.value.code) == (409, "refund_method_unavailable")
    after = await pay.get(info.id)
    assert (after.status, after.refunded_amount) == ("captured", Decimal("0.00"))
    assert await pay.events("payment.refunded", info.id) == []
    assert Decimal((await ledger_row(pay, info))["refunded"]) == Decimal(0)


async def test_a_refused_refund_is_undone_even_when_the_caller_commits(pay: Pay) -> None:
    # given 100.00 captured with a card that then expires
    now = datetime.now(UTC)
    source = await pay.sandbox.tokenize(Card(GOOD, now.month, now.year, "123"))
    info = await pay.authorize(await open_with(pay, source))
    await ship(pay, info, "100.00", "shp-1", final=True)
    pay.sandbox.clock = lambda: now.timestamp() + 70 * 86400

    # when a caller (the returns agent) catches the refusal and commits its unit of work
    async def fall_back(uow: UnitOfWork) -> str:
        try:
            await service.refund(uow, payment_id=info.id, amount=Decimal("40"), now=now)
        except RefundMethodUnavailable:
            return "store_credit"
        return "card"

    assert await pay.within(fall_back) == "store_credit"
    # then the claimed amount was given back: nothing was refunded
    assert (await pay.get(info.id)).refunded_amount == Decimal("0.00")


async def open_with(pay: Pay, source: service.Tokenized) -> PaymentInfo:
    async def run(uow: UnitOfWork) -> PaymentInfo:
        return await service.open_payment(
            uow,
            payment_id=str(uuid.uuid4()),
            order_id=str(uuid.uuid4()),
            order_total=Decimal("100.00"),
            amount=Decimal("100.00"),
            currency="USD",
            provider="sandbox",
            source=source,
            customer_id=None,
            customer_key="guest:someone",
            email="ana@example.com",
            ip="203.0.113.7",
            review_reasons=[],
            now=pay.clock.now(),
        )

    opened: PaymentInfo = await pay.within(run)
    return opened


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    parts=st.lists(st.integers(min_value=1, max_value=4000), min_size=1, max_size=5),
    redeliver=st.lists(st.booleans(), min_size=5, max_size=5),
)
async def test_any_split_captures_the_total_once_per_shipment(
    pay: Pay, parts: list[int], redeliver: list[bool]
) -> None:
    # given an authorization of the total of random shipments (in cents)
    total = Decimal(sum(parts)) / 100
    info = await pay.authorized(format(total, ".2f"))
    before = await captures_at_gateway(pay)
    # when each shipment ships, some delivered twice or republished
    for n, cents in enumerate(parts):
        event = shipped(
            info.order_id,
            format(Decimal(cents) / 100, ".2f"),
            shipment=f"shp-{n}",
            final=n == len(parts) - 1,
        )
        await dispatch(pay, event, CAPTURE, twice=redeliver[n])
        if redeliver[n]:
            await dispatch(pay, event.model_copy(), CAPTURE)
    # then the total is captured, the gateway took each shipment once
    after = await pay.get(info.id)
    assert (after.status, after.captured_amount) == ("captured", total)
    assert await captures_at_gateway(pay) - before == len(parts)
    assert len(await pay.events("payment.captured", info.id)) == len(parts)
    assert Decimal((await ledger_row(pay, info))["captured"]) == total
