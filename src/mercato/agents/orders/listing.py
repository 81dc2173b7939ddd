"""Lists of orders, newest first, paged by a keyset cursor (placed_at, id): a customer's own
(or a guest session's), a merchant's (orders with its lines, showing only those), or every
order for staff. Filters: status, payment status, tag, and `q` (an order number or an
email address)."""

from __future__ import annotations

import base64
import binascii
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Select, and_, exists, false, func, or_, select

from mercato.agents.orders.access import is_staff, merchant_of
from mercato.agents.orders.models import Order, OrderLine, OrderTag
from mercato.agents.orders.problems import InvalidCursor
from mercato.agents.orders.views import OrderLineInfo
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.money import round_money


@dataclass(frozen=True)
class OrderFilters:
    status: str | None = None
    payment_status: str | None = None
    tag: str | None = None
    q: str | None = None


@dataclass(frozen=True)
class OrderSummary:
    id: str
    number: str
    status: str
    payment_status: str
    review: str | None
    email: str
    currency: str
    total: Decimal
    placed_at: datetime
    lines: list[OrderLineInfo]


@dataclass(frozen=True)
class OrdersPage:
    items: list[OrderSummary]
    next_cursor: str | None


def _scoped(principal: Principal) -> tuple[Select[Order], str | None]:
    """The orders the principal may list, and the merchant whose lines it sees."""
    query = select(Order)
    if is_staff(principal):
        return query, None
    merchant = merchant_of(principal)
    if merchant is not None:
        has_lines = exists().where(
            OrderLine.order_id == Order.id, OrderLine.merchant_id == merchant
        )
        return query.where(has_lines), merchant
    if principal.kind == "user":
        return query.where(Order.customer_id == principal.id), None
    if principal.kind == "guest" and principal.session_id:
        return query.where(
            Order.session_id == principal.session_id, Order.customer_id.is_(None)
        ), None
    return query.where(false()), None


async def list_orders(
    uow: UnitOfWork,
    *,
    principal: Principal,
    filters: OrderFilters,
    cursor: str | None = None,
    limit: int = 50,
) -> OrdersPage:
    query, merchant = _scoped(principal)
    if filters.status is not None:
        query = query.where(Order.status == filters.status)
    if filters.payment_status is not None:
        query = query.where(Order.payment_status == filters.payment_status)
    if filters.tag is not None:
        query = query.where(
            exists().where(OrderTag.order_id == Order.id, OrderTag.tag == filters.tag.lower())
        )
    if filters.q:
        q = filters.q.strip()
        query = query.where(or_(Order.number == q.upper(), func.lower(Order.email) == q.lower()))
    if cursor:
        placed, order_id = decode(cursor)
        query = query.where(
            or_(Order.placed_at < placed, and_(Order.placed_at == placed, Order.id < order_id))
        )
    query = query.order_by(Order.placed_at.desc(), Order.id.desc()).limit(limit + 1)
    found = list(await uow.session.scalars(query))
    more = len(found) > limit
    found = found[:limit]
    lines = await _lines(uow, found, merchant)
    items = [
        OrderSummary(
            id=order.id,
            number=order.number,
            status=order.status,
            payment_status=order.payment_status,
            review=order.review,
            email=order.email,
            currency=order.currency,
            total=round_money(order.total, order.currency),
            placed_at=order.placed_at,
            lines=lines.get(order.id, []),
        )
        for order in found
    ]
    last = found[-1] if found else None
    return OrdersPage(items, encode(last.placed_at, last.id) if more and last else None)


async def _lines(
    uow: UnitOfWork, orders: list[Order], merchant: str | None
) -> dict[str, list[OrderLineInfo]]:
    order_ids = [order.id for order in orders]
    currency = {order.id: order.currency for order in orders}
    if not order_ids:
        return {}
    query = select(OrderLine).where(OrderLine.order_id.in_(order_ids))
    if merchant is not None:
        query = query.where(OrderLine.merchant_id == merchant)
    by_order: dict[str, list[OrderLineInfo]] = defaultdict(list)
    for line in await uow.session.scalars(query.order_by(OrderLine.position, OrderLine.id)):
        by_order[line.order_id].append(OrderLineInfo.of(line, currency[line.order_id]))
    return by_order


def encode(placed_at: datetime, order_id: str) -> str:
    return base64.urlsafe_b64encode(f"{placed_at.isoformat()}|{order_id}".encode()).decode()


def decode(cursor: str) -> tuple[datetime, str]:
    try:
        stamp, order_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|", 1)
        placed = datetime.fromisoformat(stamp)
        if placed.tzinfo is None or not order_id:
            raise ValueError(cursor)
        return placed, order_id
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise InvalidCursor("the cursor is not one this API issued") from None
