"""Orders, their lines and their refunds as analytics keeps them, written from the orders' and
payments' events. Each write is an upsert keyed by the event's ids, or a value recomputed from
the rows (an order's refunded amount, a customer's first order), so a redelivered or
replayed event changes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update

from mercato.agents.analytics.calendar import local_dates
from mercato.agents.analytics.models import LineFact, OrderFact, RefundFact
from mercato.agents.analytics.statements import (
    FIRST_SALE,
    MARK_FIRST,
    MOVE_ORDER,
    ORDER_STATE,
    UPSERT_LINES,
    UPSERT_ORDER,
    for_dialect,
)
from mercato.agents.analytics.statuses import SALES, FactStatus, later
from mercato.agents.catalog import service as catalog
from mercato.agents.orders import service as orders
from mercato.agents.orders.events import OrderLineData, OrderPlaced
from mercato.kernel import context
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.errors import NotFound


def customer_key(customer_id: str | None, email: str) -> str:
    """Who placed an order: the account, or a guest by the hash of their lower-cased email
    (the same guest's orders are theirs, and no address is kept)."""
    if customer_id:
        return f"u:{customer_id}"[:64]
    return "e:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:40]


def parse_time(text: str) -> datetime:
    at = datetime.fromisoformat(text)
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


async def record_placed(uow: UnitOfWork, event: OrderPlaced, tz: ZoneInfo) -> None:
    """The order (pending until confirmed) and its lines, with their products' categories."""
    placed_at = parse_time(event.placed_at)
    key = customer_key(event.customer_id, event.email)
    values: dict[str, Any] = {
        "number": event.number,
        "placed_at": placed_at,
        **local_dates(placed_at, tz).as_dict(),
        "currency": event.currency,
        "subtotal": Decimal(event.subtotal),
        "discount": Decimal(event.discount),
        "tax": Decimal(event.tax),
        "shipping": Decimal(event.shipping),
        "total": Decimal(event.total),
        "units": sum(line.quantity for line in event.lines),
        "channel": event.channel[:16],
        "customer_key": key,
    }
    await for_dialect(UPSERT_ORDER, uow).run(
        uow,
        order_id=event.order_id,
        status=FactStatus.PENDING,
        refunded=Decimal(0),
        first_order=False,
        **values,
    )
    await _record_lines(uow, event.order_id, event.lines)


async def _record_lines(uow: UnitOfWork, order_id: str, lines: Sequence[OrderLineData]) -> None:
    if not lines:
        return
    products = await _products_of(uow, lines)
    categories = await catalog.product_categories(uow, [p for p, _, _ in products.values()])
    rows = []
    for line in lines:
        product_id, merchant_id, name = products[line.line_id]
        category_id, category_name = categories.get(product_id, (None, None))
        rows.append(
            {
                "line_id": line.line_id,
                "order_id": order_id,
                "variant_id": line.variant_id,
                "product_id": product_id,
                "sku": line.sku,
                "name": name[:300],
                "merchant_id": merchant_id,
                "category_id": category_id,
                "category_name": category_name[:120] if category_name else None,
                "quantity": line.quantity,
                "unit_price": Decimal(line.unit_price),
                "line_total": Decimal(line.line_total),
            }
        )
    await for_dialect(UPSERT_LINES, uow).run_many(uow, rows)


async def _products_of(
    uow: UnitOfWork, lines: Sequence[OrderLineData]
) -> dict[str, tuple[str, str | None, str]]:
    """Line id → (product id, merchant id, name): the event's, or for events written before
    lines carried them, the catalog's."""
    missing = [line.variant_id for line in lines if not line.product_id]
    variants = await catalog.sellable_variants(uow, missing) if missing else {}
    found: dict[str, tuple[str, str | None, str]] = {}
    for line in lines:
        variant = variants.get(line.variant_id)
        if line.product_id or variant is None:
            found[line.line_id] = (line.product_id, line.merchant_id, line.name or line.sku)
        else:
            found[line.line_id] = (variant.product_id, variant.merchant_id, variant.name)
    return found


async def record_status(
    uow: UnitOfWork, *, order_id: str, status: FactStatus, at: datetime
) -> None:
    """The order moved on (statuses only move forward); a change in whether it is a sale
    may change which order is its customer's first."""
    row = await ORDER_STATE.first(uow, order_id=order_id)
    if row is None:  # its order.placed was never handled (a partial replay): nothing to move
        return
    current, key = row
    moved = later(current, status)
    await MOVE_ORDER.run(
        uow,
        order_id=order_id,
        new_status=moved,
        confirmed=at if status is FactStatus.CONFIRMED else None,
        cancelled=at if status is FactStatus.CANCELLED else None,
    )
    if (moved in SALES) != (current in SALES):
        await refresh_first_order(uow, key)


async def refresh_first_order(uow: UnitOfWork, key: str) -> None:
    """Mark the customer's earliest sale as their first order, and only it."""
    first = await FIRST_SALE.scalar(uow, key=key)
    await MARK_FIRST.run(uow, key=key, first=first or "")


async def record_modified(uow: UnitOfWork, *, order_id: str) -> None:
    """The order's amounts and line quantities as the orders agent now has them (a
    modification re-prices the order: its tax and shipping too)."""
    reader = Principal(
        id="analytics",
        tenant_id=context.current_tenant() or "",
        kind="system",
        roles=frozenset({"system"}),
    )
    try:
        order = await orders.get_order(uow, order_id=order_id, principal=reader)
    except NotFound:
        return
    kept = {line.id: line for line in order.lines}
    await uow.session.execute(
        delete(LineFact)
        .where(LineFact.order_id == order_id, LineFact.line_id.not_in(list(kept) or [""]))
        .execution_options(synchronize_session=False)
    )
    for line in order.lines:
        await uow.session.execute(
            update(LineFact)
            .where(LineFact.line_id == line.id)
            .values(quantity=line.quantity, line_total=line.line_total)
            .execution_options(synchronize_session=False)
        )
    await uow.session.execute(
        update(OrderFact)
        .where(OrderFact.order_id == order_id)
        .values(
            subtotal=order.subtotal,
            discount=order.discount,
            tax=order.tax,
            shipping=order.shipping,
            total=order.total,
            units=sum(line.quantity for line in order.lines),
        )
        .execution_options(synchronize_session=False)
    )


STORE_CREDIT = "store_credit"
"""The `payment_id` of a refund made as store credit (no payment was refunded)."""


async def record_refund(
    uow: UnitOfWork,
    *,
    refund_id: str,
    order_id: str,
    payment_id: str,
    amount: Decimal,
    currency: str,
    at: datetime,
    tz: ZoneInfo,
) -> None:
    """The refund on its own day, and the order's refunded amount summed again: to its
    payment (`payment.refunded`) or as store credit (a return's `refund.issued`)."""
    insert = upsert_insert(uow.session)(RefundFact).values(
        tenant_id=context.current_tenant(),
        refund_id=refund_id[:200],
        order_id=order_id,
        payment_id=payment_id,
        amount=amount,
        currency=currency,
        refunded_at=at,
        **local_dates(at, tz).as_dict(),
    )
    await uow.session.execute(insert.on_conflict_do_nothing())
    refunded = await uow.session.scalar(
        select(func.coalesce(func.sum(RefundFact.amount), 0)).where(RefundFact.order_id == order_id)
    )
    await uow.session.execute(
        update(OrderFact)
        .where(OrderFact.order_id == order_id)
        .values(refunded=Decimal(refunded or 0))
        .execution_options(synchronize_session=False)
    )
