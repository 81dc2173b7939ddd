"""Payments' reactions to orders' events, dispatched as the bus would (and again, as a
redelivery): capture at shipment (`order.lines_shipped`), void or refund at cancellation."""

from __future__ import annotations

from decimal import Decimal

from mercato.agents.orders.events import OrderCancelled, OrderLinesShipped
from mercato.kernel.events import Envelope, Event
from tests.integration.payments.conftest import Pay


async def dispatch(pay: Pay, event: Event, handler: str, *, twice: bool = False) -> None:
    envelope = Envelope.wrap(event, aggregate_id="order", tenant_id="default")
    subscription = pay.kernel.registry.subscription(handler)
    for _ in range(2 if twice else 1):
        outcome = await pay.kernel.dispatcher.dispatch(envelope, subscription)
        assert outcome.value in {"handled", "duplicate"}


def shipped(
    order_id: str, amount: str = "100.00", *, shipment: str = "shp-1", final: bool = True
) -> OrderLinesShipped:
    """One shipment of the order's lines (by default all of them, in one call)."""
    return OrderLinesShipped(
        order_id=order_id,
        number="ORD-1",
        shipment_id=shipment,
        capture_amount=amount,
        currency="USD",
        final=final,
        lines={"line-1": 1},
    )


def cancelled(order_id: str, action: str) -> OrderCancelled:
    return OrderCancelled(
        order_id=order_id,
        number="ORD-1",
        reason="customer_request",
        payment_action=action,
        total="100.00",
        currency="USD",
    )


async def test_shipping_captures_the_authorized_payment_once(pay: Pay) -> None:
    info = await pay.authorized()
    await dispatch(pay, shipped(info.order_id), "payments.capture_shipment", twice=True)
    after = await pay.get(info.id)
    assert (after.status, after.captured_amount) == ("captured", Decimal("100.00"))
    assert len(await pay.events("payment.captured", info.id)) == 1


async def test_shipping_leaves_a_payment_under_review_to_the_admin(pay: Pay) -> None:
    held = await pay.authorized(reasons=["amount_threshold"])
    await dispatch(pay, shipped(held.order_id), "payments.capture_shipment")
    assert (await pay.get(held.id)).status == "authorized"


async def test_cancelling_voids_the_authorization(pay: Pay) -> None:
    info = await pay.authorized()
    await dispatch(pay, cancelled(info.order_id, "void"), "payments.settle_cancelled_order")
    assert (await pay.get(info.id)).status == "voided"


async def test_cancelling_refunds_what_was_captured_once(pay: Pay) -> None:
    info = await pay.captured()
    await dispatch(
        pay, cancelled(info.order_id, "refund"), "payments.settle_cancelled_order", twice=True
    )
    after = await pay.get(info.id)
    assert (after.status, after.refunded_amount) == ("refunded", Decimal("100.00"))
    assert len(await pay.events("payment.refunded", info.id)) == 1


async def test_cancelling_with_no_payment_action_leaves_the_payment(pay: Pay) -> None:
    info = await pay.authorized()
    await dispatch(pay, cancelled(info.order_id, "none"), "payments.settle_cancelled_order")
    assert (await pay.get(info.id)).status == "authorized"
