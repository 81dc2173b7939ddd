"""Stripe webhooks: `Stripe-Signature` verified by the SDK, events mapped to Mercato's kinds."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from mercato.agents.payments.providers.base import InvalidWebhook
from mercato.agents.payments.providers.stripe import StripeProvider
from tests.fakes.stripe_api import FakeStripe
from tests.integration.payments.providers.conftest import authorization, stripe_settings


async def _authorized(stripe: StripeProvider) -> str:
    held = await stripe.authorize(authorization("pm_card_visa"))
    assert held.provider_ref is not None
    return held.provider_ref


async def test_each_payment_event_maps_to_its_kind(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # given a payment authorized, captured in part, refunded twice in part and disputed
    ref = await _authorized(stripe)
    await stripe.capture(ref, amount=Decimal("20"), currency="USD", idempotency_key="c")
    await stripe.refund(ref, amount=Decimal("5"), currency="USD", idempotency_key="r1")
    refund = await stripe.refund(ref, amount=Decimal("3"), currency="USD", idempotency_key="r2")
    fake_stripe.dispute(ref)
    # when Stripe delivers each of its events
    parsed = [await stripe.verify_webhook(*fake_stripe.signed(e)) for e in fake_stripe.events]
    # then each verifies and says what happened to which intent, for how much
    assert [(e.kind, e.provider_ref, e.amount) for e in parsed] == [
        ("authorized", ref, Decimal("25.00")),
        ("captured", ref, Decimal("20.00")),
        ("refunded", ref, Decimal("5.00")),
        ("refunded", ref, Decimal("8.00")),  # the total refunded so far
        ("disputed", ref, Decimal("20.00")),
    ]
    assert parsed[3].refund_ref == refund.refund_ref
    assert all(e.provider == "stripe" and e.occurred_at for e in parsed)
    assert [e.event_id for e in parsed] == [e["id"] for e in fake_stripe.events]


async def test_void_and_decline_events(stripe: StripeProvider, fake_stripe: FakeStripe) -> None:
    # given an authorization voided and another declined
    ref = await _authorized(stripe)
    await stripe.void(ref, idempotency_key="v")
    await stripe.authorize(authorization("pm_card_chargeDeclined", "pay-2:authorize"))
    # when their events are delivered
    voided = await stripe.verify_webhook(
        *fake_stripe.signed(fake_stripe.events_of("payment_intent.canceled")[0])
    )
    failed = await stripe.verify_webhook(
        *fake_stripe.signed(fake_stripe.events_of("payment_intent.payment_failed")[0])
    )
    # then they read as voided and failed
    assert (voided.kind, voided.provider_ref) == ("voided", ref)
    assert failed.kind == "failed"


@pytest.mark.edge_case("EC005")
async def test_a_duplicate_delivery_has_the_same_event_id(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # given an event Stripe delivers twice (a retry after a slow acknowledgement)
    await _authorized(stripe)
    event = fake_stripe.events[0]
    # when both deliveries are verified (signed at different times)
    first = await stripe.verify_webhook(*fake_stripe.signed(event, timestamp=int(time.time()) - 5))
    second = await stripe.verify_webhook(*fake_stripe.signed(event))
    # then they are the same event
    assert first.event_id == second.event_id == event["id"]
    assert (first.kind, first.provider_ref) == (second.kind, second.provider_ref)


@pytest.mark.edge_case("EC027")
async def test_a_tampered_body_is_rejected(stripe: StripeProvider, fake_stripe: FakeStripe) -> None:
    # given a signed delivery whose body was changed on the way
    await _authorized(stripe)
    headers, body = fake_stripe.signed(fake_stripe.events[0])
    tampered = body.replace(b'"amount": 2500', b'"amount": 1')
    assert tampered != body
    # when it is verified, then it is rejected
    with pytest.raises(InvalidWebhook):
        await stripe.verify_webhook(headers, tampered)


async def test_a_delivery_signed_with_another_secret_is_rejected(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    await _authorized(stripe)
    headers, body = fake_stripe.signed(fake_stripe.events[0], secret="whsec_someone_else")
    with pytest.raises(InvalidWebhook):
        await stripe.verify_webhook(headers, body)


@pytest.mark.edge_case("EC027")
async def test_a_delivery_older_than_the_tolerance_is_rejected(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # given a correctly signed delivery from an hour ago (a replay)
    await _authorized(stripe)
    old = int(time.time()) - 3600
    headers, body = fake_stripe.signed(fake_stripe.events[0], timestamp=old)
    # when it is verified with a 300 s tolerance, then it is rejected
    with pytest.raises(InvalidWebhook):
        await stripe.verify_webhook(headers, body)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Stripe-Signature": "garbage"}, {"Stripe-Signature": "t=1,v0=abc"}],
)
async def test_missing_or_malformed_signatures_are_rejected(
    stripe: StripeProvider, headers: dict[str, str]
) -> None:
    with pytest.raises(InvalidWebhook):
        await stripe.verify_webhook(headers, b'{"id": "evt_1"}')


async def test_a_signed_body_of_the_wrong_shape_is_rejected(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # given a correctly signed body that is not an event
    headers, body = fake_stripe.signed({"id": "evt_x", "type": "payment_intent.succeeded"})
    # when it is verified, then it is rejected for its shape
    with pytest.raises(InvalidWebhook):
        await stripe.verify_webhook(headers, body)


async def test_without_a_webhook_secret_nothing_verifies(fake_stripe: FakeStripe) -> None:
    provider = StripeProvider(stripe_settings(fake_stripe, stripe_webhook_secret=None))
    try:
        headers, body = fake_stripe.signed({"id": "evt_x", "type": "x", "data": {"object": {}}})
        with pytest.raises(InvalidWebhook):
            await provider.verify_webhook(headers, body)
    finally:
        await provider.close()
