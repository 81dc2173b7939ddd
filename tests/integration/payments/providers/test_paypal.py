"""The PayPal provider against a local PayPal: vaulted cards and buyer-approved orders,
capture, void, refund, declines, idempotency, OAuth tokens, outages and lost answers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mercato.agents.payments.providers.base import (
    Card,
    GatewayError,
    GatewayUnavailable,
    OutcomeUnknown,
)
from mercato.agents.payments.providers.paypal import PayPalProvider
from tests.fakes.paypal_api import FakePayPal
from tests.integration.payments.providers.conftest import authorization, paypal_settings

VISA = Card(number="4242424242424242", exp_month=12, exp_year=2031, cvc="123", holder="Ada")


async def _held(paypal: PayPalProvider, key: str = "pay-1:authorize") -> str:
    source = await paypal.tokenize(VISA)
    result = await paypal.authorize(authorization(source.token, key))
    assert result.status == "authorized"
    assert result.provider_ref is not None
    return result.provider_ref


async def test_tokenize_vaults_the_card(paypal: PayPalProvider, fake_paypal: FakePayPal) -> None:
    # when a card is tokenized
    source = await paypal.tokenize(VISA)
    # then it is a vaulted payment token, with brand and last four only
    assert source.token.startswith("vault:")
    assert source.token.removeprefix("vault:") in fake_paypal.vault
    assert (source.brand, source.last4) == ("visa", "4242")
    assert source.fingerprint == (await paypal.tokenize(VISA)).fingerprint


async def test_authorize_then_capture_and_refund_in_full(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    # given 25.00 authorized on a vaulted card
    ref = await _held(paypal)
    order = next(iter(fake_paypal.orders.values()))
    assert order["intent"] == "AUTHORIZE"
    assert order["purchase_units"][0]["custom_id"] == "order-1"
    assert order["purchase_units"][0]["amount"] == {"currency_code": "USD", "value": "25.00"}
    # when it is captured in full, then refunded in full
    taken = await paypal.capture(ref, amount=Decimal("25"), currency="USD", idempotency_key="c")
    refund = await paypal.refund(ref, amount=Decimal("25"), currency="USD", idempotency_key="r")
    # then PayPal captured and refunded it all
    assert (taken.status, taken.provider_ref, taken.amount) == ("captured", ref, Decimal("25.00"))
    assert (refund.status, refund.amount) == ("succeeded", Decimal("25.00"))
    assert fake_paypal.authorizations[ref]["status"] == "CAPTURED"
    assert next(iter(fake_paypal.captures.values()))["status"] == "REFUNDED"


async def test_partial_capture_and_partial_refunds(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    # given 25.00 authorized and 15.00 captured
    ref = await _held(paypal)
    taken = await paypal.capture(ref, amount=Decimal("15"), currency="USD", idempotency_key="c")
    assert taken.amount == Decimal("15.00")
    # when 5.00 then 10.00 are refunded
    await paypal.refund(ref, amount=Decimal("5"), currency="USD", idempotency_key="r1")
    await paypal.refund(ref, amount=Decimal("10"), currency="USD", idempotency_key="r2")
    # then the capture is fully refunded and a further refund is refused
    capture = next(iter(fake_paypal.captures.values()))
    assert (capture["refunded"], capture["status"]) == ("15.00", "REFUNDED")
    with pytest.raises(GatewayError):
        await paypal.refund(ref, amount=Decimal("1"), currency="USD", idempotency_key="r3")
    assert len(fake_paypal.refunds) == 2


async def test_void_releases_the_authorization(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    # given an authorization
    ref = await _held(paypal)
    # when it is voided twice and then a capture is attempted
    voided = await paypal.void(ref, idempotency_key="v1")
    again = await paypal.void(ref, idempotency_key="v2")
    late = await paypal.capture(ref, amount=Decimal("25"), currency="USD", idempotency_key="c")
    # then it is voided, every answer says so, and nothing was captured
    assert voided.status == again.status == late.status == "voided"
    assert fake_paypal.captures == {}


async def test_capture_at_once(paypal: PayPalProvider, fake_paypal: FakePayPal) -> None:
    source = await paypal.tokenize(VISA)
    # when an authorization asks to capture at once
    result = await paypal.authorize(authorization(source.token, capture=True))
    # then it is authorized and captured, and the reference is the authorization
    assert (result.status, result.amount) == ("captured", Decimal("25.00"))
    assert result.provider_ref in fake_paypal.authorizations
    assert len(fake_paypal.captures) == 1


async def test_buyer_approved_order_is_authorized(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    # given an order the buyer approved at PayPal for 25.00
    order_id = fake_paypal.checkout("25.00")
    request = authorization(order_id)
    assert await paypal.lookup(request) is None  # not authorized yet
    # when it is authorized
    result = await paypal.authorize(request)
    # then PayPal authorized it, and lookup finds it
    assert (result.status, result.amount) == ("authorized", Decimal("25.00"))
    found = await paypal.lookup(request)
    assert found is not None
    assert (found.status, found.provider_ref) == ("authorized", result.provider_ref)
    # and authorizing it again, even under another key, authorizes nothing more
    again = await paypal.authorize(authorization(order_id, "pay-1:retry"))
    assert again.provider_ref == result.provider_ref
    assert len(fake_paypal.authorizations) == 1


async def test_buyer_approved_order_for_another_amount_is_declined(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    # given an order the buyer approved for 1.00 only
    order_id = fake_paypal.checkout("1.00")
    # when it is offered to pay 25.00, then it is declined and not authorized
    result = await paypal.authorize(authorization(order_id))
    assert (result.status, result.decline_code) == ("declined", "amount_mismatch")
    assert fake_paypal.authorizations == {}


async def test_unknown_and_declining_orders_are_declined(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    unknown = await paypal.authorize(authorization("NO-SUCH-ORDER"))
    declining = await paypal.authorize(authorization(fake_paypal.checkout("25.00", decline=True)))
    assert (unknown.status, unknown.decline_code) == ("declined", "invalid_token")
    assert (declining.status, declining.decline_code) == ("declined", "card_declined")


async def test_same_request_id_twice_makes_one_order(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    source = await paypal.tokenize(VISA)
    # when the same authorization is sent twice under one key
    first = await paypal.authorize(authorization(source.token, "pay-7:authorize"))
    second = await paypal.authorize(authorization(source.token, "pay-7:authorize"))
    # then PayPal replays its answer: one order, one authorization
    assert first.provider_ref == second.provider_ref
    assert (len(fake_paypal.orders), len(fake_paypal.authorizations)) == (1, 1)


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
    paypal: PayPalProvider, fake_paypal: FakePayPal, number: str, code: str
) -> None:
    source = await paypal.tokenize(Card(number=number, exp_month=1, exp_year=2032, cvc="999"))
    # when a card its issuer declines is authorized
    result = await paypal.authorize(authorization(source.token))
    # then the answer is a decline with its reason, and nothing is held
    assert (result.status, result.decline_code) == ("declined", code)
    assert all(a["status"] == "DENIED" for a in fake_paypal.authorizations.values())


async def test_the_access_token_is_reused_then_renewed(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    # given several calls made
    await _held(paypal)
    assert fake_paypal.token_requests == 1
    # when PayPal stops accepting the token
    fake_paypal.expire_tokens()
    await _held(paypal, "pay-2:authorize")
    # then a new one is fetched once and the call goes through
    assert fake_paypal.token_requests == 2
    assert len(fake_paypal.authorizations) == 2


@pytest.mark.edge_case("EC017")
async def test_gateway_down_is_unavailable_and_nothing_happens(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    source = await paypal.tokenize(VISA)
    # given PayPal answering 503
    fake_paypal.down = True
    # when an authorization is asked for, then PayPal is unavailable
    with pytest.raises(GatewayUnavailable):
        await paypal.authorize(authorization(source.token))
    with pytest.raises(GatewayUnavailable):
        await paypal.tokenize(VISA)
    # and nothing happened at PayPal
    assert fake_paypal.orders == {}


@pytest.mark.edge_case("EC017")
async def test_unreachable_gateway_is_unavailable(fake_paypal: FakePayPal) -> None:
    provider = PayPalProvider(paypal_settings(fake_paypal, paypal_api_base="http://127.0.0.1:9"))
    try:
        with pytest.raises(GatewayUnavailable):
            await provider.authorize(authorization("vault:ANY"))
    finally:
        await provider.close()


@pytest.mark.edge_case("EC004")
async def test_lost_answer_is_unknown_then_lookup_finds_the_authorization(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    source = await paypal.tokenize(VISA)
    request = authorization(source.token, "pay-9:authorize")
    # given PayPal performs the next order but its answer is lost
    fake_paypal.lose_next_answer("/v2/checkout/orders")
    # when it is authorized, then the outcome is unknown
    with pytest.raises(OutcomeUnknown):
        await paypal.authorize(request)
    assert len(fake_paypal.authorizations) == 1
    # and lookup finds the authorization without making another
    found = await paypal.lookup(request)
    assert found is not None
    assert found.status == "authorized"
    assert found.provider_ref in fake_paypal.authorizations
    assert (len(fake_paypal.orders), len(fake_paypal.authorizations)) == (1, 1)


async def test_captures_a_shipment_at_a_time_and_refunds_across_them(
    paypal: PayPalProvider, fake_paypal: FakePayPal
) -> None:
    # given 25.00 authorized, 10.00 captured (not final) then 15.00 (final)
    ref = await _held(paypal)
    first = await paypal.capture(
        ref, amount=Decimal("10"), currency="USD", idempotency_key="c1", final=False
    )
    assert fake_paypal.authorizations[ref]["status"] == "PARTIALLY_CAPTURED"
    last = await paypal.capture(ref, amount=Decimal("15"), currency="USD", idempotency_key="c2")
    assert (first.status, last.status) == ("captured", "captured")
    assert fake_paypal.authorizations[ref]["status"] == "CAPTURED"
    assert [c["final_capture"] for c in fake_paypal.captures.values()] == [False, True]
    # when 20.00 is refunded (more than either capture holds), twice with the same key
    refund = await paypal.refund(ref, amount=Decimal("20"), currency="USD", idempotency_key="r")
    again = await paypal.refund(ref, amount=Decimal("20"), currency="USD", idempotency_key="r")
    # then it was split over the captures once: 20.00 refunded in all
    assert (refund.status, again.status) == ("succeeded", "succeeded")
    refunded = sum(Decimal(r["amount"]["value"]) for r in fake_paypal.refunds.values())
    assert refunded == Decimal("20.00")
