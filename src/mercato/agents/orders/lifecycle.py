"""An order's way through its statuses: pending → confirmed → shipped → delivered, or
cancelled before it ships (BR006). Each transition locks the order, moves the stock with
inventory (allocate, release, commit; the reservation's reference is the order id),
appends to the timeline and publishes its event. Transitions already made are no-ops.

Inventory is reached through `stock` (the `OrderStock` it offers; the inventory agent's
service by default), so a unit test can hand in a fake (tests/fakes/inventory.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from mercato.agents.inventory import service as inventory
from mercato.agents.orders import dispatch, events, records
from mercato.agents.orders.events import PaymentAction
from mercato.agents.orders.models import Order
from mercato.agents.orders.problems import (
    OrderStatusConflict,
    StockNoLongerHeld,
)
from mercato.agents.orders.statuses import CANCELLABLE, OrderPaymentStatus, OrderStatus
from mercato.agents.orders.views import OrderInfo, money
from mercato.kernel import rules
from mercato.kernel.db import UnitOfWork

RELEASE_REASON = "order_cancelled"


class Quantity(Protocol):
    """A line as confirming counts it (an order line, or its info)."""

    @property
    def variant_id(self) -> str: ...

    @property
    def quantity(self) -> int: ...


class Shipped(Protocol):
    """A line as shipping the whole order counts it."""

    id: str
    quantity: int
    shipped_quantity: int


class OrderStock(Protocol):
    """What an order's transitions ask of inventory, for the reservation made under the
    order's id (`mercato.agents.inventory.service` is one)."""

    async def allocate(
        self, uow: UnitOfWork, *, reference: str, now: datetime
    ) -> Sequence[Quantity]: ...

    async def release(
        self, uow: UnitOfWork, *, reference: str, now: datetime, reason: str = ...
    ) -> Sequence[Quantity]: ...

    async def commit(
        self, uow: UnitOfWork, *, reference: str, now: datetime
    ) -> Sequence[Quantity]: ...


async def info(uow: UnitOfWork, order: Order) -> OrderInfo:
    return OrderInfo.of(order, await records.lines_of(uow, order.id))


def payment_action_for(payment_status: str) -> PaymentAction:
    """What cancelling an order asks of payments: void an authorization, refund a capture."""
    if payment_status == OrderPaymentStatus.AUTHORIZED:
        return "void"
    if payment_status in {OrderPaymentStatus.PAID, OrderPaymentStatus.PARTIALLY_REFUNDED}:
        return "refund"
    return "none"


async def confirm_order(
    uow: UnitOfWork,
    order: Order,
    *,
    now: datetime,
    actor: str | None = records.SYSTEM,
    payment_status: OrderPaymentStatus | None = None,
    review: str | None = None,
    lines: Sequence[Quantity] | None = None,
    stock: OrderStock = inventory,
) -> None:
    """pending → confirmed; the reservation stops expiring (inventory.allocate: 409
    `reservation_not_active` if it lapsed, 404 if there is none) and must cover the order's
    `lines` (read here unless the caller has them). What the caller knows of the payment
    (`payment_status` for a pending one, a fraud `review`) is set in the same UPDATE."""
    if order.status in {OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED}:
        return
    if lines is None:
        lines = await records.lines_of(uow, order.id)
    if order.status != OrderStatus.PENDING:
        raise OrderStatusConflict(f"a {order.status} order cannot be confirmed")
    await _allocate(uow, order.id, lines, now=now, stock=stock)
    if payment_status is not None and order.payment_status == OrderPaymentStatus.PENDING:
        order.payment_status = payment_status
    if review is not None:
        order.review = review
    order.status, order.confirmed_at = OrderStatus.CONFIRMED, now
    records.touch(order, now)
    await _confirmed(uow, order, review=order.review, actor=actor, now=now)


async def confirm_placed(
    uow: UnitOfWork,
    placed: OrderInfo,
    *,
    now: datetime,
    payment_status: OrderPaymentStatus,
    review: str | None,
    stock: OrderStock = inventory,
) -> OrderInfo | None:
    """`confirm_order` for the checkout: the order it has just placed, confirmed by one
    conditional UPDATE (it locks the row, as `records.lock` would, before any stock row)
    instead of locking, loading and flushing the order; None if it is no longer pending
    (nothing changed). The same allocation, check, timeline entry and event: a lapsed hold
    raises after the UPDATE, and the caller's transaction rolls it back with the rest."""
    found = await records.CONFIRM_PENDING.first(
        uow, order_id=placed.id, now=now, paid=payment_status, review=review
    )
    if found is None:
        return None
    await _allocate(uow, placed.id, placed.lines, now=now, stock=stock)
    confirmed = replace(
        placed,
        status=OrderStatus.CONFIRMED,
        payment_status=OrderPaymentStatus(found.payment_status),
        review=found.review,
        version=int(found.version),
    )
    await _confirmed(uow, placed, review=confirmed.review, actor=records.SYSTEM, now=now)
    return confirmed


async def _confirmed(
    uow: UnitOfWork,
    order: Order | OrderInfo,
    *,
    review: str | None,
    actor: str | None,
    now: datetime,
) -> None:
    """What a confirmation leaves: its timeline entry and `order.confirmed`."""
    await records.TIMELINE.add(
        uow, records.entry(order, "confirmed", now=now, actor=actor, review=review)
    )
    uow.publish(
        events.OrderConfirmed(
            order_id=order.id,
            number=order.number,
            total=money(order.total, order.currency),
            currency=order.currency,
            review=review,
        ),
        aggregate_id=order.id,
    )


