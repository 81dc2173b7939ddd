"""The payments routes: who sees which payments, captures, refunds and review decisions
over HTTP, and the problems they answer."""

from __future__ import annotations

from tests.integration.identity.conftest import ADMIN, sign_up
from tests.integration.payments.conftest import Pay


async def test_a_customer_sees_only_their_own_payments_staff_see_all(pay: Pay) -> None:
    ana = await sign_up(pay.client)
    bo = await sign_up(pay.client)
    support = await sign_up(pay.client, "support")
    mine = await pay.authorized(customer_id=ana.id)
    await pay.authorized(customer_id=bo.id)

    own = await pay.client.get("/v1/payments", headers=ana.headers)
    by_order = await pay.client.get(
        "/v1/payments", params={"order_id": mine.order_id}, headers=ana.headers
    )
    not_hers = await pay.client.get(
        "/v1/payments", params={"order_id": mine.order_id}, headers=bo.headers
    )
    everything = await pay.client.get("/v1/payments", headers=support.headers)

    assert [p["id"] for p in own.json()["items"]] == [mine.id]
    [payment] = by_order.json()["items"]
    assert (payment["status"], payment["amount"], payment["card_last4"]) == (
        "authorized", "100.00", "4242"
    )  # fmt: skip
    assert "token" not in payment and "card_fingerprint" not in payment
    assert not_hers.json() == {"items": [], "next_cursor": None}
    assert len(everything.json()["items"]) == 2
    # and staff page through them newest first, one at a time
    first = await pay.client.get("/v1/payments", params={"limit": 1}, headers=support.headers)
    second = await pay.client.get(
        "/v1/payments",
        params={"limit": 1, "cursor": first.json()["next_cursor"]},
        headers=support.headers,
    )
    paged = [p["id"] for p in first.json()["items"] + second.json()["items"]]
    assert paged == [p["id"] for p in everything.json()["items"]]
    assert second.json()["next_cursor"] is None
    anonymous = await pay.client.get("/v1/payments")
    assert anonymous.status_code == 401


async def test_an_admin_captures_part_then_support_refunds(pay: Pay) -> None:
    info = await pay.authorized("100.00")
    support = await sign_up(pay.client, "support")

    captured = await pay.client.post(
        f"/v1/payments/{info.id}/capture", json={"amount": "75.00"}, headers=ADMIN
    )
    assert captured.status_code == 200, captured.text
    assert (captured.json()["status"], captured.json()["captured_amount"]) == ("captured", "75.00")
    refused = await pay.client.post(f"/v1/payments/{info.id}/capture", headers=support.headers)
    assert refused.status_code == 403

    refunded = await pay.client.post(
        f"/v1/payments/{info.id}/refunds",
        json={"amount": "25.00"},
        headers={**support.headers, "idempotency-key": "r-1"},
    )
    replayed = await pay.client.post(
        f"/v1/payments/{info.id}/refunds",
        json={"amount": "25.00"},
        headers={**support.headers, "idempotency-key": "r-1"},
    )
    too_much = await pay.client.post(
        f"/v1/payments/{info.id}/refunds", json={"amount": "50.01"}, headers=support.headers
    )
    assert refunded.status_code == 201, refunded.text
    assert refunded.json()["payment"]["refunded_amount"] == "25.00"
    assert replayed.json()["refund_id"] == refunded.json()["refund_id"]
    assert (too_much.status_code, too_much.json()["code"]) == (409, "refund_exceeds_captured")
    assert (await pay.get(info.id)).refunded_amount == 25


async def test_review_decisions_over_http(pay: Pay) -> None:
    held = await pay.authorized(reasons=["amount_threshold"])
    blocked = await pay.client.post(f"/v1/payments/{held.id}/capture", headers=ADMIN)
    assert (blocked.status_code, blocked.json()["code"]) == (409, "payment_under_review")
    approved = await pay.client.post(
        f"/v1/payments/{held.id}/review", json={"decision": "approve"}, headers=ADMIN
    )
    assert approved.json()["review"] == "approved"
    captured = await pay.client.post(f"/v1/payments/{held.id}/capture", headers=ADMIN)
    assert captured.json()["status"] == "captured"


async def test_an_unknown_payment_is_404(pay: Pay) -> None:
    answer = await pay.client.post(
        "/v1/payments/00000000-0000-0000-0000-000000000000/capture", headers=ADMIN
    )
    assert (answer.status_code, answer.json()["code"]) == (404, "payment_not_found")
