"""What the shopper hears of their order's parcels and returns: a parcel of a split order
left, a delivery attempt failed, a return was approved (with its label) or rejected, a
return's refund was issued. Each is queued in the handler's transaction like the order's
own notices (handlers.py), so a redelivered event queues nothing."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from mercato.agents.identity import service as identity
from mercato.agents.notifications.contexts import order_context
from mercato.agents.notifications.deps import NotificationDeps
from mercato.agents.notifications.queueing import Notice, Recipient, queue
from mercato.agents.orders import service as orders
from mercato.agents.returns import service as returns
from mercato.agents.returns.events import RefundIssued, ReturnApproved, ReturnRejected
from mercato.agents.shipping import service as shipping
from mercato.agents.shipping.events import DeliveryFailed, ShipmentCreated, ShipmentShipped
from mercato.kernel.bus.subscriptions import Handler, HandlerContext, on
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Problem

OUTBOUND = "outbound"
"""A shipment from a location to the shopper (a return's parcel is kind "return")."""
NOT_APPROVED = ("requested", "rejected", "cancelled")
"""A return in these statuses has no label for the shopper to use."""


def _deps(ctx: HandlerContext) -> NotificationDeps:
    return ctx.uow.deps(NotificationDeps)


def _notice(
    kind: str,
    key: str,
    ctx: HandlerContext,
    context: dict[str, Any],
    recipient: Recipient,
    **data: str,
) -> Notice:
    return Notice(
        kind=kind,
        key=key,
        context=context,
        recipients=[recipient],
        data=data,
        event_id=ctx.envelope.id,
    )


# -- parcels ---------------------------------------------------------------------------------


def _to_ship(view: orders.OrderView) -> dict[str, int]:
    """The order's lines that ship (line id → units)."""
    assert view.fulfilment is not None
    return {line.id: line.quantity for line in view.fulfilment.lines if line.requires_shipping}


def holds_the_whole_order(view: orders.OrderView, lines: Mapping[str, int]) -> bool:
    """Whether one shipment's `lines` (line id → units) are every unit of the order that
    ships: the order left in that one shipment."""
    return all(lines.get(line_id, 0) >= units for line_id, units in _to_ship(view).items())


def shipments_of(view: orders.OrderView) -> list[tuple[str, dict[str, int]]]:
    """The shipments the order's units left in, in the order they left (its timeline)."""
    return [
        (str(entry.detail.get("shipment_id")), dict(entry.detail.get("lines") or {}))
        for entry in view.timeline
        if entry.kind == "shipment_shipped"
    ]


async def told_by_parcel(uow: UnitOfWork, view: orders.OrderView) -> bool:
    """Whether the shopper heard of the order's last parcel by `shipment_shipped`: the order
    left in several shipments and the last was the shipping agent's (an admin's one-call
    ship of what was left has no parcel of its own to tell)."""
    left = shipments_of(view)
    if len(left) < 2:
        return False
    last_id, last_lines = left[-1]
    try:
        await shipping.get_shipment(uow, shipment_id=last_id)
    except Problem:
        return False
    return not holds_the_whole_order(view, last_lines)


@on(ShipmentShipped)
async def tell_the_shopper_a_parcel_left(event: ShipmentShipped, ctx: HandlerContext) -> None:
    """One mail per parcel, never two alike. An order that leaves in ONE shipment (it holds
    every unit of every line that ships) hears of it by `order_shipped` alone, so nothing is
    sent here. An order split across shipments hears of each parcel here, by
    `shipment_shipped` (the carrier, the service, the tracking number and the parcel's
    lines: "2 of your 3 items are on their way"), the last one saying the whole order has now
    shipped; `order_shipped` is then not sent for it (`told_by_parcel`). A return's parcel
    (kind "return") is the shopper's own sending: nothing."""
    if event.kind != OUTBOUND:
        return
    deps = _deps(ctx)
    found = await order_context(ctx.uow, deps, event.order_id)
    if found is None:
        return
    context, recipient, view = found
    if view.fulfilment is None or holds_the_whole_order(view, event.lines):
        return
    to_ship = _to_ship(view)
    so_far = 0
    for shipment_id, lines in shipments_of(view):
        so_far += sum(units for line_id, units in lines.items() if line_id in to_ship)
        if shipment_id == event.shipment_id:
            break
    names = {line.id: line.name for line in view.lines}
    parcel = {k: v for k, v in event.lines.items() if k in to_ship}
    context["shipment"] = {
        **await _parcel(ctx.uow, event),
        "lines": [
            {"name": names.get(line_id, ""), "quantity": units} for line_id, units in parcel.items()
        ],
        "units": sum(parcel.values()),
        "of": sum(to_ship.values()),
        "so_far": so_far,
        "complete": so_far >= sum(to_ship.values()),
    }
    notice = _notice(
        "shipment_shipped",
        ctx.envelope.id,
        ctx,
        context,
        recipient,
        order_id=view.id,
        shipment_id=event.shipment_id,
    )
    await queue(ctx.uow, deps, notice)


@on(DeliveryFailed)
async def tell_the_shopper_a_delivery_failed(event: DeliveryFailed, ctx: HandlerContext) -> None:
    """Each failed attempt at an outbound parcel, with what the carrier said (it tries
    again)."""
    if event.kind != OUTBOUND:
        return
    deps = _deps(ctx)
    found = await order_context(ctx.uow, deps, event.order_id)
    if found is None:
        return
    context, recipient, view = found
    context["shipment"] = {
        **await _parcel(ctx.uow, event),
        "attempts": event.attempts,
        "description": event.description,
    }
    notice = _notice(
        "delivery_failed",
        ctx.envelope.id,
        ctx,
        context,
        recipient,
        order_id=view.id,
        shipment_id=event.shipment_id,
    )
    await queue(ctx.uow, deps, notice)


async def _parcel(uow: UnitOfWork, event: ShipmentShipped | DeliveryFailed) -> dict[str, Any]:
    """The parcel's carrier and service by their names (their codes if it is gone)."""
    carrier, service = event.carrier, event.service
    try:
        row = await shipping.get_shipment(uow, shipment_id=event.shipment_id)
        carrier, service = row.carrier_name or carrier, row.service_name or service
    except Problem:
        pass
    return {
        "number": event.number,
        "carrier": carrier,
        "service": service,
        "tracking_number": event.tracking_number,
    }


# -- returns ---------------------------------------------------------------------------------


async def return_context(
    uow: UnitOfWork, deps: NotificationDeps, return_id: str
) -> tuple[dict[str, Any], Recipient] | None:
    try:
        row = await returns.get_return(uow, return_id=return_id)
    except Problem:
        return None
    name = None
    if row.customer_id:
        contact = await identity.contact_of(uow, user_id=row.customer_id)
        name = contact[1] if contact else None
    lines = await returns.lines_of(uow, row.id)
    context = {
        "return": {
            "id": row.id,
            "number": row.number,
            "order_number": row.order_number,
            "currency": row.currency,
            "lines": [{"name": line.name, "quantity": line.quantity} for line in lines],
        },
        "links": {
            "return": deps.link(f"/account/returns/{row.id}"),
            "order": deps.link(f"/account/orders/{row.order_id}"),
        },
    }
    return context, Recipient(user_id=row.customer_id, email=row.email, name=name)


@on(ReturnApproved, ShipmentCreated)
async def send_the_return_label(
    event: ReturnApproved | ShipmentCreated, ctx: HandlerContext
) -> None:
    """`return_approved` once the return is approved AND its label exists, with the label's
    link and what to send back. The label is bought after the approval commits (the carrier
    may even be down: staff make it later), so this listens to both `return.approved` and the
    return parcel's `shipment.created`; whichever comes second queues it. The notice's key is
    the return, so both queue one message."""
    label: str | None
    if isinstance(event, ShipmentCreated):
        if event.kind != "return" or event.return_id is None:
            return
        return_id, label = event.return_id, event.shipment_id
    else:
        return_id, label = event.return_id, event.label_shipment_id
    deps = _deps(ctx)
    try:
        row = await returns.get_return(ctx.uow, return_id=return_id)
    except Problem:
        return
    label = label or row.label_shipment_id
    if label is None or row.status in NOT_APPROVED:
        return  # a held return's label comes with its approval
    found = await return_context(ctx.uow, deps, return_id)
    if found is None:
        return
    context, recipient = found
    context["links"]["label"] = deps.link(f"/v1/shipments/{label}/label.pdf")
    notice = _notice(
        "return_approved",
        f"return_approved:{return_id}",
        ctx,
        context,
        recipient,
        return_id=return_id,
    )
    await queue(ctx.uow, deps, notice)


@on(ReturnRejected)
async def tell_the_shopper_the_return_was_rejected(
    event: ReturnRejected, ctx: HandlerContext
) -> None:
    deps = _deps(ctx)
    found = await return_context(ctx.uow, deps, event.return_id)
    if found is None:
        return
    context, recipient = found
    context["reason"] = event.reason
    notice = _notice(
        "return_rejected", ctx.envelope.id, ctx, context, recipient, return_id=event.return_id
    )
    await queue(ctx.uow, deps, notice)


@on(RefundIssued)
async def tell_the_shopper_the_refund_was_issued(event: RefundIssued, ctx: HandlerContext) -> None:
    """What the return refunded: to the card, to store credit (with why, when the card could
    not take it), or both. Its card part is told here, not by `payment_refunded` (handlers.py
    skips a refund the returns agent asked for). An exchange (nothing refunded) is told
    nothing here: its replacement order is confirmed like any order."""
    if not any(_positive(x) for x in (event.amount, event.to_payment, event.to_store_credit)):
        return
    deps = _deps(ctx)
    found = await return_context(ctx.uow, deps, event.return_id)
    if found is None:
        return
    context, recipient = found
    context["refund"] = {
        "amount": event.amount,
        "to_payment": event.to_payment if _positive(event.to_payment) else None,
        "to_store_credit": event.to_store_credit if _positive(event.to_store_credit) else None,
        "note": event.note,
    }
    notice = _notice(
        "refund_issued", ctx.envelope.id, ctx, context, recipient, return_id=event.return_id
    )
    await queue(ctx.uow, deps, notice)


def _positive(amount: str) -> bool:
    try:
        return Decimal(amount) > 0
    except InvalidOperation:
        return False


handlers: list[Handler] = [
    tell_the_shopper_a_parcel_left,
    tell_the_shopper_a_delivery_failed,
    send_the_return_label,
    tell_the_shopper_the_return_was_rejected,
    tell_the_shopper_the_refund_was_issued,
]
