"""Opening a payment and authorizing it at the sandbox: every outcome is recorded, never
raised, and published; the same key asks the gateway once (BR004, EC017)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from mercato.agents.payments import service
from mercato.agents.payments.providers.base import Tokenized
from mercato.kernel.db import UnitOfWork
from mercato.kernel.rules import RuleViolated
from tests.integration.payments.conftest import DECLINED, GATEWAY_DOWN, Pay


async def test_a_good_card_is_authorized_and_announced(pay: Pay) -> None:
    opened = await pay.opened("25.50")
    done = await pay.authorize(opened)
    assert (opened.status, done.status, done.failure_code) == ("pending", "authorized", None)
    assert done.provider_ref and done.card_last4 == "4242" and done.card_brand == "visa"
    [event] = await pay.events("payment.authorized", done.id)
    assert (event["order_id"], event["amount"], event["status"]) == (
        done.order_id, "25.50", "authorized"
    )  # fmt: skip
    assert await pay.operations(done.id) == [("authorize", "succeeded", "25.50")]


async def test_authorizing_again_with_the_same_key_changes_nothing(pay: Pay) -> None:
    opened = await pay.opened()
    first = await pay.authorize(opened, key="same")
    again = await pay.authorize(opened, key="same")  # a resumed saga's stale info
    assert (again.status, again.provider_ref) == ("authorized", first.provider_ref)
    assert len(await pay.events("payment.authorized", first.id)) == 1
    assert (await pay.sandbox.ledger.counts())["authorizations"] == 1


async def test_a_declined_card_fails_with_its_decline_code(pay: Pay) -> None:
    done = await pay.authorized(card=DECLINED)
    assert (done.status, done.failure_code) == ("failed", "card_declined")
    [event] = await pay.events("payment.failed", done.id)
    assert event["failure_code"] == "card_declined"


@pytest.mark.edge_case("EC017")
async def test_gateway_down_fails_the_payment_and_charges_nothing(pay: Pay) -> None:
    # given a card whose gateway is down
    opened = await pay.opened(card=GATEWAY_DOWN)
    # when it is authorized
    done = await pay.authorize(opened)
    # then the payment failed as unreachable, and the gateway holds nothing
    assert (done.status, done.failure_code) == ("failed", "gateway_unavailable")
    assert (await pay.sandbox.ledger.counts())["authorizations"] == 0
    [event] = await pay.events("payment.failed", done.id)
    assert event["failure_code"] == "gateway_unavailable"


@pytest.mark.business_rule("BR004")
async def test_br004_a_payment_must_match_the_order_total(pay: Pay) -> None:
    async def open_wrong(uow: UnitOfWork) -> None:
        await service.open_payment(
            uow,
            payment_id=str(uuid.uuid4()),
            order_id=str(uuid.uuid4()),
            order_total=Decimal("100.00"),
            amount=Decimal("99.99"),
            currency="USD",
            provider="sandbox",
            source=Tokenized("tok_sbx_success"),
            customer_id=None,
            customer_key="guest:x",
            email=None,
            ip=None,
            review_reasons=[],
            now=pay.clock.now(),
        )

    with pytest.raises(RuleViolated) as refused:
        await pay.within(open_wrong)
    assert (refused.value.status, refused.value.code) == (422, "br004_payment_amount_match")

    async def everything(uow: UnitOfWork) -> list[service.PaymentInfo]:
        return await service.list_payments(uow, order_id=None, customer_id=None)

    assert await pay.within(everything, commit=False) == []
