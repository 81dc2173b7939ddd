"""The orders agent follows the payments agent's events: the payment status, the review flag
and the timeline; a pending order whose payment was settled after checkout stopped waiting
(EC004) is confirmed, or cancelled if its reservation lapsed; a failed one is cancelled."""

from __future__ import annotations

import pytest

from mercato.agents.payments import events as payment_events
from tests.integration.orders.conftest import OrdersShop, payment


@pytest.mark.edge_case("EC004")
async def test_ec004_a_pending_order_whose_payment_is_authorized_late_is_confirmed(
    shop: OrdersShop,
) -> None:
    # given a pending order (checkout lost the gateway's answer)
    product = await shop.product("10.00", stock=10)
    placed = await shop.order([(product.variant_id, 2)], confirm=False)
    # when reconciliation finds the authorization
    await shop.payment_event(payment(placed.id, payment_events.PaymentAuthorized, reconciled=True))
    # then the order is confirmed, its stock still held, its payment authorized
    order = await shop.read(placed.id)
    assert (order["status"], order["payment_status"]) == ("confirmed", "authorized")
    assert await shop.available(product.variant_id) == 8
    assert len(await shop.order_events("order.confirmed", placed.id)) == 1
    assert [e["kind"] for e in order["timeline"]] == ["placed", "payment_authorized", "confirmed"]


@pytest.mark.edge_case("EC004")
@pytest.mark.edge_case("EC028")
async def test_ec004_a_late_authorization_after_the_reservation_lapsed_cancels_and_voids(
    shop: OrdersShop,
) -> None:
    # given a pending order whose reservation expired (15 minutes later)
    product = await shop.product("10.00", stock=10)
    placed = await shop.order([(product.variant_id, 2)], confirm=False)
    assert shop.clock is not None
    shop.clock.advance(seconds=shop.kernel.settings.reservation_ttl + 1)
    # when the authorization is found
    await shop.payment_event(payment(placed.id, payment_events.PaymentAuthorized))
    # then the order is cancelled and payments is asked to void the authorization
    order = await shop.read(placed.id)
    assert (order["status"], order["cancel_reason"]) == ("cancelled", "reservation_expired")
    [event] = await shop.order_events("order.cancelled", placed.id)
    assert event["payment_action"] == "void"
    assert await shop.available(product.variant_id) == 10


async def test_a_failed_payment_cancels_a_pending_order_and_releases_its_stock(
    shop: OrdersShop,
) -> None:
    product = await shop.product("10.00", stock=10)
    placed = await shop.order([(product.variant_id, 4)], confirm=False)
    await shop.payment_event(
        payment(placed.id, payment_events.PaymentFailed, status="failed", failure_code="declined")
    )
    order = await shop.read(placed.id)
    assert (order["status"], order["payment_status"]) == ("cancelled", "failed")
    assert await shop.available(product.variant_id) == 10
    [event] = await shop.order_events("order.cancelled", placed.id)
    assert (event["reason"], event["payment_action"]) == ("payment_failed", "none")


@pytest.mark.edge_case("EC005")
async def test_the_same_payment_fact_told_twice_changes_nothing_the_second_time(
    shop: OrdersShop,
) -> None:
    # given a confirmed order whose capture is told twice (a webhook delivered twice)
    product = await shop.product("10.00")
    placed = await shop.order([(product.variant_id, 1)])
    captured = payment(
        placed.id, payment_events.PaymentCaptured, status="captured", captured_total="15.00"
    )
    await shop.payment_event(captured)
    first = await shop.read(placed.id)
    again = payment(
        placed.id, payment_events.PaymentCaptured, status="captured", captured_total="15.00"
    )
    await shop.payment_event(again)
    # then the order is paid once: one timeline entry, one version
    assert await shop.read(placed.id) == first
    assert first["payment_status"] == "paid"


async def test_refunds_set_the_payment_status(shop: OrdersShop) -> None:
    product = await shop.product("10.00")
    placed = await shop.order([(product.variant_id, 1)])
    for refund_id, fully in (("r-1", False), ("r-2", True)):
        await shop.payment_event(
            payment(
                placed.id,
                payment_events.PaymentRefunded,
                status="refunded" if fully else "partially_refunded",
                amount="5.00",
                refund_id=refund_id,
                refunded_total="15.00" if fully else "5.00",
                fully=fully,
            )
        )
        expected = "refunded" if fully else "partially_refunded"
        assert (await shop.read(placed.id))["payment_status"] == expected
    kinds = [e["kind"] for e in (await shop.read(placed.id))["timeline"]]
    assert kinds.count("payment_refunded") == 2


async def test_a_rejected_review_cancels_the_order(shop: OrdersShop) -> None:
    product = await shop.product("10.00", stock=5)
    placed = await shop.order([(product.variant_id, 1)])
    await shop.payment_event(
        payment(placed.id, payment_events.PaymentReviewRequired, reasons=["velocity_card"])
    )
    await shop.payment_event(payment(placed.id, payment_events.PaymentReviewRejected))
    order = await shop.read(placed.id)
    assert (order["status"], order["review"]) == ("cancelled", None)
    assert await shop.available(product.variant_id) == 5


async def test_timeline_entries_keep_their_times(shop: OrdersShop) -> None:
    product = await shop.product("10.00")
    placed = await shop.order([(product.variant_id, 1)], confirm=False)
    assert shop.clock is not None
    shop.clock.advance(minutes=2)
    await shop.payment_event(payment(placed.id, payment_events.PaymentAuthorized))
    timeline = (await shop.read(placed.id))["timeline"]
    assert timeline[0]["at"] < timeline[1]["at"]
    assert timeline[1]["detail"]["payment_id"] == "pay-1"
