"""Cancelling before shipping releases the stock and tells payments what to do (void an
authorization, refund a capture); once shipped it is refused (BR006). Shipping commits the
stock, refused while the payment is under review; delivering follows shipping."""

from __future__ import annotations

import pytest

from mercato.agents.payments import events as payment_events
from tests.integration.identity.conftest import ADMIN
from tests.integration.orders.conftest import OrdersShop, payment


async def test_cancelling_a_confirmed_order_releases_its_stock(shop: OrdersShop) -> None:
    # given a confirmed order holding 3 of 10 units
    product = await shop.product("10.00", stock=10)
    placed = await shop.order([(product.variant_id, 3)])
    assert await shop.available(product.variant_id) == 7
    # when its customer cancels it
    answer = await shop.client.post(
        f"/v1/orders/{placed.id}/cancel", json={"reason": "changed_my_mind"}, headers=placed.headers
    )
    # then it is cancelled, the units are available again, and payments is told to void
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["status"], body["cancel_reason"]) == ("cancelled", "changed_my_mind")
    assert await shop.available(product.variant_id) == 10
    [event] = await shop.order_events("order.cancelled", placed.id)
    assert (event["reason"], event["payment_action"]) == ("changed_my_mind", "void")
    assert [e["kind"] for e in body["timeline"]] == ["placed", "confirmed", "cancelled"]


async def test_an_order_is_cancelled_with_no_body_at_all(shop: OrdersShop) -> None:
    # given a confirmed order holding 2 units
    product = await shop.product("10.00", stock=10)
    placed = await shop.order([(product.variant_id, 2)])
    # when its customer cancels it sending no body and no Content-Type
    answer = await shop.client.post(f"/v1/orders/{placed.id}/cancel", headers=placed.headers)
    # then the body's defaults apply: cancelled for the default reason, the stock released
    assert answer.status_code == 200, answer.text
    assert "content-type" not in answer.request.headers
    body = answer.json()
    assert (body["status"], body["cancel_reason"]) == ("cancelled", "customer_request")
    assert await shop.available(product.variant_id) == 10


@pytest.mark.parametrize(("captured", "action"), [(False, "void"), (True, "refund")])
async def test_cancelling_asks_payments_to_void_or_refund(
    shop: OrdersShop, captured: bool, action: str
) -> None:
    # given a confirmed order whose payment was authorized (and captured)
    product = await shop.product("10.00")
    placed = await shop.order([(product.variant_id, 1)])
    await shop.payment_event(payment(placed.id, payment_events.PaymentAuthorized, amount="15.00"))
    if captured:
        await shop.payment_event(
            payment(
                placed.id,
                payment_events.PaymentCaptured,
                amount="15.00",
                status="captured",
                captured_total="15.00",
            )
        )
    # when the admin cancels it
    answer = await shop.client.post(
        f"/v1/orders/{placed.id}/cancel", json={"reason": "out_of_policy"}, headers=ADMIN
    )
    # then order.cancelled asks payments to void the authorization or refund the capture
    assert answer.status_code == 200, answer.text
    [event] = await shop.order_events("order.cancelled", placed.id)
    assert event["payment_action"] == action


@pytest.mark.business_rule("BR006")
async def test_br006_a_shipped_order_cannot_be_cancelled(shop: OrdersShop) -> None:
    # given a shipped order
    product = await shop.product("10.00", stock=10)
    placed = await shop.order([(product.variant_id, 2)])
    shipped = await shop.client.post(
        f"/v1/orders/{placed.id}/ship",
        json={"carrier": "UPS", "tracking_number": "1Z999"},
        headers=ADMIN,
    )
    assert shipped.status_code == 200, shipped.text
    before = await shop.read(placed.id)
    events_before = await shop.event_count()
    # when its customer (or the admin) tries to cancel it
    for headers in (placed.headers, ADMIN):
        refused = await shop.client.post(
            f"/v1/orders/{placed.id}/cancel", json={"reason": "too_late"}, headers=headers
        )
        # then BR006 refuses it with 409, and nothing changed
        assert refused.status_code == 409, refused.text
        assert refused.json()["code"] == "br006_cancel_before_ship"
    assert await shop.read(placed.id) == before
    assert await shop.event_count() == events_before
    assert await shop.available(product.variant_id) == 8


