"""Fraud screening holds a payment for manual review (EC008's 999,999.99, velocity, country
mismatch); the capture waits for an admin's approval; a rejection voids it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mercato.agents.payments import service
from mercato.agents.payments.info import PaymentInfo
from mercato.agents.payments.problems import NotUnderReview, PaymentUnderReview
from mercato.agents.payments.providers.base import Card
from mercato.kernel.db import UnitOfWork
from tests.integration.payments.conftest import GOOD, Pay


async def screen(pay: Pay, **facts: object) -> list[str]:
    values: dict[str, object] = {
        "customer_key": "user:ana",
        "card_fingerprint": "fp-1",
        "ip": "203.0.113.7",
        "amount": Decimal("50.00"),
        "currency": "USD",
        "billing_country": "US",
        "shipping_country": "US",
        "now": pay.clock.now(),
    }
    values.update(facts)

    async def run(uow: UnitOfWork) -> list[str]:
        return await service.screen(uow, **values)  # type: ignore[arg-type]

    reasons: list[str] = await pay.within(run, commit=False)
    return reasons


async def decide(pay: Pay, info: PaymentInfo, decision: str) -> PaymentInfo:
    async def run(uow: UnitOfWork) -> PaymentInfo:
        return await service.decide_review(
            uow,
            info=info,
            decision=decision,  # type: ignore[arg-type]
            now=pay.clock.now(),
        )

    done: PaymentInfo = await pay.within(run)
    return done


async def capture(pay: Pay, info: PaymentInfo) -> PaymentInfo:
    async def run(uow: UnitOfWork) -> PaymentInfo:
        return await service.capture(uow, info=info, now=pay.clock.now())

    done: PaymentInfo = await pay.within(run)
    return done


async def test_a_clean_payment_passes(pay: Pay) -> None:
    assert await screen(pay) == []


@pytest.mark.edge_case("EC008")
async def test_ec008_a_999_999_99_payment_is_held_and_its_capture_refused(pay: Pay) -> None:
    # given a payment of 999,999.99, screened then authorized
    reasons = await screen(pay, amount=Decimal("999999.99"))
    assert reasons == ["amount_threshold"]
    held = await pay.authorized("999999.99", reasons=reasons)
    assert (held.status, held.review, held.review_reasons) == (
        "authorized", "manual_review", ["amount_threshold"]
    )  # fmt: skip
    [event] = await pay.events("payment.review_required", held.id)
    assert (event["reasons"], event["amount"]) == (["amount_threshold"], "999999.99")
    # when it is captured before review, then it is refused and nothing moves
    with pytest.raises(PaymentUnderReview) as refused:
        await capture(pay, held)
    assert (refused.value.status, refused.value.code) == (409, "payment_under_review")
    assert (await pay.get(held.id)).status == "authorized"
    # when an admin approves it, then it can be captured
    approved = await decide(pay, held, "approve")
    assert approved.review == "approved"
    assert (await capture(pay, approved)).captured_amount == Decimal("999999.99")
    assert len(await pay.events("payment.review_approved", held.id)) == 1


async def test_a_rejected_payment_is_voided_and_announced(pay: Pay) -> None:
    held = await pay.authorized(reasons=["country_mismatch"])
    rejected = await decide(pay, held, "reject")
    assert (rejected.status, rejected.review) == ("voided", "rejected")
    assert len(await pay.events("payment.voided", held.id)) == 1
    assert len(await pay.events("payment.review_rejected", held.id)) == 1
    with pytest.raises(NotUnderReview):
        await decide(pay, rejected, "approve")


async def test_velocity_per_customer_card_and_ip(pay: Pay) -> None:
    settings = pay.kernel.settings
    for _ in range(settings.fraud_velocity_per_customer):
        await pay.opened(customer_id="ana")
    reasons = await screen(pay, customer_key="ana", card_fingerprint=None, ip=None)
    assert reasons == ["velocity_customer"]
    # every payment above was paid with the same card: its fingerprint is counted too
    card = (await pay.sandbox.tokenize(Card(GOOD, 1, 2041, "999"))).fingerprint
    reasons = await screen(pay, customer_key="someone-new", card_fingerprint=card)
    assert "velocity_card" in reasons and "velocity_customer" not in reasons


async def test_velocity_counts_only_the_window(pay: Pay) -> None:
    for _ in range(pay.kernel.settings.fraud_velocity_per_customer):
        await pay.opened(customer_id="bo")
    pay.clock.advance(seconds=pay.kernel.settings.fraud_velocity_window + 1)
    assert await screen(pay, customer_key="bo", card_fingerprint=None, ip=None) == []


async def test_billing_and_shipping_countries_that_differ(pay: Pay) -> None:
    assert await screen(pay, billing_country="US", shipping_country="fr") == ["country_mismatch"]
    assert await screen(pay, billing_country="us", shipping_country="US") == []
    assert await screen(pay, billing_country=None, shipping_country="FR") == []
