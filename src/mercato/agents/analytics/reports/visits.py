"""`funnel` (sessions → carts → checkouts → orders, with each step's conversion) and `carts`
(abandoned-cart rate, carts recovered after abandonment and their revenue), per time
bucket. Counts are of things begun in the bucket: a cart opened on Monday and checked out
on Tuesday is Monday's."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select

from mercato.agents.analytics.models import CartFact, OrderFact, SessionFact
from mercato.agents.analytics.reports.common import (
    Question,
    amount_if,
    bucket,
    by_bucket,
    in_period,
    money,
    share,
)
from mercato.agents.analytics.reports.shapes import (
    CartsFigures,
    CartsRow,
    FunnelFigures,
    FunnelRow,
)
from mercato.agents.analytics.statuses import SALES
from mercato.kernel.db import UnitOfWork


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


async def funnel_report(uow: UnitOfWork, q: Question) -> tuple[FunnelFigures, list[FunnelRow]]:
    sessions = by_bucket(
        await uow.session.execute(
            select(bucket(SessionFact, q), func.count())
            .where(in_period(SessionFact.day, q.period))
            .group_by(bucket(SessionFact, q))
        )
    )
    carts = by_bucket(
        await uow.session.execute(
            select(bucket(CartFact, q), func.count())
            .where(in_period(CartFact.day, q.period), CartFact.first_item_at.is_not(None))
            .group_by(bucket(CartFact, q))
        )
    )
    orders = by_bucket(
        await uow.session.execute(
            select(bucket(OrderFact, q), func.count(), _count_if(OrderFact.status.in_(SALES)))
            .where(in_period(OrderFact.day, q.period))
            .group_by(bucket(OrderFact, q))
        )
    )
    counts = {
        day: (
            _at(sessions, day, 1),
            _at(carts, day, 1),
            _at(orders, day, 1),
            _at(orders, day, 2),
        )
        for day in q.period.buckets()
    }
    rows = [FunnelRow(bucket=day, **_funnel(*c).model_dump()) for day, c in counts.items()]
    totals = _funnel(*(sum(c[i] for c in counts.values()) for i in range(4)))
    return totals, rows


def _at(rows: dict[date, Any], day: date, index: int) -> int:
    row = rows.get(day)
    return int(row[index] or 0) if row is not None else 0


def _funnel(sessions: int, carts: int, checkouts: int, orders: int) -> FunnelFigures:
    return FunnelFigures(
        sessions=sessions,
        carts=carts,
        checkouts=checkouts,
        orders=orders,
        cart_rate=share(carts, sessions),
        checkout_rate=share(checkouts, carts),
        order_rate=share(orders, checkouts),
        conversion_rate=share(orders, sessions),
    )


async def carts_report(uow: UnitOfWork, q: Question) -> tuple[CartsFigures, list[CartsRow]]:
    abandoned = CartFact.abandoned_at.is_not(None)
    recovered = and_(abandoned, CartFact.checked_out_at > CartFact.abandoned_at)
    counted = by_bucket(
        await uow.session.execute(
            select(
                bucket(CartFact, q),
                func.count(),
                _count_if(CartFact.checked_out_at.is_not(None)),
                _count_if(abandoned),
                _count_if(recovered),
            )
            .where(in_period(CartFact.day, q.period), CartFact.first_item_at.is_not(None))
            .group_by(bucket(CartFact, q))
        )
    )
    revenue = by_bucket(
        await uow.session.execute(
            select(bucket(CartFact, q), func.sum(amount_if(recovered, OrderFact.total)))
            .select_from(CartFact)
            .join(
                OrderFact,
                and_(
                    OrderFact.tenant_id == CartFact.tenant_id,
                    OrderFact.order_id == CartFact.order_id,
                ),
            )
            .where(
                in_period(CartFact.day, q.period),
                OrderFact.status.in_(SALES),
                OrderFact.currency == q.currency,
            )
            .group_by(bucket(CartFact, q))
        )
    )
    rows = []
    for day in q.period.buckets():
        carts, out, abandoned_, recovered_ = (_at(counted, day, i) for i in range(1, 5))
        figures = _carts(q, carts, out, abandoned_, recovered_, _sum(revenue, day))
        rows.append(CartsRow(bucket=day, **figures.model_dump()))
    totals = _carts(
        q,
        sum(r.carts for r in rows),
        sum(r.checked_out for r in rows),
        sum(r.abandoned for r in rows),
        sum(r.recovered for r in rows),
        sum((r.recovered_revenue for r in rows), money(0, q.currency)),
    )
    return totals, rows


def _sum(rows: dict[date, Any], day: date) -> Any:
    row = rows.get(day)
    return row[1] if row is not None else 0


def _carts(
    q: Question, carts: int, checked_out: int, abandoned: int, recovered: int, revenue: Any
) -> CartsFigures:
    return CartsFigures(
        carts=carts,
        checked_out=checked_out,
        abandoned=abandoned,
        recovered=recovered,
        abandoned_rate=share(abandoned, carts),
        recovery_rate=share(recovered, abandoned),
        recovered_revenue=money(revenue, q.currency),
    )
