"""A return asked for: by the order's shopper (or staff for them), some delivered units of
some lines, each with its reason.

An order's requests queue behind one another (`advisory.serialize` on PostgreSQL; SQLite's
write transactions begin IMMEDIATE, so they queue already) from before the units already
spoken for are read until the new return commits: two requests for the same units cannot
both pass.

BR009: every asked line within `return_window_days` of its own delivery (the last of the
delivered outbound shipments that carry it; the order's delivery for a line delivered
without a shipment record), so an early line of an order delivered in parts is not kept
returnable by a later one. Staff may accept a late one with a note, which is recorded on the
return with who and when (`late`: some line was past the window). Screening: a shopper's
`returns_review_after`-th return in 90 days (the 3rd by default), or a return worth
`returns_review_over` or more, waits for staff (`flags`); any other is approved at once by
the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select

from mercato.agents.orders import service as orders
from mercato.agents.returns.access import MANAGE
from mercato.agents.returns.events import ReturnRequested
from mercato.agents.returns.models import Return, ReturnLine
from mercato.agents.returns.problems import InvalidReturn, NotReturnable
from mercato.agents.returns.statuses import OPEN, Resolution, ReturnStatus
from mercato.agents.returns.views import event_fields
from mercato.agents.shipping import service as shipping
from mercato.kernel import rules
from mercato.kernel.advisory import serialize
from mercato.kernel.auth import Principal
from mercato.kernel.config import Settings
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id, readable_number

SCREENING_DAYS = 90


@dataclass(frozen=True)
class Asked:
    line_id: str
    quantity: int
    reason: str
    note: str | None = None
    exchange_variant_id: str | None = None


async def queue_behind_order(uow: UnitOfWork, order_id: str) -> None:
    """Wait for (and then hold, until this transaction ends) the order's returns: a request
    and a receipt of the same order never read its returnable units while the other writes
    them."""
    await serialize(uow, f"returns.order:{order_id}")


async def spoken_for(uow: UnitOfWork, order_id: str) -> dict[str, int]:
    """Order line id → units asked in the order's open returns and not received: those
    received count as returned on the order's line already, the missing ones are spoken for
    until the return is settled."""
    found = await uow.session.execute(
        select(
            ReturnLine.order_line_id,
            func.sum(ReturnLine.quantity - ReturnLine.received_quantity),
        )
        .join(Return, Return.id == ReturnLine.return_id)
        .where(Return.order_id == order_id, Return.status.in_(OPEN))
        .group_by(ReturnLine.order_line_id)
    )
    return {line_id: int(units) for line_id, units in found}


async def request_return(
    uow: UnitOfWork,
    settings: Settings,
    *,
    order_id: str,
    principal: Principal,
    asked: Sequence[Asked],
    resolution: Resolution,
    exception_note: str | None,
    now: datetime,
) -> Return:
    """The new return (status requested, `return.requested`). 404 an order the principal
    cannot see; 409 `units_not_returnable` (not delivered, returned, in another return);
    422 BR009 an asked line outside its window (unless staff give `exception_note`),
    `invalid_return`."""
    await orders.get_order(uow, order_id=order_id, principal=principal)
    await queue_behind_order(uow, order_id)
    order = await orders.fulfilment_of(uow, order_id=order_id)
    assert order is not None
    if exception_note is not None and not principal.can(MANAGE):
        raise InvalidReturn("only staff may accept a return outside the window")
    units = _units(order, asked, await spoken_for(uow, order.id))
    ages = await _days_since_delivery(uow, order, units, now)
    days = max(ages.values())
    late = days > settings.return_window_days
    if exception_note is None:
        overdue = [
            f"line {line_id} ({_sku(order, line_id)}) was delivered {int(age)} days ago"
            for line_id, age in sorted(ages.items(), key=lambda item: -item[1])
            if age > settings.return_window_days
        ]
        # the oldest asked line decides: every line or none is in time
        await rules.enforce(
            "BR009",
            detail=f"{', '.join(overdue)}: returns are accepted within "
            f"{settings.return_window_days} days of delivery",
            days_since_delivery=days,
            window_days=settings.return_window_days,
        )
    worth = order.worth(units, already={line.id: line.returned_quantity for line in order.lines})
    flags = await _screen(uow, settings, order, worth, now)
    return_id = new_id()
    row = Return(
        id=return_id,
        number=readable_number("RET", return_id, now),
        order_id=order.id,
        order_number=order.number,
        customer_id=order.customer_id,
        email=order.email,
        status=ReturnStatus.REQUESTED,
        resolution=resolution,
        currency=order.currency,
        flags=flags,
        exception_note=(
            f"{exception_note} (accepted {int(days)} days after delivery by {principal.id} "
            f"on {now.date().isoformat()})"
            if exception_note is not None and late
            else None
        ),
        late=late,
        paid_amount=worth,
        requested_by=principal.id if principal.kind != "guest" else "guest",
        requested_at=now,
        updated_at=now,
    )
    uow.session.add(row)
    for item in asked:
        line = order.line(item.line_id)
        assert line is not None
        uow.session.add(
            ReturnLine(
                id=new_id(),
                return_id=return_id,
                order_line_id=line.id,
                variant_id=line.variant_id,
                sku=line.sku,
                name=line.name,
                quantity=item.quantity,
                reason=item.reason,
                note=item.note,
                received_quantity=0,
                paid_amount=order.worth(
                    {line.id: item.quantity}, already={line.id: line.returned_quantity}
                ),
                exchange_variant_id=item.exchange_variant_id,
            )
        )
    uow.publish(
        ReturnRequested(
            **event_fields(row),
            lines=units,
            resolution=resolution,
            flags=flags,
            late=late,
        ),
        aggregate_id=return_id,
    )
    await uow.session.flush()
    return row


async def _days_since_delivery(
    uow: UnitOfWork, order: orders.OrderFulfilment, units: dict[str, int], now: datetime
) -> dict[str, float]:
    """Asked line id -> days since the line was delivered (BR009 counts per line)."""
    deliveries = await shipping.line_deliveries(uow, order_id=order.id)
    ages = {}
    for line_id in units:
        delivered = deliveries.get(line_id) or order.delivered_at
        if delivered is None:
            raise NotReturnable(
                f"line {line_id} ({_sku(order, line_id)}) has no recorded delivery",
                line_id=line_id,
            )
        ages[line_id] = (now - delivered).total_seconds() / 86400
    return ages


def _sku(order: orders.OrderFulfilment, line_id: str) -> str:
    line = order.line(line_id)
    return line.sku if line is not None else "?"


def _units(
    order: orders.OrderFulfilment, asked: Sequence[Asked], taken: dict[str, int]
) -> dict[str, int]:
    if not asked:
        raise InvalidReturn("a return needs at least one line")
    units: dict[str, int] = {}
    for item in asked:
        if item.line_id in units:
            raise InvalidReturn(f"line {item.line_id} is named twice")
        line = order.line(item.line_id)
        if line is None:
            raise InvalidReturn(f"the order has no line {item.line_id!r}")
        free = line.delivered_quantity - line.returned_quantity - taken.get(line.id, 0)
        if item.quantity > free:
            raise NotReturnable(
                f"line {line.id} ({line.sku}) has {max(free, 0)} delivered unit(s) that can "
                f"be returned, not {item.quantity}",
                line_id=line.id,
            )
        units[line.id] = item.quantity
    return units


async def _screen(
    uow: UnitOfWork,
    settings: Settings,
    order: orders.OrderFulfilment,
    worth: Decimal,
    now: datetime,
) -> list[str]:
    """Why a return should wait for staff (none: it can be approved at once)."""
    flags = []
    who = [Return.email == order.email]
    if order.customer_id:
        who.append(Return.customer_id == order.customer_id)
    recent = await uow.session.scalar(
        select(func.count())
        .select_from(Return)
        .where(
            or_(*who),
            Return.requested_at >= now - timedelta(days=SCREENING_DAYS),
            Return.status.not_in([ReturnStatus.CANCELLED, ReturnStatus.REJECTED]),
        )
    )
    if (recent or 0) + 1 >= settings.returns_review_after:  # this one counts too
        flags.append("too_many_returns")
    if worth >= settings.returns_review_over:
        flags.append("high_value")
    return flags