async def _allocate(
    uow: UnitOfWork, order_id: str, lines: Sequence[Quantity], *, now: datetime, stock: OrderStock
) -> None:
    """The order's reservation stops expiring, and must cover its lines (none of it held,
    every hold lapsed, is the same refusal as part of it)."""
    held = Counter[str]()
    try:
        allocated = await stock.allocate(uow, reference=order_id, now=now)
    except inventory.ReservationNotFound:
        allocated = []
    for reservation in allocated:
        held[reservation.variant_id] += reservation.quantity
    wanted = Counter[str]()
    for line in lines:
        wanted[line.variant_id] += line.quantity
    if held != wanted:  # part of it lapsed (BR018) before the order could be confirmed
        raise StockNoLongerHeld(
            "the stock held for the order no longer covers its lines: it cannot be confirmed"
        )


async def cancel_order(
    uow: UnitOfWork,
    order: Order,
    *,
    reason: str,
    payment_action: PaymentAction,
    now: datetime,
    actor: str | None = records.SYSTEM,
    stock: OrderStock = inventory,
    lines: Sequence[Shipped] | None = None,
) -> None:
    """→ cancelled before it ships (BR006, 409 after: a part shipped counts), its stock
    released. The caller says what payments must do (`order.cancelled`'s
    `payment_action`); `lines` are read here unless the caller has them."""
    status = order.status
    if status == OrderStatus.CONFIRMED and lines is None:
        lines = await records.lines_of(uow, order.id)
    if status == OrderStatus.CONFIRMED and any(line.shipped_quantity for line in lines or ()):
        status = OrderStatus.SHIPPED  # part of it has left: what is left is not cancelled
    await rules.enforce(
        "BR006",
        detail=f"the order is {status}: it can only be cancelled before it ships",
        status=status,
    )
    if order.status not in CANCELLABLE:  # cancelled already
        return
    await stock.release(uow, reference=order.id, now=now, reason=RELEASE_REASON)
    order.status, order.cancelled_at = OrderStatus.CANCELLED, now
    order.cancel_reason = reason[:64]
    records.touch(order, now)
    records.record(
        uow, order, "cancelled", now=now, actor=actor, reason=reason, payment_action=payment_action
    )
    announce_cancelled(uow, order, payment_action=payment_action)


def announce_cancelled(uow: UnitOfWork, order: Order, *, payment_action: PaymentAction) -> None:
    """`order.cancelled` for a cancelled order (again, when payments must act after all)."""
    uow.publish(
        events.OrderCancelled(
            order_id=order.id,
            number=order.number,
            reason=order.cancel_reason or "cancelled",
            payment_action=payment_action,
            total=money(order.total, order.currency),
            currency=order.currency,
        ),
        aggregate_id=order.id,
    )


async def ship_order(
    uow: UnitOfWork,
    order: Order,
    *,
    carrier: str | None,
    tracking_number: str | None,
    now: datetime,
    actor: str | None,
    stock: OrderStock = inventory,
    lines: Sequence[Shipped] | None = None,
) -> None:
    """confirmed → shipped: the held units leave (inventory.commit), payments captures
    (`lines` are read here unless the caller has them).
    Refused while the payment is under manual review (409 `order_under_review`), and while
    nothing holds the money (409 `order_not_paid`: its authorization failed or was voided)."""
    if order.status in {OrderStatus.SHIPPED, OrderStatus.DELIVERED}:
        return
    dispatch.check_shippable(order)
    if lines is None:
        lines = await records.lines_of(uow, order.id)
    if any(line.shipped_quantity for line in lines):  # part of it left already: the rest
        await dispatch.ship_lines(
            uow,
            order_id=order.id,
            shipment_id=f"{order.id}:rest",
            lines=None,
            carrier=carrier,
            tracking_number=tracking_number,
            now=now,
            actor=actor,
        )
        return
    await stock.commit(uow, reference=order.id, now=now)
    units = {line.id: line.quantity for line in lines}
    for line in lines:
        line.shipped_quantity = line.quantity
    order.status, order.shipped_at = OrderStatus.SHIPPED, now
    order.carrier, order.tracking_number = carrier, tracking_number
    records.touch(order, now)
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
        events.OrderLinesShipped(
            order_id=order.id,
            number=order.number,
            shipment_id=f"{order.id}:all",
            capture_amount=money(order.total - (order.credit_applied or 0), order.currency),
            currency=order.currency,
            final=True,
            lines=units,
        ),
        aggregate_id=order.id,
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


async def deliver_order(uow: UnitOfWork, order: Order, *, now: datetime, actor: str | None) -> None:
    """shipped → delivered."""
    if order.status == OrderStatus.DELIVERED:
        return
    if order.status != OrderStatus.SHIPPED:
        raise OrderStatusConflict(f"a {order.status} order cannot be delivered")
    for line in await records.lines_of(uow, order.id):
        line.delivered_quantity = line.shipped_quantity
    order.status, order.delivered_at = OrderStatus.DELIVERED, now
    records.touch(order, now)
    records.record(uow, order, "delivered", now=now, actor=actor)
    uow.publish(
        events.OrderDelivered(order_id=order.id, number=order.number), aggregate_id=order.id
    )
