"""Gateway webhooks, verified by the provider (`verify_webhook`), recorded once per
(provider, event id) and applied to the payment they name by its gateway reference.

A second delivery of an event changes nothing (EC005: gateways deliver at least once). A late
delivery about a state the payment has left (authorized, arriving after the capture) changes
nothing either: every change is a conditional transition from the states it may follow.
A capture of PART of the authorization (a shipment's) is recorded, not applied: Mercato
records its own captures under their keys, and applying the gateway's news too could count
one twice (or close an authorization more shipments will capture from).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mercato.agents.payments import records
from mercato.agents.payments.models import Payment, PaymentTransaction, WebhookDelivery
from mercato.agents.payments.providers.base import WebhookEvent
from mercato.agents.payments.statuses import PaymentStatus, TransactionKind, TransactionStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

FOLLOWS: dict[str, tuple[str, ...]] = {
    "authorized": (PaymentStatus.PENDING, PaymentStatus.UNKNOWN),
    "captured": (PaymentStatus.PENDING, PaymentStatus.UNKNOWN, PaymentStatus.AUTHORIZED),
    "voided": (
        PaymentStatus.PENDING,
        PaymentStatus.UNKNOWN,
        PaymentStatus.AUTHORIZED,
        PaymentStatus.VOID_PENDING,
    ),
    "failed": (PaymentStatus.PENDING, PaymentStatus.UNKNOWN),
}
"""The statuses each kind of news may move a payment from."""


@dataclass(frozen=True)
class Receipt:
    event_id: str
    duplicate: bool
    outcome: str
    """applied | ignored | recorded (nothing to apply) | duplicate."""
    payment_id: str | None = None


async def receive(uow: UnitOfWork, *, event: WebhookEvent, now: datetime) -> Receipt:
    """Record the delivery and apply it, once."""
    delivery = WebhookDelivery(
        id=new_id(),
        provider=event.provider,
        event_id=event.event_id[:255],
        kind=event.kind,
        provider_ref=event.provider_ref,
        outcome="received",
        received_at=now,
    )
    try:
        async with uow.session.begin_nested():
            uow.session.add(delivery)
            await uow.session.flush()
    except IntegrityError:
        return Receipt(event.event_id, duplicate=True, outcome="duplicate")
    payment = None
    if event.provider_ref:
        payment = await uow.session.scalar(
            select(Payment).where(
                Payment.provider == event.provider, Payment.provider_ref == event.provider_ref
            )
        )
    outcome = "ignored" if payment is None else await _apply(uow, payment, event, now)
    delivery.outcome, delivery.processed_at = outcome, now
    await uow.session.flush()
    return Receipt(
        event.event_id, duplicate=False, outcome=outcome, payment_id=payment.id if payment else None
    )


async def _apply(uow: UnitOfWork, payment: Payment, event: WebhookEvent, now: datetime) -> str:
    if event.kind == "refunded":
        return await _refunded(uow, payment, event, now)
    sources = FOLLOWS.get(event.kind)
    if sources is None:
        return "recorded"
    if event.kind == "captured" and event.amount is not None and event.amount < payment.amount:
        return "recorded"
    values: dict[str, Any] = {"status": event.kind}
    if event.kind == "captured":
        values["captured_amount"] = min(event.amount or payment.amount, payment.amount)
    if event.kind == "failed":
        values["failure_code"] = "gateway_failed"
    moved = await records.transition(uow, payment.id, from_=sources, now=now, **values)
    if moved is None:
        return "ignored"
    if event.kind == "voided":
        records.publish_voided(uow, moved)
    elif event.kind == "captured":
        records.publish_captured(uow, moved, moved.captured_amount)
    else:
        records.publish_outcome(uow, moved)
    return "applied"


async def _refunded(uow: UnitOfWork, payment: Payment, event: WebhookEvent, now: datetime) -> str:
    """A refund made outside Mercato (the gateway's dashboard) is recorded; one Mercato made
    (its gateway reference is known) is not counted twice. The event's amount is the total
    refunded so far, so only what exceeds the refunds already recorded is new."""
    if event.refund_ref:
        known = await uow.session.scalar(
            select(PaymentTransaction.id).where(
                PaymentTransaction.payment_id == payment.id,
                PaymentTransaction.provider_ref == event.refund_ref,
            )
        )
        if known is not None:
            return "ignored"
    if event.amount is None or event.amount > payment.captured_amount:
        return "ignored"
    total = event.amount
    amount = total - payment.refunded_amount
    if amount <= 0:  # nothing Mercato does not know of already
        return "ignored"
    moved = await records.transition(
        uow,
        payment.id,
        from_=(PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED),
        where=(Payment.refunded_amount == payment.refunded_amount,),
        now=now,
        refunded_amount=total,
        status=PaymentStatus.REFUNDED
        if total >= payment.captured_amount
        else PaymentStatus.PARTIALLY_REFUNDED,
    )
    if moved is None:
        return "ignored"
    tx = await records.record_operation(
        uow,
        moved,
        kind=TransactionKind.REFUND,
        status=TransactionStatus.SUCCEEDED,
        amount=amount,
        idempotency_key=f"webhook:{event.provider}:{event.refund_ref or event.event_id}"[:160],
        provider_ref=event.refund_ref,
        now=now,
    )
    records.publish_refunded(uow, moved, amount, tx.id)
    return "applied"
