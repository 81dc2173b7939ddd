"""Staff's steps on a return: approve (or reject) it, receive the parcel, inspect each item.

Receiving tells the orders agent which units came back: it answers what the shopper paid for
them (their share of the discount and tax, to the cent), and that is what inspection starts
from. BR010: an item in its original condition refunds in full; one opened (unused) refunds
less the store's restocking fee; one damaged refunds `returns_damaged_refund_percent`; a
missing one nothing. Staff may set a line's refund themselves, but never a full refund for
an item that is not in its original condition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from mercato.agents.orders import service as orders
from mercato.agents.returns.events import (
    ReturnApproved,
    ReturnInspected,
    ReturnReceived,
    ReturnRejected,
)
from mercato.agents.returns.models import Return, ReturnLine
from mercato.agents.returns.problems import InvalidReturn, ReturnNotFound, ReturnStatusConflict
from mercato.agents.returns.requesting import queue_behind_order
from mercato.agents.returns.statuses import Condition, Disposition, ReturnStatus
from mercato.agents.returns.views import event_fields
from mercato.agents.shipping import service as shipping
from mercato.kernel import rules
from mercato.kernel.config import Settings
from mercato.kernel.db import UnitOfWork
from mercato.kernel.money import round_money

ZERO = Decimal(0)
HUNDRED = Decimal(100)


async def lock(uow: UnitOfWork, return_id: str) -> Return:
    found: Return | None = await uow.session.scalar(
        select(Return)
        .where(Return.id == return_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if found is None:
        raise ReturnNotFound(f"no return {return_id!r}")
    return found


async def lines_of(uow: UnitOfWork, return_id: str) -> list[ReturnLine]:
    found = await uow.session.scalars(
        select(ReturnLine)
        .where(ReturnLine.return_id == return_id)
        .order_by(ReturnLine.sku, ReturnLine.id)
        .execution_options(populate_existing=True)
    )
    return list(found)


def _expect(row: Return, *statuses: ReturnStatus, doing: str) -> None:
    if row.status not in statuses:
        raise ReturnStatusConflict(f"a {row.status} return cannot be {doing}")


async def approve(uow: UnitOfWork, row: Return, *, now: datetime) -> bool:
    """requested → approved (False: it was already). Its label is made by the caller."""
    if row.status == ReturnStatus.APPROVED:
        return False
    _expect(row, ReturnStatus.REQUESTED, doing="approved")
    row.status, row.decided_at, row.updated_at = ReturnStatus.APPROVED, now, now
    uow.publish(
        ReturnApproved(**event_fields(row), label_shipment_id=row.label_shipment_id),
        aggregate_id=row.id,
    )
    return True


def set_label(row: Return, shipment_id: str, now: datetime) -> None:
    row.label_shipment_id, row.updated_at = shipment_id, now


async def reject(uow: UnitOfWork, row: Return, *, reason: str, now: datetime) -> bool:
    if row.status == ReturnStatus.REJECTED:
        return False
    _expect(row, ReturnStatus.REQUESTED, ReturnStatus.APPROVED, doing="rejected")
    row.status, row.decided_at, row.updated_at = ReturnStatus.REJECTED, now, now
    row.rejection_reason = reason[:300]
    uow.publish(ReturnRejected(**event_fields(row), reason=reason[:300]), aggregate_id=row.id)
    return True


async def cancel(uow: UnitOfWork, row: Return, *, now: datetime) -> bool:
    """The shopper changed their mind before sending it back."""
    if row.status == ReturnStatus.CANCELLED:
        return False
    _expect(row, ReturnStatus.REQUESTED, ReturnStatus.APPROVED, doing="cancelled")
    row.status, row.updated_at = ReturnStatus.CANCELLED, now
    return True


async def receive(
    uow: UnitOfWork,
    row: Return,
    *,
    received: Mapping[str, int] | None,
    location_id: str | None,
    now: datetime,
) -> bool:
    """approved → received: `received` (order line id → units; None: all asked) came back,
    the rest is missing, at `location_id` (None: where the return's label sends them, else
    the location that shipped the order). The orders agent counts them returned and says
    what they were worth. A request still waiting for approval is approved by receiving it."""
    if row.status == ReturnStatus.RECEIVED:
        return False
    _expect(row, ReturnStatus.APPROVED, ReturnStatus.REQUESTED, doing="received")
    await queue_behind_order(uow, row.order_id)
    location_id = location_id or await shipping.receiving_location(
        uow, order_id=row.order_id, return_id=row.id
    )
    lines = await lines_of(uow, row.id)
    by_line = {line.order_line_id: line for line in lines}
    counts = dict(received) if received is not None else {k: v.quantity for k, v in by_line.items()}
    for line_id, units in counts.items():
        line = by_line.get(line_id)
        if line is None:
            raise InvalidReturn(f"the return has no line {line_id!r}")
        if units < 0 or units > line.quantity:
            raise InvalidReturn(f"line {line_id}: {units} is not between 0 and {line.quantity}")
    missing: dict[str, int] = {}
    for line in lines:
        units = counts.get(line.order_line_id, 0)
        line.received_quantity, line.location_id = units, location_id
        line.paid_amount = (
            await orders.record_returned(
                uow,
                order_id=row.order_id,
                return_id=row.id,
                lines={line.order_line_id: units},
                now=now,
            )
            if units
            else ZERO
        )
        if units < line.quantity:
            missing[line.order_line_id] = line.quantity - units
        if units == 0:
            line.condition, line.disposition = Condition.MISSING, Disposition.WRITE_OFF
    row.paid_amount = sum((line.paid_amount for line in lines), ZERO)
    row.status, row.received_at, row.updated_at = ReturnStatus.RECEIVED, now, now
    uow.publish(
        ReturnReceived(
            **event_fields(row),
            lines={k: v for k, v in counts.items() if v},
            missing=missing,
        ),
        aggregate_id=row.id,
    )
    return True


@dataclass(frozen=True)
class Inspection:
    condition: Condition
    disposition: Disposition | None = None
    refund: Decimal | None = None
    """Staff's own refund for the line (BR010 bounds it)."""


