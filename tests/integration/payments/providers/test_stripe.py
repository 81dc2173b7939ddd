"""The Stripe provider against a local Stripe: authorize, capture, void, refund, declines,
idempotency, outages and lost answers."""

from __future__ import annotations

import logging
from dataclasses import replace
from decimal import Decimal

import pytest

from mercato.agents.payments.providers.base import (
    Card,
    GatewayError,
    GatewayUnavailable,
    OutcomeUnknown,
)
from mercato.agents.payments.providers.stripe import StripeProvider
from tests.fakes.stripe_api import FakeStripe
from tests.integration.payments.providers.conftest import authorization, stripe_settings

VISA = Card(number="4242424242424242", exp_month=12, exp_year=2031, cvc="123", holder="Ada")


async def test_tokenize_keeps_only_token_brand_last4_and_fingerprint(
    stripe: StripeProvider, fake_stripe: FakeStripe, caplog: pytest.LogCaptureFixture
) -> None:
    # given the SDK's debug logging switched on
    caplog.set_level(logging.DEBUG)
    # when a card is tokenized
    source = await stripe.tokenize(VISA)
    # then a PaymentMethod stands for it, and its number is in no log line
    assert source.token in fake_stripe.payment_methods
    assert (source.brand, source.last4) == ("visa", "4242")
    assert source.fingerprint
    assert (await stripe.tokenize(VISA)).fingerprint == source.fingerprint
    assert VISA.number not in caplog.text


