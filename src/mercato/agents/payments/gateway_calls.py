"""Asking the gateway, then writing down its answer.

Every function here calls the gateway BEFORE the unit of work's first statement (ADR 4: on
SQLite a writing unit of work holds the store's write lock from its first statement), from a
`PaymentInfo` the caller read beforehand, then records the outcome with conditional updates.
Idempotency keys make a repeated call (a retry, a resumed saga) get the gateway's first
answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import datetime, timedelta
from typing import Any, TypeVar

import structlog

from mercato.agents.payments import records
from mercato.agents.payments.info import PaymentInfo
from mercato.agents.payments.problems import PaymentNotRefundable
from mercato.agents.payments.providers.base import (
    AuthorizationRequest,
    GatewayResult,
    GatewayUnavailable,
    OutcomeUnknown,
    PaymentProvider,
)
from mercato.agents.payments.providers.registry import Gateways
from mercato.agents.payments.statuses import (
    OPEN,
    PaymentStatus,
    TransactionKind,
    TransactionStatus,
)
from mercato.kernel.db import UnitOfWork

log = structlog.get_logger("mercato.payments")
T = TypeVar("T")
VOIDABLE = (*OPEN, PaymentStatus.AUTHORIZED, PaymentStatus.VOID_PENDING)


def gateways(uow: UnitOfWork) -> Gateways:
    """The deployment's payment providers, wired by the payments agent's `setup`."""
    return uow.deps(Gateways)


async def ask(uow: UnitOfWork, call: Awaitable[T]) -> T:
    """A gateway call bounded by `gateway_timeout`: past it, the outcome is unknown."""
    try:
        return await asyncio.wait_for(call, timeout=uow.settings.gateway_timeout)
    except TimeoutError:
        raise OutcomeUnknown("the gateway did not answer in time") from None


KEYS_KEPT = timedelta(hours=23)
"""How long a gateway is trusted to remember an idempotency key (Stripe keeps them 24 h)."""


def authorization_request(
    uow: UnitOfWork, info: PaymentInfo, idempotency_key: str, *, now: datetime | None = None
) -> AuthorizationRequest:
    """The payment's authorization as sent (again). With `now`, a lookup: it may re-send
    the request only while the gateway still remembers the key."""
    immediate = uow.settings.capture_mode == "immediate" and info.review is None
    may_replay = now is None or info.created_at is None or now - info.created_at < KEYS_KEPT
    return AuthorizationRequest(
        token=info.token or "",
        amount=info.amount,
        currency=info.currency,
        idempotency_key=idempotency_key,
        reference=info.order_id,
        email=info.email,
        description=f"order {info.order_id}",
        capture=immediate,
        may_replay=may_replay,
    )


async def authorize_at_gateway(
    uow: UnitOfWork, *, info: PaymentInfo, idempotency_key: str, now: datetime
) -> PaymentInfo:
    """Authorize (or, capture mode `immediate` and no review, capture) at the gateway, then
    record the outcome: authorized | captured | failed (decline code, or
    `gateway_unavailable`, EC017) | unknown (the answer was lost, EC004: reconciliation asks
    later). Never raises for declines or outages. A payment already decided is returned as
    it is."""
    if info.status not in OPEN:
        return info
    provider = gateways(uow).get(info.provider)
    request = authorization_request(uow, info, idempotency_key)
    result: GatewayResult | None = None
    try:
        result = await ask(uow, provider.authorize(request))
    except GatewayUnavailable as exc:
        log.warning("payment_gateway_unavailable", payment_id=info.id, error=str(exc))
        return await record_outcome(uow, info, None, idempotency_key, now, down=True)
    except OutcomeUnknown as exc:
        log.warning("payment_outcome_unknown", payment_id=info.id, error=str(exc))
    return await record_outcome(uow, info, result, idempotency_key, now)


_OPERATION_STATUS = {
    PaymentStatus.FAILED: TransactionStatus.FAILED,
    PaymentStatus.UNKNOWN: TransactionStatus.UNKNOWN,
}
"""An authorization's operation status, by the payment status it ended in (else succeeded)."""


async def record_outcome(
    uow: UnitOfWork,
    info: PaymentInfo,
    result: GatewayResult | None,
    idempotency_key: str,
    now: datetime,
    *,
    down: bool = False,
    reconciled: bool = False,
    missing: bool = False,
) -> PaymentInfo:
    """Write an authorization's outcome (`result` None: unknown; `down`: unreachable;
    `missing`: the gateway has no such authorization) and publish its event."""
    values: dict[str, Any] = {"idempotency_key": idempotency_key}
    if down:
        values.update(status=PaymentStatus.FAILED, failure_code="gateway_unavailable")
    elif missing:
        values.update(status=PaymentStatus.FAILED, failure_code="not_authorized")
    elif result is None:
        values.update(status=PaymentStatus.UNKNOWN)
    elif result.status in ("authorized", "captured"):
        values.update(status=result.status, provider_ref=result.provider_ref)
        if result.status == "captured":
            values["captured_amount"] = min(result.amount, info.amount)
    elif result.status == "voided":
        values.update(status=PaymentStatus.VOIDED, provider_ref=result.provider_ref)
    else:
        values.update(
            status=PaymentStatus.FAILED,
            provider_ref=result.provider_ref,
            failure_code=result.decline_code or "card_declined",
        )
    payment = await records.move(uow, info.id, from_=OPEN, now=now, **values)
    if payment is None:  # decided meanwhile (reconciliation, a webhook, a retry): as it is
        current = await records.get(uow, info.id)
        return PaymentInfo.of(current) if current is not None else info
    await records.record_operation(
        uow,
        payment,
        kind=TransactionKind.AUTHORIZE,
        status=_OPERATION_STATUS.get(PaymentStatus(payment.status), TransactionStatus.SUCCEEDED),
        amount=payment.amount,
        idempotency_key=idempotency_key,
        provider_ref=payment.provider_ref,
        failure_code=payment.failure_code,
        now=now,
        first=info.status == PaymentStatus.PENDING,  # it never reached the gateway before
    )
    records.publish_outcome(uow, payment, reconciled=reconciled)
    return payment