def refund_for(condition: Condition, paid: Decimal, settings: Settings, currency: str) -> Decimal:
    """What an item in `condition` refunds of what was paid for it (BR010)."""
    if condition == Condition.ORIGINAL:
        return paid
    if condition == Condition.OPENED:
        return round_money(paid - paid * settings.restocking_fee_percent / HUNDRED, currency)
    if condition == Condition.DAMAGED:
        return round_money(paid * settings.returns_damaged_refund_percent / HUNDRED, currency)
    return ZERO


async def inspect(
    uow: UnitOfWork,
    settings: Settings,
    row: Return,
    *,
    found: Mapping[str, Inspection],
    default: Inspection | None,
    now: datetime,
) -> bool:
    """received → inspected: each received line's condition, what it refunds and whether
    it goes back to stock (original and opened items do by default, damaged ones are
    written off). Lines not named take `default` (original condition when absent)."""
    if row.status == ReturnStatus.INSPECTED:
        return False
    _expect(row, ReturnStatus.RECEIVED, doing="inspected")
    lines = await lines_of(uow, row.id)
    known = {line.order_line_id for line in lines}
    for line_id in found:
        if line_id not in known:
            raise InvalidReturn(f"the return has no line {line_id!r}")
    conditions: dict[str, str] = {}
    for line in lines:
        if line.received_quantity == 0:
            line.refund_amount, line.fee_amount = ZERO, ZERO
            conditions[line.order_line_id] = Condition.MISSING
            continue
        seen = found.get(line.order_line_id) or default or Inspection(Condition.ORIGINAL)
        refund = refund_for(seen.condition, line.paid_amount, settings, row.currency)
        if seen.refund is not None:
            if seen.refund > line.paid_amount:
                raise InvalidReturn(
                    f"line {line.order_line_id}: a refund above the {line.paid_amount} paid"
                )
            await rules.enforce(
                "BR010",
                detail=f"{line.sku} is {seen.condition}: only an item in its original "
                "condition is refunded in full",
                condition=seen.condition,
                refund=seen.refund,
                paid=line.paid_amount,
            )
            refund = seen.refund
        line.condition = seen.condition
        line.disposition = seen.disposition or (
            Disposition.RESTOCK
            if seen.condition in {Condition.ORIGINAL, Condition.OPENED}
            else Disposition.WRITE_OFF
        )
        line.refund_amount, line.fee_amount = refund, line.paid_amount - refund
        conditions[line.order_line_id] = seen.condition
    row.refund_amount = sum((line.refund_amount for line in lines), ZERO)
    row.fee_amount = sum((line.fee_amount for line in lines), ZERO)
    row.status, row.inspected_at, row.updated_at = ReturnStatus.INSPECTED, now, now
    uow.publish(
        ReturnInspected(
            **event_fields(row),
            conditions=conditions,
            refund_amount=format(round_money(row.refund_amount, row.currency), "f"),
            currency=row.currency,
        ),
        aggregate_id=row.id,
    )
    return True
