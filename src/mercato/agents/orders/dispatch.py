"""Shipping, delivering and taking back some of an order's units (the shipping and returns
agents' commands): each locks the order, checks the lines' counts, moves them, appends to
the timeline and publishes. `ship_lines` takes the units out of inventory (the order's
reservation, from the shipment's location first) and tells payments what to capture.

A line that does not ship (a download, a gift card) leaves with the order's last physical
shipment, or with its first if nothing of the order ships.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from mercato.agents.inventory import service as inventory
from mercato.agents.orders import events, records
from mercato.agents.orders.fulfilment import OrderFulfilment
from mercato.agents.orders.models import Order, OrderLine
from mercato.agents.orders.problems import (
    FulfilmentConflict,
    OrderLineNotFound,
    OrderNotPaid,
    OrderStatusConflict,
    OrderUnderReview,
)
from mercato.agents.orders.statuses import OrderPaymentStatus, OrderStatus
from mercato.agents.orders.views import money
from mercato.kernel.db import UnitOfWork
from mercato.kernel.events import Event

SHIPPABLE_PAYMENTS = (
    OrderPaymentStatus.AUTHORIZED,
    OrderPaymentStatus.PAID,
    OrderPaymentStatus.PARTIALLY_REFUNDED,
)


def check_shippable(order: Order) -> None:
    if order.status != OrderStatus.CONFIRMED:
        raise OrderStatusConflict(f"a {order.status} order has nothing left to ship")
    if order.review == "manual_review":
        raise OrderUnderReview()
    if order.payment_status not in SHIPPABLE_PAYMENTS:
        raise OrderNotPaid(
            f"the order's payment is {order.payment_status}: nothing to capture when it ships"
        )


def _counted(lines: list[OrderLine], units: Mapping[str, int]) -> dict[str, OrderLine]:
    by_id = {line.id: line for line in lines}
    for line_id, quantity in units.items():
        if line_id not in by_id:
            raise OrderLineNotFound(f"the order has no line {line_id!r}")
        if quantity < 1:
            raise FulfilmentConflict(f"line {line_id}: {quantity} is not a number of units")
    return by_id


@dataclass(frozen=True)
class _Count:
    """What a step moves units between: the count a line reaches at most (`limit`), the
    count it has reached (`done`), and how a refusal names the units it has left."""

    limit: str
    done: str
    left: str

    def of(self, line: OrderLine) -> int:
        """The units the line has left to move."""
        return int(getattr(line, self.limit)) - int(getattr(line, self.done))

    def add(self, by_id: Mapping[str, OrderLine], units: Mapping[str, int]) -> None:
        for line_id, quantity in units.items():
            line = by_id[line_id]
            setattr(line, self.done, int(getattr(line, self.done)) + quantity)


_SHIPPING = _Count("quantity", "shipped_quantity", "unit(s) left to ship")
_DELIVERING = _Count("shipped_quantity", "delivered_quantity", "shipped unit(s) not yet delivered")
_RETURNING = _Count("delivered_quantity", "returned_quantity", "delivered unit(s) not yet returned")


async def _take(
    uow: UnitOfWork,
    *,
    order_id: str,
    lines: Mapping[str, int] | None,
    count: _Count,
    check: Callable[[Order], None] | None = None,
) -> tuple[Order, list[OrderLine], dict[str, OrderLine], dict[str, int]]:
    """The order (locked, `check`ed), its lines, them by id, and the units of `lines` to
    move (None: every unit each line has left); 404 `order_line_not_found`, 409
    `fulfilment_quantity_conflict` for more units than a line has left."""
    order = await records.lock(uow, order_id)
    if check is not None:
        check(order)
    all_lines = await records.lines_of(uow, order.id)
    by_id = _counted(all_lines, lines or {})
    if lines is None:
        lines = {line.id: count.of(line) for line in all_lines if count.of(line) > 0}
    for line_id, quantity in lines.items():
        left = count.of(by_id[line_id])
        if quantity > left:
            raise FulfilmentConflict(
                f"line {line_id} has {left} {count.left}, not {quantity}", line_id=line_id
            )
    return order, all_lines, by_id, dict(lines)


def _can_be_delivered(order: Order) -> None:
    if order.status not in {OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED}:
        raise OrderStatusConflict(f"a {order.status} order cannot be delivered")


def _note(
    uow: UnitOfWork,
    order: Order,
    kind: str,
    *,
    now: datetime,
    actor: str | None,
    publish: Event | None = None,
    **detail: Any,
) -> None:
    """The order changed: a new version, an entry in its timeline, and the event if any."""
    records.touch(order, now)
    records.record(uow, order, kind, now=now, actor=actor, **detail)
    if publish is not None:
        uow.publish(publish, aggregate_id=order.id)


async def ship_lines(
    uow: UnitOfWork,
    *,
    order_id: str,
    shipment_id: str,
    lines: Mapping[str, int] | None,
    carrier: str | None,
    tracking_number: str | None,
    now: datetime,
    actor: str | None = records.SYSTEM,
    location_id: str | None = None,
) -> Decimal:
    """`lines` (line id → units; None: every unit left) leave in shipment `shipment_id`:
    their stock is committed, `order.lines_shipped` asks payments to capture what they are
    worth (returned), and the order is shipped once nothing is left. 409
    `order_status_conflict` unless confirmed, `order_under_review`, `order_not_paid`,
    `fulfilment_quantity_conflict` for more units than a line has left to ship; 404
    `order_line_not_found`. Nothing changes on a refusal."""
    order, all_lines, by_id, units = await _take(
        uow, order_id=order_id, lines=lines, count=_SHIPPING, check=check_shippable
    )
    physical_left = any(
        line.requires_shipping and line.shipped_quantity + units.get(line.id, 0) < line.quantity
        for line in all_lines
    )
    if not physical_left:  # the last shipment takes what does not ship along
        for line in all_lines:
            if not line.requires_shipping and line.quantity > line.shipped_quantity:
                units[line.id] = line.quantity - line.shipped_quantity
    if not units:
        raise FulfilmentConflict("the shipment holds no units")
    before = OrderFulfilment.of(order, all_lines)
    shipped_before = {line.id: line.shipped_quantity for line in all_lines}
    shipped_after = {k: v + units.get(k, 0) for k, v in shipped_before.items()}
    credit = order.credit_applied or Decimal(0)  # spent first: the payment takes the rest
    capture = max(before.charged_for(shipped_after) - credit, Decimal(0)) - max(
        before.charged_for(shipped_before) - credit, Decimal(0)
    )
    await _commit_stock(uow, order, by_id, units, now=now, location_id=location_id)
    _SHIPPING.add(by_id, units)
    final = all(line.shipped_quantity >= line.quantity for line in all_lines)
    _note(
        uow,
        order,
        "shipment_shipped",
        now=now,
        actor=actor,
        publish=events.OrderLinesShipped(
            order_id=order.id,
            number=order.number,
            shipment_id=shipment_id,
            capture_amount=money(capture, order.currency),
            currency=order.currency,
            final=final,
            lines=units,
        ),
        shipment_id=shipment_id,
        carrier=carrier,
        tracking_number=tracking_number,
        lines=units,
    )
    if final:
        order.status, order.shipped_at = OrderStatus.SHIPPED, now
        order.carrier, order.tracking_number = carrier, tracking_number
        records.record(
            uow,
            order,
            "shipped",
            now=now,
            actor=actor,
            carrier=carrier,
            tracking_number=tracking_number,
        )
        uow.publish(
            events.OrderShipped(
                order_id=order.id,
                number=order.number,
                total=money(order.total, order.currency),
                currency=order.currency,
                carrier=carrier,
                tracking_number=tracking_number,
            ),
            aggregate_id=order.id,
        )
    return capture


async def _commit_stock(
    uow: UnitOfWork,
    order: Order,
    by_id: Mapping[str, OrderLine],
    units: Mapping[str, int],
    *,
    now: datetime,
    location_id: str | None,
) -> None:
    per_variant: dict[str, int] = {}
    for line_id, quantity in units.items():
        variant_id = by_id[line_id].variant_id
        per_variant[variant_id] = per_variant.get(variant_id, 0) + quantity
    await inventory.commit_units(
        uow, reference=order.id, units=per_variant, now=now, location_id=location_id
    )


async def deliver_lines(
    uow: UnitOfWork,
    *,
    order_id: str,
    shipment_id: str,
    lines: Mapping[str, int] | None,
    now: datetime,
    actor: str | None = records.SYSTEM,
) -> bool:
    """`lines` (None: every unit shipped and not yet delivered) arrived with shipment
    `shipment_id`; the order is delivered once every unit has (True then). 409
    `fulfilment_quantity_conflict` for units not shipped (nothing is delivered before it
    ships)."""
    order, all_lines, by_id, delivered = await _take(
        uow, order_id=order_id, lines=lines, count=_DELIVERING, check=_can_be_delivered
    )
    _DELIVERING.add(by_id, delivered)
    if all(
        line.delivered_quantity >= line.quantity for line in all_lines if line.requires_shipping
    ):
        for line in all_lines:  # what does not ship arrives with the last physical delivery
            if not line.requires_shipping and line.shipped_quantity > line.delivered_quantity:
                delivered[line.id] = line.shipped_quantity - line.delivered_quantity
                line.delivered_quantity = line.shipped_quantity
    _note(
        uow,
        order,
        "shipment_delivered",
        now=now,
        actor=actor,
        shipment_id=shipment_id,
        lines=delivered,
    )
    done = order.status == OrderStatus.SHIPPED and all(
        line.delivered_quantity >= line.quantity for line in all_lines
    )
    if done:
        order.status, order.delivered_at = OrderStatus.DELIVERED, now
        records.record(uow, order, "delivered", now=now, actor=actor)
        uow.publish(
            events.OrderDelivered(order_id=order.id, number=order.number), aggregate_id=order.id
        )
    return done


async def record_returned(
    uow: UnitOfWork,
    *,
    order_id: str,
    return_id: str,
    lines: Mapping[str, int],
    now: datetime,
    actor: str | None = records.SYSTEM,
) -> Decimal:
    """`lines` came back with return `return_id`: what the shopper paid for those units
    (returned; the shipping charge is not refunded). 409 `fulfilment_quantity_conflict` for
    more units than were delivered and not yet returned."""
    order, all_lines, by_id, _ = await _take(uow, order_id=order_id, lines=lines, count=_RETURNING)
    before = OrderFulfilment.of(order, all_lines)
    worth = before.worth(lines, already={line.id: line.returned_quantity for line in all_lines})
    _RETURNING.add(by_id, lines)
    _note(
        uow,
        order,
        "returned",
        now=now,
        actor=actor,
        return_id=return_id,
        lines=dict(lines),
        amount=money(worth, order.currency),
    )
    return worth


async def fulfilment_of(uow: UnitOfWork, *, order_id: str) -> OrderFulfilment | None:
    order = await records.find(uow, order_id)
    if order is None:
        return None
    return OrderFulfilment.of(order, await records.lines_of(uow, order.id))