async def test_shipping_commits_the_stock_and_delivering_follows(shop: OrdersShop) -> None:
    product = await shop.product("10.00", stock=10)
    placed = await shop.order([(product.variant_id, 2)])
    shipped = await shop.client.post(
        f"/v1/orders/{placed.id}/ship", json={"carrier": "UPS"}, headers=ADMIN
    )
    assert shipped.status_code == 200, shipped.text
    assert (shipped.json()["status"], shipped.json()["carrier"]) == ("shipped", "UPS")
    assert await shop.available(product.variant_id) == 8  # the 2 units left the building
    [event] = await shop.order_events("order.shipped", placed.id)
    assert event["carrier"] == "UPS"
    delivered = await shop.client.post(f"/v1/orders/{placed.id}/deliver", headers=ADMIN)
    assert delivered.status_code == 200, delivered.text
    assert delivered.json()["status"] == "delivered"
    assert len(await shop.order_events("order.delivered", placed.id)) == 1


async def test_an_order_ships_with_no_body_at_all(shop: OrdersShop) -> None:
    # given a confirmed order
    product = await shop.product("10.00", stock=10)
    placed = await shop.order([(product.variant_id, 1)])
    # when the admin ships it without a carrier, sending no body
    shipped = await shop.client.post(f"/v1/orders/{placed.id}/ship", headers=ADMIN)
    # then it is shipped, with no carrier or tracking number
    assert shipped.status_code == 200, shipped.text
    body = shipped.json()
    assert (body["status"], body["carrier"], body["tracking_number"]) == ("shipped", None, None)


async def test_a_pending_order_cannot_ship_and_customers_cannot_ship(shop: OrdersShop) -> None:
    product = await shop.product("10.00")
    placed = await shop.order([(product.variant_id, 1)], confirm=False)
    early = await shop.client.post(f"/v1/orders/{placed.id}/ship", json={}, headers=ADMIN)
    assert (early.status_code, early.json()["code"]) == (409, "order_status_conflict")
    by_customer = await shop.client.post(
        f"/v1/orders/{placed.id}/ship", json={}, headers=placed.headers
    )
    assert by_customer.status_code == 403


async def test_an_order_under_review_is_not_shipped_until_approved(shop: OrdersShop) -> None:
    # given a confirmed order whose payment fraud screening held for review
    product = await shop.product("10.00", stock=10)
    placed = await shop.order([(product.variant_id, 1)])
    await shop.payment_event(
        payment(placed.id, payment_events.PaymentReviewRequired, reasons=["amount_threshold"])
    )
    assert (await shop.read(placed.id))["review"] == "manual_review"
    events_before = await shop.event_count()
    # when the admin tries to ship it
    refused = await shop.client.post(f"/v1/orders/{placed.id}/ship", json={}, headers=ADMIN)
    # then 409 order_under_review, and nothing changed
    assert (refused.status_code, refused.json()["code"]) == (409, "order_under_review")
    assert (await shop.read(placed.id))["status"] == "confirmed"
    assert await shop.event_count() == events_before
    assert await shop.available(product.variant_id) == 9
    # once approved it ships
    await shop.payment_event(payment(placed.id, payment_events.PaymentReviewApproved))
    shipped = await shop.client.post(f"/v1/orders/{placed.id}/ship", json={}, headers=ADMIN)
    assert shipped.status_code == 200, shipped.text


async def test_another_customer_cannot_cancel_or_even_see_an_order(shop: OrdersShop) -> None:
    product = await shop.product("10.00")
    placed = await shop.order([(product.variant_id, 1)])
    stranger = await shop.customer()
    refused = await shop.client.post(f"/v1/orders/{placed.id}/cancel", json={}, headers=stranger)
    assert (refused.status_code, refused.json()["code"]) == (404, "order_not_found")
    assert (await shop.read(placed.id))["status"] == "confirmed"
