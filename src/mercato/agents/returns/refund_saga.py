"""The return's refund saga (the end of seed 000's return_flow), like checkout's: persisted,
each step with its compensation, resumed by any process after a crash.

    begin    the inspected return is refunding
             ↺ back to inspected, with why the refund did not go through
    restock  items going back to stock are added to their location (the ledger says
             "returned", with the return's number); written-off items stay out
             ↺ taken out again ("correction"), as far as they are still there
    settle   the money: to the order's payments (each one's captured and not yet
             refunded part, one refund id per payment, so a retry never refunds twice),
             and to store credit what they cannot take: a card the gateway refuses
             (expired), or more than is left to refund; all of it to store credit when
             the shopper chose it; an exchange's replacement order instead. The return
             is refunded and `refund.issued` published in the same transaction.

A gateway that cannot be reached fails `settle` with nothing refunded: the saga gives the
stock back and the return waits, inspected, for staff to refund it again.
"""

from __future__ import annotations

from decimal import Decimal

import structlog

from mercato.agents.inventory import service as inventory
from mercato.agents.payments import service as payments
from mercato.agents.returns import credit, exchanges, handling
from mercato.agents.returns.events import RefundIssued
from mercato.agents.returns.models import Return
from mercato.agents.returns.problems import InvalidReturn, ReturnStatusConflict
from mercato.agents.returns.statuses import (
    CreditReason,
    Disposition,
    Resolution,
    ReturnStatus,
)
from mercato.agents.returns.views import event_fields
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Problem
from mercato.kernel.money import round_money
from mercato.kernel.saga import PROBLEM, SagaContext, SagaDefinition, Step

log = structlog.get_logger(__name__)

ZERO = Decimal(0)
ORIGINAL = "original_payment"
STORE_CREDIT = "store_credit"
NOT_TO_CARD = {"refund_method_unavailable", "payment_not_refundable", "refund_exceeds_captured"}
"""The payment cannot take it back (not the gateway being away): the credit takes it."""


async def begin(ctx: SagaContext) -> None:
    """Claim the return for this saga: one refund saga at a time (a second one started
    meanwhile, by a double click or another process, stops here with 409 and undoes
    nothing of the first's)."""
    row = await handling.lock(ctx.uow, ctx.data["return_id"])
    if row.status == ReturnStatus.REFUNDING and row.saga_id == ctx.saga_id:
        return  # resumed after a crash
    if row.status != ReturnStatus.INSPECTED:
        raise ReturnStatusConflict(f"a {row.status} return is not refunded again")
    row.status, row.refund_note = ReturnStatus.REFUNDING, None
    row.saga_id, row.updated_at = ctx.saga_id, ctx.uow.clock.now()


async def _claimed(ctx: SagaContext) -> Return | None:
    """The return, locked, if this saga holds it (refunding)."""
    row = await handling.lock(ctx.uow, ctx.data["return_id"])
    if row.status != ReturnStatus.REFUNDING or row.saga_id != ctx.saga_id:
        return None
    return row


async def back_to_inspected(ctx: SagaContext) -> None:
    row = await _claimed(ctx)
    if row is not None:
        problem = ctx.data.get(PROBLEM) or {}
        why = problem.get("detail") or problem.get("title") or "it did not go through"
        code = problem.get("code", "refund_failed")
        row.status, row.updated_at = ReturnStatus.INSPECTED, ctx.uow.clock.now()
        row.refund_note = f"not refunded ({code}): {why}; refund it again later"[:300]


async def _home(ctx: SagaContext, location_id: str | None) -> str:
    if location_id:
        return location_id
    found = await inventory.list_locations(ctx.uow, active=True, limit=1)
    if not found:
        raise InvalidReturn("the store has no location to restock returned items at")
    return found[0].id


