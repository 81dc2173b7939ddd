"""Reconciliation (EC004): a payment whose gateway answer was lost stays `unknown` until the
reconciliation job asks the gateway; a void the gateway could not take is retried."""

from __future__ import annotations

import pytest

from mercato.agents.payments import service
from mercato.agents.payments.reconcile import reconcile_job
from mercato.kernel.db import UnitOfWork
from tests.integration.payments.conftest import LOST_ANSWER, Pay


async def reconcile_later(pay: Pay) -> int:
    """Run the job once the payment's outcome has been unknown long enough."""
    pay.clock.advance(seconds=pay.kernel.settings.payment_reconcile_after + 1)
    return await reconcile_job(pay.kernel)


@pytest.mark.edge_case("EC004")
async def test_a_lost_answer_is_completed_by_reconciliation(pay: Pay) -> None:
    # given a payment the gateway authorized but whose answer was lost
    lost = await pay.authorized(card=LOST_ANSWER)
    assert (lost.status, lost.provider_ref) == ("unknown", None)
    assert await pay.events("payment.authorized", lost.id) == []
    # when the job runs too early, nothing happens; later, it asks the gateway
    assert await reconcile_job(pay.kernel) == 0
    assert await reconcile_later(pay) == 1
    # then the payment is authorized and announced as reconciled (orders confirms the order)
    after = await pay.get(lost.id)
    assert after.status == "authorized" and after.provider_ref
    [event] = await pay.events("payment.authorized", lost.id)
    assert event["reconciled"] is True
    assert await reconcile_later(pay) == 0  # nothing left to do


@pytest.mark.edge_case("EC004")
async def test_reconciliation_fails_a_payment_the_gateway_never_authorized(pay: Pay) -> None:
    # given a payment whose request never reached the gateway (the call timed out first)
    opened = await pay.opened()
    await pay.set_status(opened.id, status="unknown", idempotency_key=f"{opened.id}:authorize")
    # when reconciliation asks the gateway
    assert await reconcile_later(pay) == 1
    # then the payment failed as never authorized, and orders hears of it
    after = await pay.get(opened.id)
    assert (after.status, after.failure_code) == ("failed", "not_authorized")
    [event] = await pay.events("payment.failed", opened.id)
    assert (event["failure_code"], event["reconciled"]) == ("not_authorized", True)
    assert (await pay.sandbox.ledger.counts())["authorizations"] == 0


@pytest.mark.edge_case("EC004")
async def test_a_timeout_before_the_gateway_leaves_the_payment_unknown_then_failed(
    pay: Pay,
) -> None:
    # given a gateway slower than the store waits
    opened = await pay.opened()
    pay.sandbox.latency = 1.0
    pay.kernel.settings.gateway_timeout = 0.05
    unknown = await pay.authorize(opened)
    assert unknown.status == "unknown"
    # when the gateway answers promptly again and reconciliation runs
    pay.sandbox.latency = 0.0
    pay.kernel.settings.gateway_timeout = 10.0
    await reconcile_later(pay)
    # then the request that never arrived is a failed payment
    after = await pay.get(opened.id)
    assert (after.status, after.failure_code) == ("failed", "not_authorized")


@pytest.mark.edge_case("EC004")
async def test_reconciliation_waits_while_the_gateway_is_down(pay: Pay) -> None:
    lost = await pay.authorized(card=LOST_ANSWER)
    pay.sandbox.outage = True
    assert await reconcile_later(pay) == 0
    assert (await pay.get(lost.id)).status == "unknown"
    pay.sandbox.outage = False
    assert await reconcile_later(pay) == 1
    assert (await pay.get(lost.id)).status == "authorized"


@pytest.mark.edge_case("EC021")
async def test_a_void_the_gateway_could_not_take_is_retried(pay: Pay) -> None:
    info = await pay.authorized()
    pay.sandbox.outage = True

    async def void(uow: UnitOfWork) -> service.PaymentInfo:
        return await service.void_at_gateway(
            uow, info=info, idempotency_key=f"{info.id}:void", now=pay.clock.now()
        )

    pending = await pay.within(void)
    assert pending.status == "void_pending"
    pay.sandbox.outage = False
    assert await reconcile_later(pay) == 1
    assert (await pay.get(info.id)).status == "voided"
    assert len(await pay.events("payment.voided", info.id)) == 1


@pytest.mark.edge_case("EC004")
@pytest.mark.edge_case("EC022")
async def test_the_checkout_compensation_voids_an_authorization_whose_answer_was_lost(
    pay: Pay,
) -> None:
    # given the saga's authorize step timed out after the gateway said yes: its info is
    # still "pending" (the step's writes rolled back)
    opened = await pay.opened(card=LOST_ANSWER)
    key = f"saga-{opened.id}:authorize"
    await pay.authorize(opened, key=key)
    await pay.set_status(opened.id, status="pending", idempotency_key=None)

    # when the saga compensates with the step's key + ":void"
    async def void(uow: UnitOfWork) -> service.PaymentInfo:
        return await service.void_at_gateway(
            uow, info=opened, idempotency_key=f"{key}:void", now=pay.clock.now()
        )

    after = await pay.within(void)
    # then the gateway's authorization was found by its key and voided
    assert after.status == "voided" and after.provider_ref
    found = await pay.sandbox.ledger.authorization_by_key(key)
    assert found is not None and found["status"] == "voided"