async def test_authorize_then_capture_in_full(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # given a tokenized card
    source = await stripe.tokenize(VISA)
    # when 25.00 is authorized, then captured
    held = await stripe.authorize(authorization(source.token))
    assert held.provider_ref is not None
    taken = await stripe.capture(
        held.provider_ref, amount=Decimal("25.00"), currency="USD", idempotency_key="cap-1"
    )
    # then the intent was held for manual capture, then captured in full
    assert (held.status, held.amount) == ("authorized", Decimal("25.00"))
    assert (taken.status, taken.amount) == ("captured", Decimal("25.00"))
    intent = fake_stripe.payment_intents[held.provider_ref]
    assert (intent["status"], intent["amount_received"], intent["capture_method"]) == (
        "succeeded",
        2500,
        "manual",
    )
    assert intent["metadata"]["reference"] == "order-1"


async def test_partial_capture_then_partial_and_full_refunds(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # given 25.00 authorized and 15.00 of it captured
    held = await stripe.authorize(authorization("pm_card_visa"))
    assert held.provider_ref is not None
    ref = held.provider_ref
    taken = await stripe.capture(ref, amount=Decimal("15"), currency="USD", idempotency_key="c")
    assert (taken.status, taken.amount) == ("captured", Decimal("15.00"))
    # when 5.00 is refunded, then the remaining 10.00
    first = await stripe.refund(ref, amount=Decimal("5"), currency="USD", idempotency_key="r1")
    rest = await stripe.refund(ref, amount=Decimal("10"), currency="USD", idempotency_key="r2")
    # then both refunds succeeded and the charge is fully refunded
    assert (first.status, first.amount) == ("succeeded", Decimal("5.00"))
    assert (rest.status, rest.amount) == ("succeeded", Decimal("10.00"))
    charge = fake_stripe.charges[fake_stripe.payment_intents[ref]["latest_charge"]]
    assert (charge["amount_refunded"], charge["refunded"]) == (1500, True)
    # and a further refund is refused, taking nothing
    with pytest.raises(GatewayError):
        await stripe.refund(ref, amount=Decimal("1"), currency="USD", idempotency_key="r3")
    assert len(fake_stripe.refunds) == 2


async def test_void_cancels_the_authorization_and_repeats_harmlessly(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # given an authorization
    held = await stripe.authorize(authorization("pm_card_visa"))
    assert held.provider_ref is not None
    # when it is voided twice (the second with another key), then a capture is attempted
    voided = await stripe.void(held.provider_ref, idempotency_key="void-1")
    again = await stripe.void(held.provider_ref, idempotency_key="void-2")
    late = await stripe.capture(
        held.provider_ref, amount=Decimal("25"), currency="USD", idempotency_key="cap"
    )
    # then the intent is canceled and every answer says so; nothing was captured
    assert voided.status == again.status == late.status == "voided"
    assert fake_stripe.payment_intents[held.provider_ref]["status"] == "canceled"
    assert fake_stripe.payment_intents[held.provider_ref]["amount_received"] == 0


async def test_capture_at_once_when_the_request_asks(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # when an authorization asks to capture at once
    result = await stripe.authorize(authorization("pm_card_visa", capture=True))
    # then the intent is captured automatically
    assert (result.status, result.amount) == ("captured", Decimal("25.00"))
    assert result.provider_ref is not None
    assert fake_stripe.payment_intents[result.provider_ref]["capture_method"] == "automatic"


async def test_zero_decimal_currency_is_sent_in_its_own_units(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # when 2500 JPY is authorized
    result = await stripe.authorize(authorization("pm_card_visa", amount="2500", currency="JPY"))
    # then Stripe is asked for 2500 (JPY has no minor unit)
    assert result.provider_ref is not None
    assert fake_stripe.payment_intents[result.provider_ref]["amount"] == 2500
    assert result.amount == Decimal("2500")


@pytest.mark.edge_case("EC026")
async def test_same_idempotency_key_twice_makes_one_intent(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # given an authorization already made
    first = await stripe.authorize(authorization("pm_card_visa", "pay-7:authorize"))
    # when it is sent again with the same key (a retry, a resumed saga)
    second = await stripe.authorize(authorization("pm_card_visa", "pay-7:authorize"))
    # then Stripe replays its answer: one intent, the same reference
    assert second.provider_ref == first.provider_ref
    assert len(fake_stripe.payment_intents) == 1
    # and the same key with other parameters is refused, creating nothing
    with pytest.raises(GatewayError):
        await stripe.authorize(authorization("pm_card_visa", "pay-7:authorize", amount="9.00"))
    assert len(fake_stripe.payment_intents) == 1


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("4000000000000002", "card_declined"),
        ("4000000000009995", "insufficient_funds"),
        ("4100000000000019", "fraudulent"),
        ("4000000000000069", "expired_card"),
        ("4000000000000127", "incorrect_cvc"),
    ],
)
async def test_declines_are_answers_with_their_code(
    stripe: StripeProvider, fake_stripe: FakeStripe, number: str, code: str
) -> None:
    # given a card its issuer declines
    source = await stripe.tokenize(Card(number=number, exp_month=1, exp_year=2032, cvc="999"))
    # when it is authorized
    result = await stripe.authorize(authorization(source.token))
    # then the answer is a decline with the issuer's reason, and nothing is held
    assert (result.status, result.decline_code) == ("declined", code)
    assert result.provider_ref is not None
    assert fake_stripe.payment_intents[result.provider_ref]["amount_capturable"] == 0


async def test_declined_test_payment_method(stripe: StripeProvider) -> None:
    # when Stripe's declining test payment method is authorized
    result = await stripe.authorize(authorization("pm_card_chargeDeclinedInsufficientFunds"))
    # then it is declined for insufficient funds
    assert (result.status, result.decline_code) == ("declined", "insufficient_funds")


@pytest.mark.edge_case("EC017")
async def test_gateway_down_is_unavailable_and_nothing_happens(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # given Stripe answering 503
    fake_stripe.down = True
    # when a card is tokenized or an authorization is asked for
    with pytest.raises(GatewayUnavailable):
        await stripe.tokenize(VISA)
    with pytest.raises(GatewayUnavailable):
        await stripe.authorize(authorization("pm_card_visa"))
    # then nothing happened at Stripe
    assert fake_stripe.payment_intents == {}
    assert fake_stripe.payment_methods == {}


@pytest.mark.edge_case("EC017")
async def test_unreachable_gateway_is_unavailable(fake_stripe: FakeStripe) -> None:
    # given a provider pointed at a port nobody listens on
    provider = StripeProvider(stripe_settings(fake_stripe, stripe_api_base="http://127.0.0.1:9"))
    try:
        # when an authorization is asked for, then the gateway is unavailable
        with pytest.raises(GatewayUnavailable):
            await provider.authorize(authorization("pm_card_visa"))
    finally:
        await provider.close()


@pytest.mark.edge_case("EC004")
async def test_lost_answer_is_unknown_then_lookup_finds_the_authorization(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # given Stripe performs the next authorization but its answer is lost
    fake_stripe.lose_next_answer("/v1/payment_intents")
    request = authorization("pm_card_visa", "pay-9:authorize")
    # when it is authorized
    with pytest.raises(OutcomeUnknown):
        await stripe.authorize(request)
    # then it did happen at Stripe, and lookup finds it without authorizing twice
    assert len(fake_stripe.payment_intents) == 1
    found = await stripe.lookup(request)
    assert found is not None
    assert (found.status, found.amount) == ("authorized", Decimal("25.00"))
    assert found.provider_ref in fake_stripe.payment_intents
    assert len(fake_stripe.payment_intents) == 1


@pytest.mark.edge_case("EC004")
@pytest.mark.edge_case("EC019")
async def test_a_lookup_after_stripe_forgot_the_key_searches_and_never_authorizes_again(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # given an authorization whose answer was lost, and a day later Stripe forgot its key
    fake_stripe.lose_next_answer("/v1/payment_intents")
    request = authorization("pm_card_visa", "pay-11:authorize")
    with pytest.raises(OutcomeUnknown):
        await stripe.authorize(request)
    fake_stripe.forget_idempotency_keys()
    late = replace(request, may_replay=False)

    # when it is looked up
    found = await stripe.lookup(late)

    # then the intent is found by the key in its metadata, and no second one is made
    assert found is not None and found.status == "authorized"
    assert len(fake_stripe.payment_intents) == 1
    # and an authorization that never reached Stripe is reported as none
    assert await stripe.lookup(replace(late, idempotency_key="pay-12:authorize")) is None
    assert len(fake_stripe.payment_intents) == 1


async def test_lookup_reports_the_current_state(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # given an authorization since captured
    request = authorization("pm_card_visa", "pay-10:authorize")
    held = await stripe.authorize(request)
    assert held.provider_ref is not None
    await stripe.capture(
        held.provider_ref, amount=Decimal("25"), currency="USD", idempotency_key="c"
    )
    # when it is looked up, then it is reported captured, and nothing new was created
    found = await stripe.lookup(request)
    assert found is not None
    assert (found.status, found.provider_ref) == ("captured", held.provider_ref)
    assert len(fake_stripe.payment_intents) == 1


@pytest.mark.edge_case("EC004")
async def test_lost_capture_answer_is_unknown(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # given an authorization whose capture is performed but its answer lost
    held = await stripe.authorize(authorization("pm_card_visa"))
    assert held.provider_ref is not None
    fake_stripe.lose_next_answer(f"/v1/payment_intents/{held.provider_ref}/capture")
    # when it is captured, then the outcome is unknown
    with pytest.raises(OutcomeUnknown):
        await stripe.capture(
            held.provider_ref, amount=Decimal("25"), currency="USD", idempotency_key="cap-x"
        )
    # and retrying with the same key replays the capture instead of failing
    retried = await stripe.capture(
        held.provider_ref, amount=Decimal("25"), currency="USD", idempotency_key="cap-x"
    )
    assert (retried.status, retried.amount) == ("captured", Decimal("25.00"))


async def test_multicapture_a_shipment_at_a_time(
    stripe: StripeProvider, fake_stripe: FakeStripe
) -> None:
    # given 25.00 authorized (multicapture asked for)
    held = await stripe.authorize(authorization("pm_card_visa"))
    ref = held.provider_ref or ""
    intent = fake_stripe.payment_intents[ref]
    assert intent["payment_method_options"]["card"]["request_multicapture"] == "if_available"
    # when 10.00 is captured (not final), then 5.00 as the final capture
    first = await stripe.capture(
        ref, amount=Decimal("10"), currency="USD", idempotency_key="c1", final=False
    )
    assert (intent["status"], intent["amount_capturable"]) == ("requires_capture", 1500)
    refund = await stripe.refund(ref, amount=Decimal("4"), currency="USD", idempotency_key="r")
    last = await stripe.capture(ref, amount=Decimal("5"), currency="USD", idempotency_key="c2")
    again = await stripe.capture(ref, amount=Decimal("1"), currency="USD", idempotency_key="c3")
    # then each capture answered its own amount, the final one released the rest
    assert (first.status, first.amount) == ("captured", Decimal("10.00"))
    assert refund.status == "succeeded"
    assert (last.status, last.amount) == ("captured", Decimal("5.00"))
    assert (again.status, again.decline_code) == ("declined", "already_captured")
    assert (intent["status"], intent["amount_received"], intent["amount_capturable"]) == (
        "succeeded",
        1500,
        0,
    )