async def void_at_gateway(
    uow: UnitOfWork,
    *,
    info: PaymentInfo,
    idempotency_key: str,
    now: datetime,
    authorization_key: str | None = None,
) -> PaymentInfo:
    """Undo an authorization that may exist (the checkout's compensation, a cancelled order,
    a rejected review). Without a gateway reference (pending, unknown) the gateway is asked
    first, by the authorization's key (`authorization_key`, else the payment's, else
    `idempotency_key` less its ":void"): nothing there → voided. Captured at once → refunded
    in full. Gateway down → `void_pending` (reconciliation retries), never raises. Nothing
    to do (voided, failed, refunded) → the payment as it is."""
    if info.status not in (*VOIDABLE, PaymentStatus.CAPTURED):
        return info
    provider = gateways(uow).get(info.provider)
    auth_key = authorization_key or info.idempotency_key or idempotency_key.removesuffix(":void")
    try:
        found = await _current_at_gateway(uow, provider, info, auth_key)
        if found is None or found.status in ("declined", "voided"):
            return await _mark_voided(uow, info, found, idempotency_key, now)
        if found.status == "captured":
            return await _refund_all(uow, provider, info, found, idempotency_key, now)
        assert found.provider_ref is not None
        result = await ask(uow, provider.void(found.provider_ref, idempotency_key=idempotency_key))
    except (GatewayUnavailable, OutcomeUnknown) as exc:
        log.warning("payment_void_pending", payment_id=info.id, error=str(exc))
        payment = await records.transition(
            uow,
            info.id,
            from_=(*VOIDABLE, PaymentStatus.CAPTURED),
            now=now,
            status=PaymentStatus.VOID_PENDING,
        )
        return PaymentInfo.of(payment) if payment is not None else info
    if result.status == "voided":
        return await _mark_voided(uow, info, result, idempotency_key, now)
    log.error("payment_void_refused", payment_id=info.id, decline_code=result.decline_code)
    current = await records.get(uow, info.id)
    return PaymentInfo.of(current) if current is not None else info


async def _current_at_gateway(
    uow: UnitOfWork, provider: PaymentProvider, info: PaymentInfo, auth_key: str
) -> GatewayResult | None:
    """What the gateway holds for this payment (a known reference is taken as authorized or
    captured, as recorded; otherwise it is looked up by the authorization's key)."""
    if info.provider_ref and info.status in (
        PaymentStatus.AUTHORIZED,
        PaymentStatus.CAPTURED,
        PaymentStatus.VOID_PENDING,
    ):
        if info.captured_amount > 0:  # captured (perhaps then left void_pending): refund it
            return GatewayResult("captured", info.provider_ref, info.captured_amount)
        return GatewayResult("authorized", info.provider_ref, info.amount)
    request = authorization_request(uow, info, auth_key, now=uow.clock.now())
    return await ask(uow, provider.lookup(request))


async def _mark_voided(
    uow: UnitOfWork,
    info: PaymentInfo,
    result: GatewayResult | None,
    key: str,
    now: datetime,
) -> PaymentInfo:
    extra: dict[str, Any] = (
        {"provider_ref": result.provider_ref} if result and result.provider_ref else {}
    )
    payment = await records.transition(
        uow, info.id, from_=VOIDABLE, now=now, status=PaymentStatus.VOIDED, **extra
    )
    if payment is None:
        current = await records.get(uow, info.id)
        return PaymentInfo.of(current) if current is not None else info
    await records.record_operation(
        uow,
        payment,
        kind=TransactionKind.VOID,
        status=TransactionStatus.SUCCEEDED,
        amount=payment.amount,
        idempotency_key=key,
        provider_ref=payment.provider_ref,
        now=now,
    )
    records.publish_voided(uow, payment)
    return PaymentInfo.of(payment)


async def _refund_all(
    uow: UnitOfWork,
    provider: PaymentProvider,
    info: PaymentInfo,
    found: GatewayResult,
    key: str,
    now: datetime,
) -> PaymentInfo:
    """A payment captured at once (capture mode `immediate`) is given back in full."""
    assert found.provider_ref is not None
    amount = found.amount - info.refunded_amount
    refund = await ask(
        uow,
        provider.refund(
            found.provider_ref,
            amount=amount,
            currency=info.currency,
            idempotency_key=f"{key}:refund",
        ),
    )
    if refund.status == "failed":  # raised, so the caller (a compensation, a handler) retries
        raise PaymentNotRefundable(f"the gateway refused to refund payment {info.id}")
    payment = await records.transition(
        uow,
        info.id,
        from_=(*VOIDABLE, PaymentStatus.CAPTURED),
        now=now,
        status=PaymentStatus.REFUNDED,
        provider_ref=found.provider_ref,
        captured_amount=found.amount,
        refunded_amount=found.amount,
    )
    if payment is None:
        current = await records.get(uow, info.id)
        return PaymentInfo.of(current) if current is not None else info
    tx = await records.record_operation(
        uow,
        payment,
        kind=TransactionKind.REFUND,
        status=(
            TransactionStatus.SUCCEEDED
            if refund.status == "succeeded"
            else TransactionStatus.PENDING
        ),
        amount=amount,
        idempotency_key=key,
        provider_ref=refund.refund_ref,
        now=now,
    )
    records.publish_refunded(uow, payment, amount, tx.id)
    return PaymentInfo.of(payment)