async def restock(ctx: SagaContext) -> None:
    row = await _claimed(ctx)
    if row is None:
        raise ReturnStatusConflict("the return is not being refunded by this saga")
    now = ctx.uow.clock.now()
    for line in await handling.lines_of(ctx.uow, row.id):
        if line.disposition == Disposition.RESTOCK and line.received_quantity:
            await inventory.adjust(
                ctx.uow,
                variant_id=line.variant_id,
                location_id=await _home(ctx, line.location_id),
                delta=line.received_quantity,
                reason="returned",
                note=f"return {row.number}",
                actor="returns",
                now=now,
            )


async def unstock(ctx: SagaContext) -> None:
    row = await _claimed(ctx)
    if row is None:
        return
    now = ctx.uow.clock.now()
    for line in await handling.lines_of(ctx.uow, row.id):
        if line.disposition == Disposition.RESTOCK and line.received_quantity:
            try:
                await inventory.adjust(
                    ctx.uow,
                    variant_id=line.variant_id,
                    location_id=await _home(ctx, line.location_id),
                    delta=-line.received_quantity,
                    reason="correction",
                    note=f"return {row.number} not refunded",
                    actor="returns",
                    now=now,
                )
            except inventory.InsufficientStock:  # sold again meanwhile: it stays sold
                log.warning("returns.unstock_sold", return_id=row.id, variant=line.variant_id)


async def settle(ctx: SagaContext) -> None:
    uow, now = ctx.uow, ctx.uow.clock.now()
    row = await _claimed(ctx)
    if row is None:
        raise ReturnStatusConflict("the return is not being refunded by this saga")
    owner = credit.owner_of(customer_id=row.customer_id, email=row.email)
    amount, to_payment, note = row.refund_amount, ZERO, None
    if row.resolution == Resolution.EXCHANGE:
        row.replacement_order_id = await exchanges.replace(uow, row, now=now)
        amount = ZERO  # the replacement is the refund
        if row.replacement_order_id is None:
            note = "nothing came back: there was nothing to exchange"
    elif ctx.data.get("method", ORIGINAL) == ORIGINAL and amount > 0:
        to_payment, note = await _to_payments(uow, row.order_id, row.id, amount)
    to_credit = amount - to_payment
    if to_credit > 0:
        await credit.change(
            uow,
            owner=owner,
            amount=to_credit,
            currency=row.currency,
            reason=CreditReason.RETURN,
            reference=row.id,
            now=now,
            note=f"return {row.number}",
        )
    row.refunded_to_payment, row.refunded_to_credit = to_payment, to_credit
    row.refund_note = note
    row.status, row.refunded_at, row.updated_at = ReturnStatus.REFUNDED, now, now
    uow.publish(
        RefundIssued(
            **event_fields(row),
            amount=format(round_money(amount, row.currency), "f"),
            currency=row.currency,
            to_payment=format(round_money(to_payment, row.currency), "f"),
            to_store_credit=format(round_money(to_credit, row.currency), "f"),
            note=note,
        ),
        aggregate_id=row.id,
    )


async def _to_payments(
    uow: UnitOfWork, order_id: str, return_id: str, amount: Decimal
) -> tuple[Decimal, str | None]:
    """Refund up to `amount` to the order's payments: (what they took, why not all)."""
    left, note = amount, None
    for info in await payments.payments_of_order(uow, order_id=order_id):
        take = min(left, info.refundable)
        if take <= 0:
            continue
        try:
            await payments.refund(
                uow,
                payment_id=info.id,
                amount=take,
                refund_id=f"return:{return_id}:{info.id}",
                now=uow.clock.now(),
            )
        except Problem as refused:
            if refused.code not in NOT_TO_CARD:
                raise  # the gateway is away: nothing was refunded, the saga undoes
            note = (
                f"the original payment could not take the refund ({refused.code}): "
                "it was given as store credit"
            )
            continue
        left -= take
    if left > 0 and note is None:
        note = "the payment had less left to refund: the rest was given as store credit"
    return amount - left, note


SAGA = SagaDefinition(
    "return_refund",
    [
        Step("begin", begin, back_to_inspected),
        Step("restock", restock, unstock),
        Step("settle", settle),
    ],
)
