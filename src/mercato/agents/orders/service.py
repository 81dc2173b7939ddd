"""Order commands and queries: the only code that writes the orders agent's tables (with
`placing`, `lifecycle`, `modification`, `notes`, `numbering` and `records`). Every
function takes the caller's unit of work first and never commits.

The checkout saga uses `place`, `confirm`, `abandon` and `get_order`/`order_info`; the API
the rest. Code outside the agent imports this module only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from mercato.agents.orders import access, lifecycle, notes, numbering, records
from mercato.agents.orders.access import Sight
from mercato.agents.orders.addresses import Address
from mercato.agents.orders.dispatch import (
    deliver_lines,
    fulfilment_of,
    record_returned,
    ship_lines,
)
from mercato.agents.orders.fulfilment import FulfilmentLine, FulfilmentStatus, OrderFulfilment
from mercato.agents.orders.listing import OrderFilters, OrdersPage, OrderSummary, list_orders
from mercato.agents.orders.models import Order
from mercato.agents.orders.modification import OrderChanges, modify_order
from mercato.agents.orders.placing import place
from mercato.agents.orders.problems import (
    FulfilmentConflict,
    OrderNotFound,
    OrderNotPaid,
    OrderUnderReview,
)
from mercato.agents.orders.replacement import place_replacement
from mercato.agents.orders.statuses import OrderPaymentStatus, OrderStatus
from mercato.agents.orders.views import NoteView, OrderInfo, OrderLineInfo, OrderView
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import NotFound
from mercato.kernel.security import AnotherStoresObject, get_or_404

__all__ = [
    "Address",
    "FulfilmentConflict",
    "FulfilmentLine",
    "FulfilmentStatus",
    "NoteView",
    "OrderBrief",
    "OrderChanges",
    "OrderFilters",
    "OrderFulfilment",
    "OrderInfo",
    "OrderLineInfo",
    "OrderNotFound",
    "OrderNotPaid",
    "OrderSummary",
    "OrderUnderReview",
    "OrderView",
    "OrdersPage",
    "abandon",
    "add_note",
    "add_tag",
    "briefs_of",
    "cancel",
    "check_this_store",
    "confirm",
    "deliver",
    "deliver_lines",
    "fulfilment_of",
    "get_order",
    "id_of_number",
    "list_orders",
    "modify",
    "order_info",
    "place",
    "place_replacement",
    "record_returned",
    "remove_tag",
    "set_tags",
    "ship",
    "ship_lines",
]


# -- queries ------------------------------------------------------------------------------


async def id_of_number(uow: UnitOfWork, *, reference: str) -> str | None:
    """The id of this store's order whose number is `reference` (`ORD-2026-0000042`); None
    when `reference` is not an order number or no order of this store has it."""
    if not numbering.is_number(reference):
        return None
    return await records.id_of_number(uow, reference)


async def order_info(uow: UnitOfWork, *, order_id: str) -> OrderInfo | None:
    order = await records.find(uow, order_id)
    return None if order is None else await lifecycle.info(uow, order)


@dataclass(frozen=True)
class OrderBrief:
    id: str
    number: str
    status: str


async def briefs_of(uow: UnitOfWork, order_ids: Sequence[str]) -> dict[str, OrderBrief]:
    """Number and status of each order of `order_ids` in this store, in one query (missing
    ids are absent): what a batch (a pick list of 50 orders) needs to check them."""
    found = await uow.session.execute(
        select(Order.id, Order.number, Order.status).where(Order.id.in_(list(order_ids)))
    )
    return {row.id: OrderBrief(row.id, row.number, row.status) for row in found}


async def get_order(uow: UnitOfWork, *, order_id: str, principal: Principal) -> OrderView:
    """The order as the principal may see it (lines, totals, addresses, payment status,
    review flag, timeline, notes, tags); another shopper's order is 404."""
    order = await records.find(uow, order_id)
    if order is None:
        raise OrderNotFound(f"no order {order_id!r}")
    return await _view(uow, order, principal)


