"""`kpis`: what the dashboard shows and its stream pushes, for today and for the period:
revenue, orders, average order value, conversion (orders / sessions), refunds and their rate,
and the abandoned-cart rate."""

from __future__ import annotations

from sqlalchemy import and_, case, func, select

from mercato.agents.analytics.calendar import Period
from mercato.agents.analytics.models import CartFact, OrderFact, RefundFact, SessionFact
from mercato.agents.analytics.reports.common import (
    Question,
    aov,
    in_period,
    money,
    sales,
    share,
)
from mercato.agents.analytics.reports.shapes import KpiFigures, KpiRow
from mercato.agents.analytics.statuses import SALES
from mercato.kernel.db import UnitOfWork


async def kpis_report(uow: UnitOfWork, q: Question) -> tuple[KpiFigures, list[KpiRow]]:
    today = Period(q.today, q.today)
    now = await kpis_of(uow, q, today)
    period = await kpis_of(uow, q, q.period)
    rows = [
        KpiRow(scope="today", from_=today.start, to=today.end, **now.model_dump()),
        KpiRow(scope="period", from_=q.period.start, to=q.period.end, **period.model_dump()),
    ]
    return period, rows


async def kpis_of(uow: UnitOfWork, q: Question, window: Period) -> KpiFigures:
    """The figures of the store-local days of `window`."""
    asked = Question(period=window, currency=q.currency, today=q.today)
    revenue, orders = (
        await uow.session.execute(
            select(func.sum(OrderFact.total), func.count())
            .select_from(OrderFact)
            .where(sales(asked))
        )
    ).one()
    refunds = await uow.session.scalar(
        select(func.sum(RefundFact.amount))
        .select_from(RefundFact)
        .join(
            OrderFact,
            and_(
                OrderFact.tenant_id == RefundFact.tenant_id,
                OrderFact.order_id == RefundFact.order_id,
            ),
        )
        .where(
            in_period(RefundFact.day, window),
            RefundFact.currency == q.currency,
            OrderFact.status.in_(SALES),
        )
    )
    sessions = await uow.session.scalar(
        select(func.count()).select_from(SessionFact).where(in_period(SessionFact.day, window))
    )
    carts, abandoned = (
        await uow.session.execute(
            select(func.count(), func.sum(case((CartFact.abandoned_at.is_not(None), 1), else_=0)))
            .select_from(CartFact)
            .where(in_period(CartFact.day, window), CartFact.first_item_at.is_not(None))
        )
    ).one()
    revenue, refunds = money(revenue, q.currency), money(refunds, q.currency)
    return KpiFigures(
        revenue=revenue,
        orders=int(orders or 0),
        aov=aov(revenue, int(orders or 0), q.currency),
        sessions=int(sessions or 0),
        conversion_rate=share(int(orders or 0), int(sessions or 0)),
        refunds=refunds,
        refund_rate=share(refunds, revenue),
        carts=int(carts or 0),
        abandoned_rate=share(int(abandoned or 0), int(carts or 0)),
    )
