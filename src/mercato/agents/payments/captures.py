"""Captures: all of an authorization at once (an admin's), or a shipment's part of it at a
time (`order.lines_shipped`, capture mode `on_shipment`), until the final capture releases
what is left; and releasing the rest of a partially captured authorization (a cancelled
order). The gateway is asked first, with the capture's idempotency key, then the payment is
moved by one conditional UPDATE (ADR 4, as in `gateway_calls`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from mercato.agents.payments import records
from mercato.agents.payments.gateway_calls import ask, gateways
from mercato.agents.payments.info import PaymentInfo
from mercato.agents.payments.models import Payment
from mercato.agents.payments.problems import (
    InvalidPaymentAmount,
    PaymentGatewayUnavailable,
    PaymentNotCapturable,
    PaymentUnderReview,
)
from mercato.agents.payments.providers.base import GatewayUnavailable, OutcomeUnknown
from mercato.agents.payments.statuses import (
    CAPTURABLE,
    PaymentStatus,
    TransactionKind,
    TransactionStatus,
)
from mercato.kernel import rules
from mercato.kernel.db import UnitOfWork
from mercato.kernel.money import is_valid_amount


async def capture(
    uow: UnitOfWork,
    *,
    info: PaymentInfo,
    amount: Decimal | None = None,
    now: datetime,
    key: str | None = None,
    final: bool = True,
) -> PaymentInfo:
    """Capture `amount` (None: all that is left) of an authorized or partially captured
    payment, once per `key` (default `<payment id>:capture`, an admin's capture; a shipment's
    is `<payment id>:capture:<shipment id>`). `final`: the last capture, the gateway
    releases what is left and the payment is `captured`; otherwise it is
    `partially_captured` until the authorized amount is reached. The same key again (a
    redelivered event, a retry, a concurrent delivery) answers the payment as it is and
    never captures twice: the gateway replays its answer to the key, and the row is moved
    by one conditional UPDATE on the captured amount it was read with.

    409 `payment_under_review` while fraud screening holds it, 409 `payment_not_capturable`
    unless authorized or partially captured, 422 BR004 above what is left of the
    authorization, 503 `payment_gateway_unavailable` (nothing changed: retry, the key is the
    same). An admin's capture (no `key`) of a payment captured already is refused (409)."""
    keyed, key = key is not None, key or f"{info.id}:capture"
    if info.review == "manual_review":
        raise PaymentUnderReview("an admin must approve the payment before it is captured")
    if keyed and await records.operation(uow, key) is not None:
        return await _current(uow, info)  # this shipment's capture was made already
    if info.status not in CAPTURABLE or info.provider_ref is None:
        raise PaymentNotCapturable(f"the payment is {info.status}, not authorized")
    wanted = info.capturable if amount is None else amount
    if not is_valid_amount(wanted, info.currency):
        raise InvalidPaymentAmount(f"{wanted} is not an amount of {info.currency}")
    await rules.enforce(
        "BR004",
        detail=f"a capture is above 0 and at most what is left of the authorized {info.amount}",
        amount=wanted,
        order_total=info.capturable,
        capture=True,
    )
    provider = gateways(uow).get(info.provider)
    try:
        result = await ask(
            uow,
            provider.capture(
                info.provider_ref,
                amount=wanted,
                currency=info.currency,
                idempotency_key=key,
                final=final,
            ),
        )
    except (GatewayUnavailable, OutcomeUnknown) as exc:
        raise PaymentGatewayUnavailable(f"the capture did not go through: {exc}") from None
    if result.status != "captured":
        if await records.operation(uow, key) is not None:
            return await _current(uow, info)
        raise PaymentNotCapturable(
            f"the gateway refused the capture ({result.decline_code or result.status})"
        )
    return await _record_capture(uow, info, wanted, key, final, result.provider_ref, now)


async def _current(uow: UnitOfWork, info: PaymentInfo) -> PaymentInfo:
    current = await records.get(uow, info.id)
    return PaymentInfo.of(current) if current is not None else info