async def check_this_store(uow: UnitOfWork, *, order_id: str, principal: Principal) -> None:
    """`OrderNotFound` unless the order is this store's; `AnotherStoresObject` (a 404 too)
    for another store's, for the edge to record once its unit of work has ended."""
    try:
        await get_or_404(uow, Order, order_id, principal=principal, what="order")
    except AnotherStoresObject:
        raise
    except NotFound:
        raise OrderNotFound(f"no order {order_id!r}") from None


async def _view(uow: UnitOfWork, order: Order, principal: Principal) -> OrderView:
    lines = await records.lines_of(uow, order.id)
    seen = access.sight(principal, order, lines)
    staff = seen is Sight.ALL
    timeline = await records.timeline_of(uow, order.id)
    if not staff:
        timeline = [entry for entry in timeline if not (entry.detail or {}).get("staff_only")]
    return OrderView.of(
        order,
        lines=access.visible_lines(principal, seen, lines),
        timeline=timeline,
        notes=await records.notes_of(uow, order.id, internal=staff),
        tags=await records.tags_of(uow, order.id) if staff else [],
        all_lines=lines,
    )


async def _for(uow: UnitOfWork, order_id: str, principal: Principal) -> tuple[Order, Sight]:
    """The order locked for a command, and what the principal sees of it (404 if nothing)."""
    order = await records.lock(uow, order_id)
    return order, access.sight(principal, order, await records.lines_of(uow, order.id))


# -- the checkout saga's ------------------------------------------------------------------


async def confirm(
    uow: UnitOfWork,
    *,
    order_id: str,
    now: datetime,
    payment_status: OrderPaymentStatus | None = None,
    review: str | None = None,
    placed: OrderInfo | None = None,
) -> OrderInfo:
    """pending → confirmed: its reservation is allocated (stops expiring; 409
    `reservation_not_active` if it lapsed); `order.confirmed`. Idempotent. Checkout passes
    what it knows of the payment (`authorized` or `paid`, and a fraud `review`), so the order
    never shows a stale payment status or ships before its review flag arrives by event;
    `placed`: the order as `place` returned it (its lines are not read again)."""
    if placed is not None and payment_status is not None:
        # the order as the caller placed it: still pending, it is confirmed without being
        # loaded; otherwise (a late event moved it on) as any other order
        confirmed = await lifecycle.confirm_placed(
            uow, placed, now=now, payment_status=payment_status, review=review
        )
        if confirmed is not None:
            return confirmed
    order = await records.lock(uow, order_id)
    if placed is not None:  # the order as the caller placed it: its lines are not read again
        await lifecycle.confirm_order(
            uow, order, now=now, payment_status=payment_status, review=review, lines=placed.lines
        )
        return replace(
            placed,
            status=order.status,
            payment_status=order.payment_status,
            review=order.review,
            version=order.version,
        )
    lines = await records.lines_of(uow, order_id)
    await lifecycle.confirm_order(
        uow, order, now=now, payment_status=payment_status, review=review, lines=lines
    )
    return OrderInfo.of(order, lines)


async def abandon(
    uow: UnitOfWork, *, order_id: str, reason: str, now: datetime
) -> OrderInfo | None:
    """The checkout's compensation: the order (pending, or confirmed by a late payment
    event) → cancelled, its reservation released (none is fine); `order.cancelled` with
    payment_action "none" (the saga voids the payment itself). No-op if absent, already
    cancelled, or shipped."""
    order = await records.find(uow, order_id, lock=True)
    if order is None:
        return None
    if order.status in {OrderStatus.PENDING, OrderStatus.CONFIRMED}:
        await lifecycle.cancel_order(uow, order, reason=reason, payment_action="none", now=now)
    return await lifecycle.info(uow, order)


# -- the API's ----------------------------------------------------------------------------


async def cancel(
    uow: UnitOfWork, *, order_id: str, principal: Principal, reason: str, now: datetime
) -> OrderView:
    """Cancel before shipping (BR006: 409 once shipped): the stock is released and
    `order.cancelled` asks payments to void an authorization or refund a capture. The
    customer's own pending or confirmed order, or any with `orders:manage`. Cancelling a
    cancelled order changes nothing."""
    order, seen = await _for(uow, order_id, principal)
    access.require_changer(principal, seen, "cancel")
    await lifecycle.cancel_order(
        uow,
        order,
        reason=reason,
        payment_action=lifecycle.payment_action_for(order.payment_status),
        now=now,
        actor=records.actor_of(principal),
    )
    return await _view(uow, order, principal)


