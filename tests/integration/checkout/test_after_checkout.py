"""What happens to a checked-out order and its payment afterwards: modified (the payment
follows its total), shipped (captured), cancelled (voided), reconciled (EC004), held for
fraud review (EC008)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from mercato.agents.payments import reconcile
from mercato.agents.payments.service import gateways
from tests.integration.checkout.conftest import LOST_ANSWER, Checkout
from tests.integration.identity.conftest import ADMIN
from tests.support.store import settle


async def _checked_out(
    checkout: Checkout, price: str = "10.00", quantity: int = 2, number: str | None = None
) -> tuple[dict[str, Any], dict[str, str], Any]:
    product = await checkout.shop.product(price, stock=10)
    cart, headers = await checkout.filled_cart((product, quantity))
    answer = await (
        checkout.post(cart, headers, number) if number else checkout.post(cart, headers)
    )
    assert answer.status_code in {201, 202}, answer.text
    return answer.json()["order"], headers, product


async def _payments(checkout: Checkout, order_id: str) -> list[dict[str, Any]]:
    listed = await checkout.client.get(f"/v1/payments?order_id={order_id}", headers=ADMIN)
    assert listed.status_code == 200, listed.text
    items: list[dict[str, Any]] = listed.json()["items"]
    return items


@pytest.mark.business_rule("BR004")
async def test_a_lower_order_total_lowers_the_payment_and_the_capture_takes_just_that(
    checkout: Checkout,
) -> None:
    # given a confirmed order of 2 x 10.00 (+ 5.00 shipping)
    order, headers, _ = await _checked_out(checkout)
    [line] = order["lines"]

    # when the shopper takes one unit off, and the order ships
    changed = await checkout.client.patch(
        f"/v1/orders/{order['id']}",
        json={"lines": [{"line_id": line["id"], "quantity": 1}]},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["total"] == "15.00"
    shipped = await checkout.client.post(f"/v1/orders/{order['id']}/ship", json={}, headers=ADMIN)
    assert shipped.status_code == 200, shipped.text
    await settle(checkout.shop.kernel)

    # then the payment equals the order's new total, and that is what was captured
    [payment] = await _payments(checkout, order["id"])
    assert (payment["amount"], payment["status"]) == ("15.00", "captured")
    assert payment["captured_amount"] == "15.00"


@pytest.mark.business_rule("BR004")
async def test_a_higher_order_total_is_authorized_anew_and_the_old_authorization_voided(
    checkout: Checkout,
) -> None:
    # given a confirmed order of 2 x 10.00
    order, headers, _ = await _checked_out(checkout)
    [line] = order["lines"]

    # when the shopper wants 3
    changed = await checkout.client.patch(
        f"/v1/orders/{order['id']}",
        json={"lines": [{"line_id": line["id"], "quantity": 3}]},
        headers=headers,
    )

    # then the new total is authorized, and the first authorization voided once the change
    # committed (by reconciliation)
    assert changed.status_code == 200, changed.text
    assert changed.json()["total"] == "35.00"
    kernel = checkout.shop.kernel
    assert sorted(p["status"] for p in await _payments(checkout, order["id"])) == [
        "authorized",
        "void_pending",
    ]
    await reconcile.reconcile_unknown(kernel.uow, now=kernel.clock.now() + timedelta(minutes=1))
    await settle(kernel)
    payments = await _payments(checkout, order["id"])
    assert sorted((p["amount"], p["status"]) for p in payments) == [
        ("25.00", "voided"),
        ("35.00", "authorized"),
    ]
    read = await checkout.client.get(f"/v1/orders/{order['id']}", headers=headers)
    assert read.json()["payment_status"] == "authorized"


@pytest.mark.edge_case("EC017")
@pytest.mark.edge_case("EC025")
async def test_a_higher_total_the_gateway_cannot_authorize_changes_nothing(
    checkout: Checkout,
) -> None:
    # given a confirmed order, and a gateway that goes down
    order, headers, product = await _checked_out(checkout)
    [line] = order["lines"]
    sandbox = gateways(checkout.shop.kernel.uow()).get("sandbox")
    sandbox.outage = True  # type: ignore[attr-defined]

    # when the shopper wants more
    changed = await checkout.client.patch(
        f"/v1/orders/{order['id']}",
        json={"lines": [{"line_id": line["id"], "quantity": 3}]},
        headers=headers,
    )

    # then 503, and the order, its stock and its payment are as they were
    assert changed.status_code == 503, changed.text
    assert changed.json()["code"] == "payment_gateway_unavailable"
    read = (await checkout.client.get(f"/v1/orders/{order['id']}", headers=headers)).json()
    assert (read["total"], read["lines"][0]["quantity"]) == ("25.00", 2)
    assert (await checkout.level(product))["reserved"] == 2
    assert [(p["amount"], p["status"]) for p in await _payments(checkout, order["id"])] == [
        ("25.00", "authorized")
    ]


async def test_a_cancelled_order_gives_its_stock_back_and_voids_its_payment(
    checkout: Checkout,
) -> None:
    order, headers, product = await _checked_out(checkout)

    cancelled = await checkout.client.post(
        f"/v1/orders/{order['id']}/cancel", json={"reason": "customer_request"}, headers=headers
    )

    assert cancelled.status_code == 200, cancelled.text
    await settle(checkout.shop.kernel)
    assert (await checkout.level(product))["reserved"] == 0
    [payment] = await _payments(checkout, order["id"])
    assert payment["status"] == "voided"
    read = (await checkout.client.get(f"/v1/orders/{order['id']}", headers=headers)).json()
    assert (read["status"], read["payment_status"]) == ("cancelled", "voided")


@pytest.mark.business_rule("BR006")
async def test_a_shipped_order_cannot_be_cancelled(checkout: Checkout) -> None:
    order, headers, product = await _checked_out(checkout)
    shipped = await checkout.client.post(f"/v1/orders/{order['id']}/ship", json={}, headers=ADMIN)
    assert shipped.status_code == 200, shipped.text

    refused = await checkout.client.post(
        f"/v1/orders/{order['id']}/cancel", json={"reason": "customer_request"}, headers=headers
    )

    assert refused.status_code == 409, refused.text
    assert refused.json()["code"].startswith("br006")
    level = await checkout.level(product)
    assert (level["on_hand"], level["reserved"]) == (8, 0)


@pytest.mark.edge_case("EC004")
async def test_a_payment_whose_answer_was_lost_is_reconciled_into_a_confirmed_order(
    checkout: Checkout,
) -> None:
    # given a checkout whose gateway said yes but whose answer was lost
    order, headers, product = await _checked_out(checkout, number=LOST_ANSWER)

    # then the order waits, pending, its stock held
    assert (order["status"], order["payment_status"]) == ("pending", "pending")
    assert (await checkout.level(product))["reserved"] == 2

    # when reconciliation asks the gateway
    kernel = checkout.shop.kernel
    await reconcile.reconcile_unknown(kernel.uow, now=kernel.clock.now() + timedelta(minutes=1))
    await settle(kernel)

    # then the payment is authorized and the order confirmed, its stock allocated
    read = (await checkout.client.get(f"/v1/orders/{order['id']}", headers=headers)).json()
    assert (read["status"], read["payment_status"]) == ("confirmed", "authorized")
    [payment] = await _payments(checkout, order["id"])
    assert payment["status"] == "authorized"
    assert (await checkout.level(product))["reserved"] == 2


@pytest.mark.edge_case("EC008")
async def test_a_very_large_order_is_confirmed_but_held_for_review(checkout: Checkout) -> None:
    # given a cart worth 999,999.99
    product = await checkout.shop.product("999999.99", stock=2)
    cart, headers = await checkout.filled_cart((product, 1))
    assert Decimal(cart["total"]) == Decimal("999999.99")  # shipping is free over 75.00

    # when it is checked out
    answer = await checkout.post(cart, headers)

    # then the order is confirmed but held for review; its capture is refused until approved
    assert answer.status_code == 201, answer.text
    order = answer.json()["order"]
    assert order["review"] == "manual_review"
    shipped = await checkout.client.post(f"/v1/orders/{order['id']}/ship", json={}, headers=ADMIN)
    assert shipped.status_code == 409, shipped.text
    assert shipped.json()["code"] == "order_under_review"
