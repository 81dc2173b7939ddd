"""`orders`: orders placed and what became of them per time bucket; average order value,
discounts, refunds (on the refund's day, of orders that are sales) and the refund rate."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select

from mercato.agents.analytics.models import OrderFact, RefundFact
from mercato.agents.analytics.reports.common import (
    Question,
    amount_if,
    aov,
    bucket,
    in_period,
    money,
    share,
)
from mercato.agents.analytics.reports.shapes import OrdersFigures, OrdersRow
from mercato.agents.analytics.statuses import SALES, FactStatus
from mercato.kernel.db import UnitOfWork


async def orders_report(uow: UnitOfWork, q: Question) -> tuple[OrdersFigures, list[OrdersRow]]:
    totals = (await _figures(uow, q, with_bucket=False)).get(None) or _figures_of(q, None, None)
    found = await _figures(uow, q, with_bucket=True)
    rows = [
        OrdersRow(bucket=day, **(found.get(day) or _figures_of(q, None, None)).model_dump())
        for day in q.period.buckets()
    ]
    return totals, rows


async def _figures(
    uow: UnitOfWork, q: Question, *, with_bucket: bool
) -> dict[date | None, OrdersFigures]:
    key: list[Any] = [bucket(OrderFact, q)] if with_bucket else []
    is_sale = OrderFact.status.in_(SALES)
    placed = await uow.session.execute(
        select(
            *key,
            func.count(),
            func.sum(case((is_sale, 1), else_=0)),
            func.sum(case((OrderFact.status == FactStatus.PENDING, 1), else_=0)),
            func.sum(case((OrderFact.status == FactStatus.CANCELLED, 1), else_=0)),
            func.sum(amount_if(is_sale, OrderFact.total)),
            func.sum(amount_if(is_sale, OrderFact.discount)),
        )
        .select_from(OrderFact)
        .where(in_period(OrderFact.day, q.period), OrderFact.currency == q.currency)
        .group_by(*key)
    )
    refund_key: list[Any] = [bucket(RefundFact, q)] if with_bucket else []
    refunded = await uow.session.execute(
        select(*refund_key, func.sum(RefundFact.amount), func.count(RefundFact.order_id.distinct()))
        .select_from(RefundFact)
        .join(
            OrderFact,
            and_(
                OrderFact.tenant_id == RefundFact.tenant_id,
                OrderFact.order_id == RefundFact.order_id,
            ),
        )
        .where(in_period(RefundFact.day, q.period), RefundFact.currency == q.currency, is_sale)
        .group_by(*refund_key)
    )
    refunds = {(row[0] if with_bucket else None): row[-2:] for row in refunded}
    found = {}
    for row in placed:
        day = row[0] if with_bucket else None
        found[day] = _figures_of(q, row[len(key) :], refunds.pop(day, None))
    for day, refund in refunds.items():
        found[day] = _figures_of(q, None, refund)
    return found


def _figures_of(q: Question, placed: Any, refunded: Any) -> OrdersFigures:
    count, sold, pending, cancelled, total, discount = placed or (0, 0, 0, 0, 0, 0)
    refund_amount, refunded_orders = refunded or (0, 0)
    revenue = money(total, q.currency)
    refunds = money(refund_amount, q.currency)
    return OrdersFigures(
        placed=int(count or 0),
        orders=int(sold or 0),
        pending=int(pending or 0),
        cancelled=int(cancelled or 0),
        revenue=revenue,
        aov=aov(revenue, int(sold or 0), q.currency),
        discounts=money(discount, q.currency),
        refunds=refunds,
        refunded_orders=int(refunded_orders or 0),
        refund_rate=share(refunds, revenue),
    )