async def modify(
    uow: UnitOfWork,
    *,
    order_id: str,
    principal: Principal,
    changes: OrderChanges,
    if_match: int | None,
    now: datetime,
) -> OrderView:
    """Change the shipping address and/or line quantities before fulfilment (409
    `order_not_modifiable` after): re-priced, the reservation adjusted (409
    `insufficient_stock`, nothing changed), `order.modified` with both totals."""
    order, seen = await _for(uow, order_id, principal)
    access.require_changer(principal, seen, "modify")
    await modify_order(
        uow, order, changes=changes, if_match=if_match, now=now, actor=records.actor_of(principal)
    )
    return await _view(uow, order, principal)


async def ship(
    uow: UnitOfWork,
    *,
    order_id: str,
    principal: Principal,
    carrier: str | None = None,
    tracking_number: str | None = None,
    now: datetime,
) -> OrderView:
    """confirmed → shipped (`orders:manage`): the units leave (inventory.commit) and
    `order.shipped` lets payments capture. 409 `order_under_review` while under review."""
    access.require_manager(principal, "shipping an order")
    order, _ = await _for(uow, order_id, principal)
    await lifecycle.ship_order(
        uow,
        order,
        carrier=carrier,
        tracking_number=tracking_number,
        now=now,
        actor=records.actor_of(principal),
    )
    return await _view(uow, order, principal)


async def deliver(
    uow: UnitOfWork, *, order_id: str, principal: Principal, now: datetime
) -> OrderView:
    """shipped → delivered (`orders:manage`); `order.delivered`."""
    access.require_manager(principal, "delivering an order")
    order, _ = await _for(uow, order_id, principal)
    await lifecycle.deliver_order(uow, order, now=now, actor=records.actor_of(principal))
    return await _view(uow, order, principal)


async def add_note(
    uow: UnitOfWork,
    *,
    order_id: str,
    principal: Principal,
    body: str,
    internal: bool = False,
    now: datetime,
) -> NoteView:
    """A note on the order: internal ones by staff only; others by staff or the customer
    who placed it."""
    order, seen = await _for(uow, order_id, principal)
    if internal or seen is not Sight.OWNER:
        access.require_staff(principal, "an internal note" if internal else "a note")
    note = notes.add_note_row(
        uow, order, author=records.actor_of(principal), body=body, internal=internal, now=now
    )
    await uow.session.flush()
    return NoteView.of(note)


async def set_tags(
    uow: UnitOfWork, *, order_id: str, principal: Principal, tags: list[str], now: datetime
) -> list[str]:
    """Make the order's tags exactly these (staff)."""
    access.require_staff(principal, "tagging an order")
    order, _ = await _for(uow, order_id, principal)
    return await notes.replace_tags(
        uow, order, tags=notes.normalize_tags(tags), now=now, actor=principal.id
    )


async def add_tag(
    uow: UnitOfWork, *, order_id: str, principal: Principal, tag: str, now: datetime
) -> list[str]:
    access.require_staff(principal, "tagging an order")
    order, _ = await _for(uow, order_id, principal)
    current = await records.tags_of(uow, order.id)
    wanted = notes.normalize_tags([*current, tag])
    return await notes.replace_tags(uow, order, tags=wanted, now=now, actor=principal.id)


async def remove_tag(
    uow: UnitOfWork, *, order_id: str, principal: Principal, tag: str, now: datetime
) -> list[str]:
    access.require_staff(principal, "tagging an order")
    order, _ = await _for(uow, order_id, principal)
    gone = notes.normalize_tag(tag)
    wanted = [t for t in await records.tags_of(uow, order.id) if t != gone]
    return await notes.replace_tags(uow, order, tags=wanted, now=now, actor=principal.id)
