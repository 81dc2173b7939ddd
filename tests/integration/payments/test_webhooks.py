"""Gateway webhooks over HTTP (EC005): verified by signature, applied once, a duplicate
delivery answers `duplicate: true` and changes nothing, a late one changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.integration.payments.conftest import LOST_ANSWER, Pay

URL = "/v1/payments/webhooks/sandbox"


async def deliver(pay: Pay, kind: str, ref: str | None, **more: object) -> dict[str, object]:
    headers, body = await pay.sandbox.webhook(kind, ref, **more)  # type: ignore[arg-type]
    answer = await pay.client.post(URL, content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    got: dict[str, object] = answer.json()
    return got


@pytest.mark.edge_case("EC005")
async def test_a_duplicate_delivery_is_recognised_and_changes_nothing(pay: Pay) -> None:
    info = await pay.authorized("100.00")
    first = await deliver(pay, "refunded", info.provider_ref, amount=Decimal("10.00"))
    assert (first["duplicate"], first["outcome"]) == (False, "ignored")  # nothing captured
    captured = await deliver(pay, "captured", info.provider_ref, event_id="evt_sbx_same")
    again = await deliver(pay, "captured", info.provider_ref, event_id="evt_sbx_same")
    assert (captured["duplicate"], captured["outcome"]) == (False, "applied")
    assert (again["duplicate"], again["outcome"]) == (True, "duplicate")
    after = await pay.get(info.id)
    assert (after.status, after.captured_amount) == ("captured", Decimal("100.00"))
    assert len(await pay.events("payment.captured", info.id)) == 1


@pytest.mark.edge_case("EC005")
async def test_a_late_delivery_changes_nothing(pay: Pay) -> None:
    info = await pay.captured("100.00")
    late = await deliver(pay, "authorized", info.provider_ref)
    assert late["outcome"] == "ignored"
    assert (await pay.get(info.id)).status == "captured"
    assert len(await pay.events("payment.authorized", info.id)) == 1


@pytest.mark.edge_case("EC005")
@pytest.mark.edge_case("EC004")
async def test_a_webhook_settles_a_payment_whose_answer_was_lost(pay: Pay) -> None:
    lost = await pay.authorized(card=LOST_ANSWER)
    row = await pay.sandbox.ledger.authorization_by_key(f"{lost.id}:authorize")
    assert row is not None
    # the payment has no gateway reference yet: the delivery is recorded, not applied
    assert (await deliver(pay, "authorized", row["id"]))["outcome"] == "ignored"
    await pay.set_status(lost.id, provider_ref=row["id"])
    assert (await deliver(pay, "authorized", row["id"]))["outcome"] == "applied"
    assert (await pay.get(lost.id)).status == "authorized"


async def test_a_refund_made_at_the_gateway_is_recorded_once(pay: Pay) -> None:
    info = await pay.captured("100.00")
    made = await deliver(
        pay, "refunded", info.provider_ref, amount=Decimal("25.00"), refund_ref="re_sbx_x"
    )
    assert made["outcome"] == "applied"
    after = await pay.get(info.id)
    assert (after.status, after.refunded_amount) == ("partially_refunded", Decimal("25.00"))
    again = await deliver(
        pay, "refunded", info.provider_ref, amount=Decimal("25.00"), refund_ref="re_sbx_x"
    )
    assert again["outcome"] == "ignored"  # another event id, the same refund
    assert (await pay.get(info.id)).refunded_amount == Decimal("25.00")


@pytest.mark.edge_case("EC005")
@pytest.mark.edge_case("EC020")
async def test_refund_notices_carry_running_totals_and_count_each_refund_once(pay: Pay) -> None:
    # given a captured payment of 100.00, refunded 30.00 then 20.00 at the gateway
    info = await pay.captured("100.00")

    # when the gateway tells the running totals (30, then 50), one notice late and twice
    first = await deliver(pay, "refunded", info.provider_ref, amount=Decimal("30.00"))
    second = await deliver(pay, "refunded", info.provider_ref, amount=Decimal("50.00"))
    late = await deliver(pay, "refunded", info.provider_ref, amount=Decimal("30.00"))

    # then 50.00 is refunded in all, each refund counted once
    assert [first["outcome"], second["outcome"], late["outcome"]] == [
        "applied",
        "applied",
        "ignored",
    ]
    after = await pay.get(info.id)
    assert (after.status, after.refunded_amount) == ("partially_refunded", Decimal("50.00"))


@pytest.mark.edge_case("EC027")
async def test_a_bad_signature_or_a_stale_delivery_is_refused(pay: Pay) -> None:
    info = await pay.authorized()
    headers, body = await pay.sandbox.webhook("captured", info.provider_ref)
    forged = await pay.client.post(
        URL, content=body.replace(b"captured", b"voided"), headers=headers
    )
    unsigned = await pay.client.post(URL, content=body)
    old_headers, old_body = await pay.sandbox.webhook("voided", info.provider_ref, timestamp=10)
    stale = await pay.client.post(URL, content=old_body, headers=old_headers)
    for answer in (forged, unsigned, stale):
        assert answer.status_code == 400, answer.text
        assert answer.json()["code"] == "invalid_webhook_signature"
    assert (await pay.get(info.id)).status == "authorized"


async def test_a_provider_not_configured_takes_no_webhooks(pay: Pay) -> None:
    answer = await pay.client.post("/v1/payments/webhooks/stripe", content=b"{}")
    assert (answer.status_code, answer.json()["code"]) == (422, "payment_provider_unavailable")
