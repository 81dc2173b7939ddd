"""How payment rows change: conditional transitions (`WHERE status IN …`, so concurrent
callers and late news never move a payment backwards), the gateway operations' records, and
the events, published with the order id as their aggregate."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm.util import identity_key

from mercato.agents.payments import events
from mercato.agents.payments.info import PaymentInfo
from mercato.agents.payments.models import Payment, PaymentTransaction
from mercato.agents.payments.statuses import PaymentStatus, TransactionKind, TransactionStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from mercato.kernel.money import round_money
from mercato.kernel.prepared import EntityInsert, Prepared
from mercato.kernel.store_sql import in_store


async def get(uow: UnitOfWork, payment_id: str) -> Payment | None:
    return await uow.session.get(Payment, payment_id, populate_existing=True)


async def transition(
    uow: UnitOfWork,
    payment_id: str,
    *,
    from_: tuple[str, ...],
    now: datetime,
    where: tuple[Any, ...] = (),
    **values: Any,
) -> Payment | None:
    """Move the payment if its status is one of `from_` (and `where` holds): the payment
    after, or None when it was elsewhere (nothing changed). One statement."""
    moved = await uow.session.scalars(
        update(Payment)
        .where(Payment.id == payment_id, Payment.status.in_(from_), *where)
        .values(updated_at=now, **values)
        .returning(Payment),
        execution_options={"populate_existing": True, "synchronize_session": False},
    )
    return moved.first()


async def move(
    uow: UnitOfWork, payment_id: str, *, from_: tuple[str, ...], now: datetime, **values: Any
) -> PaymentInfo | None:
    """`transition` for a hot path (checkout's authorization): the same conditional UPDATE,
    prepared once per shape (the statuses it moves from, the columns it sets), answering the
    payment as `PaymentInfo`. A payment the session holds as an entity goes through
    `transition`, so the entity never goes stale."""
    if identity_key(Payment, payment_id) in uow.session.identity_map:
        moved = await transition(uow, payment_id, from_=from_, now=now, **values)
        return None if moved is None else PaymentInfo.of(moved)
    shape = (len(from_), tuple(sorted(values)))
    prepared = _MOVES.get(shape)
    if prepared is None:
        prepared = _MOVES[shape] = _move(*shape)
    statuses = {f"from_{i}": status for i, status in enumerate(from_)}
    row = await prepared.first(uow, payment_id=payment_id, now=now, **statuses, **values)
    return None if row is None else PaymentInfo.of(row)


def _move(statuses: int, columns: tuple[str, ...]) -> Prepared:
    table = cast(Table, Payment.__table__)
    return Prepared(
        in_store(
            update(table)
            .where(
                table.c.id == bindparam("payment_id"),
                table.c.status.in_([bindparam(f"from_{i}") for i in range(statuses)]),
            )
            .values(updated_at=bindparam("now"), **{c: bindparam(c) for c in columns})
            .returning(*table.c)
        )
    )


_MOVES: dict[tuple[int, tuple[str, ...]], Prepared] = {}


async def record_operation(
    uow: UnitOfWork,
    payment: Payment | PaymentInfo,
    *,
    kind: TransactionKind,
    status: TransactionStatus,
    amount: Decimal,
    idempotency_key: str,
    now: datetime,
    provider_ref: str | None = None,
    failure_code: str | None = None,
    first: bool = False,
) -> PaymentTransaction:
    """The gateway operation made with `idempotency_key` (updated if one was recorded with it
    already, e.g. an authorization whose answer was lost, then found; `first`: the caller
    knows none was)."""
    found = (
        None
        if first
        else await uow.session.scalar(
            select(PaymentTransaction).where(PaymentTransaction.idempotency_key == idempotency_key)
        )
    )
    if found is None:  # written without the ORM's flush: every checkout records one
        made = PaymentTransaction(
            id=new_id(),
            payment_id=payment.id,
            kind=kind,
            status=status,
            amount=amount,
            currency=payment.currency,
            provider_ref=provider_ref,
            idempotency_key=idempotency_key,
            failure_code=failure_code,
            created_at=now,
        )
        await _TRANSACTIONS.add(uow, made)
        return made
    found.status, found.amount = status, amount
    found.provider_ref, found.failure_code = provider_ref, failure_code
    await uow.session.flush()
    return found


async def operation(uow: UnitOfWork, idempotency_key: str) -> PaymentTransaction | None:
    return await uow.session.scalar(
        select(PaymentTransaction).where(PaymentTransaction.idempotency_key == idempotency_key)
    )


PAYMENTS = EntityInsert(Payment)
"""New payments, written without the ORM's flush (every checkout opens one)."""
_TRANSACTIONS = EntityInsert(PaymentTransaction)


def _money(amount: Decimal, currency: str) -> str:
    return format(round_money(amount, currency), "f")


def _common(payment: Payment | PaymentInfo, amount: Decimal | None) -> dict[str, Any]:
    return {
        "order_id": payment.order_id,
        "payment_id": payment.id,
        "provider": payment.provider,
        "amount": _money(payment.amount if amount is None else amount, payment.currency),
        "currency": payment.currency,
        "status": payment.status,
    }


def publish_outcome(
    uow: UnitOfWork, payment: Payment | PaymentInfo, *, reconciled: bool = False
) -> None:
    """The event of an authorization's outcome (authorized, captured at once, failed), and
    `payment.review_required` for an authorized payment fraud screening holds."""
    common = _common(payment, None)
    if payment.status == PaymentStatus.AUTHORIZED:
        uow.publish(
            events.PaymentAuthorized(**common, review=payment.review, reconciled=reconciled),
            aggregate_id=payment.order_id,
        )
    elif payment.status == PaymentStatus.CAPTURED:
        uow.publish(
            events.PaymentCaptured(
                **_common(payment, payment.captured_amount),
                captured_total=_money(payment.captured_amount, payment.currency),
                reconciled=reconciled,
            ),
            aggregate_id=payment.order_id,
        )
    elif payment.status == PaymentStatus.FAILED:
        uow.publish(
            events.PaymentFailed(
                **common, failure_code=payment.failure_code or "failed", reconciled=reconciled
            ),
            aggregate_id=payment.order_id,
        )
    if payment.status == PaymentStatus.AUTHORIZED and payment.review == "manual_review":
        publish_review_required(uow, payment)


def publish_review_required(uow: UnitOfWork, payment: Payment | PaymentInfo) -> None:
    uow.publish(
        events.PaymentReviewRequired(
            **_common(payment, None), reasons=list(payment.review_reasons or [])
        ),
        aggregate_id=payment.order_id,
    )


def publish_captured(uow: UnitOfWork, payment: Payment, amount: Decimal) -> None:
    uow.publish(
        events.PaymentCaptured(
            **_common(payment, amount),
            captured_total=_money(payment.captured_amount, payment.currency),
        ),
        aggregate_id=payment.order_id,
    )


def publish_voided(uow: UnitOfWork, payment: Payment) -> None:
    uow.publish(events.PaymentVoided(**_common(payment, None)), aggregate_id=payment.order_id)


def publish_refunded(uow: UnitOfWork, payment: Payment, amount: Decimal, refund_id: str) -> None:
    uow.publish(
        events.PaymentRefunded(
            **_common(payment, amount),
            refund_id=refund_id,
            refunded_total=_money(payment.refunded_amount, payment.currency),
            fully=payment.refunded_amount >= payment.captured_amount
            and payment.status != PaymentStatus.PARTIALLY_CAPTURED,
        ),
        aggregate_id=payment.order_id,
    )


def publish_reviewed(uow: UnitOfWork, payment: Payment, *, approved: bool) -> None:
    event = events.PaymentReviewApproved if approved else events.PaymentReviewRejected
    uow.publish(event(**_common(payment, None)), aggregate_id=payment.order_id)
