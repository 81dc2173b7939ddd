"""PayPal webhooks: verified by PayPal's verify-webhook-signature API, mapped to Mercato's
kinds, each about the authorization it concerns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from mercato.agents.payments.providers.base import Card, InvalidWebhook
from mercato.agents.payments.providers.paypal import PayPalProvider
from tests.fakes.paypal_api import FakePayPal
from tests.integration.payments.providers.conftest import authorization, paypal_settings

VISA = Card(number="4242424242424242", exp_month=12, exp_year=2031, cvc="123")


async def _held(paypal: PayPalProvider, key: str = "pay-1:authorize") -> str:
    source = await paypal.tokenize(VISA)
    result = await paypal.authorize(authorization(source.token, key))
    assert result.provider_ref is not None
    return result.provider_ref


async def test_each_payment_event_maps_to_its_kind_and_authorization(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    # given a payment authorized, captured in part, refunded twice in part and disputed
    ref = await _held(paypal)
    await paypal.capture(ref, amount=Decimal("20"), currency="USD", idempotency_key="c")
    await paypal.refund(ref, amount=Decimal("5"), currency="USD", idempotency_key="r1")
    refund = await paypal.refund(ref, amount=Decimal("3"), currency="USD", idempotency_key="r2")
    fake_paypal.dispute(next(iter(fake_paypal.captures)))
    # when PayPal delivers each of its events
    parsed = [await paypal.verify_webhook(*fake_paypal.signed(e)) for e in fake_paypal.events]
    # then each verifies and names the authorization it is about
    assert [(e.kind, e.provider_ref, e.amount) for e in parsed] == [
        ("authorized", ref, Decimal("25.00")),
        ("captured", ref, Decimal("20.00")),
        ("refunded", ref, Decimal("5.00")),
        ("refunded", ref, Decimal("8.00")),  # the total refunded so far
        ("disputed", ref, Decimal("20.00")),
    ]
    assert parsed[3].refund_ref == refund.refund_ref
    assert [e.event_id for e in parsed] == [e["id"] for e in fake_paypal.events]
    assert all(e.provider == "paypal" and e.occurred_at for e in parsed)


async def test_a_voided_authorization_event(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    ref = await _held(paypal)
    await paypal.void(ref, idempotency_key="v")
    event = fake_paypal.events_of("PAYMENT.AUTHORIZATION.VOIDED")[0]
    parsed = await paypal.verify_webhook(*fake_paypal.signed(event))
    assert (parsed.kind, parsed.provider_ref) == ("voided", ref)


@pytest.mark.edge_case("EC005")
async def test_a_duplicate_delivery_has_the_same_event_id(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    # given an event PayPal delivers twice (two transmissions of one event)
    await _held(paypal)
    event = fake_paypal.events[0]
    # when both deliveries are verified
    first = await paypal.verify_webhook(*fake_paypal.signed(event))
    second = await paypal.verify_webhook(*fake_paypal.signed(event))
    # then they are the same event
    assert first.event_id == second.event_id == event["id"]


@pytest.mark.edge_case("EC027")
async def test_a_tampered_body_is_rejected(paypal: PayPalProvider, fake_paypal: FakePayPal) -> None:
    # given a delivery whose amount was changed on the way
    await _held(paypal)
    headers, body = fake_paypal.signed(fake_paypal.events[0])
    tampered = body.replace(b'"value": "25.00"', b'"value": "0.01"')
    assert tampered != body
    # when it is verified, then PayPal says it does not verify
    with pytest.raises(InvalidWebhook):
        await paypal.verify_webhook(headers, tampered)


@pytest.mark.edge_case("EC027")
async def test_a_delivery_older_than_the_tolerance_is_rejected(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    # given a genuine delivery transmitted an hour ago (a replay)
    await _held(paypal)
    old = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    headers, body = fake_paypal.signed(fake_paypal.events[0], transmission_time=old)
    # when it is verified, then it is rejected without asking PayPal
    asked = len(fake_paypal.requests)
    with pytest.raises(InvalidWebhook):
        await paypal.verify_webhook(headers, body)
    assert len(fake_paypal.requests) == asked


async def test_a_delivery_for_another_webhook_is_rejected(fake_paypal: FakePayPal) -> None:
    # given a provider whose webhook id is another one
    provider = PayPalProvider(paypal_settings(fake_paypal, paypal_webhook_id="OTHER0000000000"))
    try:
        await _held(provider)
        # when a delivery signed for the registered webhook arrives, then it is rejected
        with pytest.raises(InvalidWebhook):
            await provider.verify_webhook(*fake_paypal.signed(fake_paypal.events[0]))
    finally:
        await provider.close()


async def test_missing_headers_or_bad_bodies_are_rejected(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    await _held(paypal)
    headers, body = fake_paypal.signed(fake_paypal.events[0])
    no_signature = {k: v for k, v in headers.items() if k != "PAYPAL-TRANSMISSION-SIG"}
    with pytest.raises(InvalidWebhook):
        await paypal.verify_webhook(no_signature, body)
    with pytest.raises(InvalidWebhook):
        await paypal.verify_webhook(headers, b"not json")
    signed_list = fake_paypal.signed({"id": "WH-1"})  # verifies, but has no event type
    with pytest.raises(InvalidWebhook):
        await paypal.verify_webhook(*signed_list)