async def _record_capture(
    uow: UnitOfWork,
    info: PaymentInfo,
    amount: Decimal,
    key: str,
    final: bool,
    provider_ref: str | None,
    now: datetime,
) -> PaymentInfo:
    """Add a capture the gateway made to the payment, once: the UPDATE holds only if the
    captured amount is still the one read here (a concurrent capture moved it: the row lock
    on PostgreSQL makes the second wait and then find it changed); a capture recorded under
    the key already answers the payment as it is."""
    current = await records.get(uow, info.id)
    if current is None:
        raise PaymentNotCapturable(f"no payment {info.id!r}")
    if await records.operation(uow, key) is not None:
        return PaymentInfo.of(current)
    seen = current.captured_amount
    total = seen + amount
    closed = final or total >= current.amount
    status = PaymentStatus.PARTIALLY_CAPTURED
    if closed:
        status = (
            PaymentStatus.CAPTURED
            if current.refunded_amount == 0
            else PaymentStatus.PARTIALLY_REFUNDED
        )
    payment = await records.transition(
        uow,
        info.id,
        from_=CAPTURABLE,
        where=(
            Payment.review.is_distinct_from("manual_review"),
            Payment.captured_amount == seen,
            Payment.amount >= total,
        ),
        now=now,
        status=status,
        captured_amount=total,
    )
    if payment is None:
        current = await records.get(uow, info.id)
        if await records.operation(uow, key) is not None and current is not None:
            return PaymentInfo.of(current)  # a concurrent delivery of this capture won
        if current is not None and current.status == PaymentStatus.CAPTURED and final:
            return PaymentInfo.of(current)  # the gateway's webhook told it first
        raise PaymentNotCapturable("the payment changed while it was being captured")
    await records.record_operation(
        uow,
        payment,
        kind=TransactionKind.CAPTURE,
        status=TransactionStatus.SUCCEEDED,
        amount=amount,
        idempotency_key=key,
        provider_ref=provider_ref,
        now=now,
    )
    rest = payment.amount - payment.captured_amount
    if closed and rest > 0:  # the final capture released the rest of the authorization
        await records.record_operation(
            uow,
            payment,
            kind=TransactionKind.VOID,
            status=TransactionStatus.SUCCEEDED,
            amount=rest,
            idempotency_key=f"{key}:release",
            provider_ref=provider_ref,
            now=now,
        )
    records.publish_captured(uow, payment, amount)
    return PaymentInfo.of(payment)


async def release_rest(uow: UnitOfWork, *, info: PaymentInfo, now: datetime) -> PaymentInfo:
    """Release what is left of a partially captured payment's authorization (its order was
    cancelled after part of it shipped): the captures stay, nothing more can be captured
    (`captured`, or `partially_refunded` if some was refunded). Anything else is returned
    as it is. 503 `payment_gateway_unavailable` when the gateway cannot be reached (nothing
    changed; a retry uses the same key)."""
    if info.status != PaymentStatus.PARTIALLY_CAPTURED or info.provider_ref is None:
        return info
    key = f"{info.id}:release"
    provider = gateways(uow).get(info.provider)
    try:
        result = await ask(uow, provider.void(info.provider_ref, idempotency_key=key))
    except (GatewayUnavailable, OutcomeUnknown) as exc:
        raise PaymentGatewayUnavailable(f"the release did not go through: {exc}") from None
    if result.status not in ("voided", "captured"):
        raise PaymentNotCapturable(
            f"the gateway refused to release the rest ({result.decline_code or result.status})"
        )
    current = await records.get(uow, info.id)
    if current is None or current.status != PaymentStatus.PARTIALLY_CAPTURED:
        return PaymentInfo.of(current) if current is not None else info
    payment = await records.transition(
        uow,
        info.id,
        from_=(PaymentStatus.PARTIALLY_CAPTURED,),
        where=(Payment.captured_amount == current.captured_amount,),
        now=now,
        status=(
            PaymentStatus.CAPTURED
            if current.refunded_amount == 0
            else PaymentStatus.PARTIALLY_REFUNDED
        ),
    )
    if payment is None:
        return await _current(uow, info)
    await records.record_operation(
        uow,
        payment,
        kind=TransactionKind.VOID,
        status=TransactionStatus.SUCCEEDED,
        amount=payment.amount - payment.captured_amount,
        idempotency_key=key,
        provider_ref=payment.provider_ref,
        now=now,
    )
    return PaymentInfo.of(payment)
