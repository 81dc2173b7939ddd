"""`customers` (new and returning customers and their revenue per time bucket) and `cohorts`
(customers by the month of their first order, and the share of each cohort that ordered
again 1, 2, … months later). A customer is an account, or a guest by their email; their
first order is their earliest sale."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, not_, select, true
from sqlalchemy.orm import aliased

from mercato.agents.analytics.calendar import months_between, next_bucket
from mercato.agents.analytics.models import OrderFact
from mercato.agents.analytics.reports.common import (
    Question,
    amount_if,
    bucket,
    money,
    sales,
    share,
)
from mercato.agents.analytics.reports.shapes import (
    CohortFigures,
    CohortRow,
    CustomersFigures,
    CustomersRow,
)
from mercato.agents.analytics.statuses import SALES
from mercato.kernel.db import UnitOfWork


async def customers_report(
    uow: UnitOfWork, q: Question
) -> tuple[CustomersFigures, list[CustomersRow]]:
    found = await _customers(uow, q, with_bucket=True)
    rows = [
        CustomersRow(bucket=day, **(found.get(day) or _figures(q, None)).model_dump())
        for day in q.period.buckets()
    ]
    totals = (await _customers(uow, q, with_bucket=False)).get(None) or _figures(q, None)
    return totals, rows


async def _customers(
    uow: UnitOfWork, q: Question, *, with_bucket: bool
) -> dict[date | None, CustomersFigures]:
    key: list[Any] = [bucket(OrderFact, q)] if with_bucket else []
    first = OrderFact.first_order.is_(True)
    rows = await uow.session.execute(
        select(
            *key,
            func.count(OrderFact.customer_key.distinct()),
            func.count(case((first, OrderFact.customer_key)).distinct()),
            func.count(),
            func.sum(amount_if(first, OrderFact.total)),
            func.sum(amount_if(not_(first), OrderFact.total)),
        )
        .select_from(OrderFact)
        .where(sales(q))
        .group_by(*key)
    )
    return {(row[0] if with_bucket else None): _figures(q, row[len(key) :]) for row in rows}


def _figures(q: Question, row: Any) -> CustomersFigures:
    customers, new, orders, new_revenue, returning_revenue = row or (0, 0, 0, 0, 0)
    return CustomersFigures(
        customers=int(customers or 0),
        new_customers=int(new or 0),
        returning_customers=int(customers or 0) - int(new or 0),
        orders=int(orders or 0),
        new_customer_revenue=money(new_revenue, q.currency),
        returning_customer_revenue=money(returning_revenue, q.currency),
    )


async def cohorts_report(uow: UnitOfWork, q: Question) -> tuple[CohortFigures, list[CohortRow]]:
    """The cohorts whose first month is in the period, each followed to this month."""
    first = aliased(OrderFact)
    joined = (
        select(OrderFact.order_id)
        .join(
            first,
            and_(
                first.tenant_id == OrderFact.tenant_id,
                first.customer_key == OrderFact.customer_key,
                first.first_order == true(),
            ),
        )
        .where(
            OrderFact.status.in_(SALES),
            first.month >= q.period.start.replace(day=1),
            first.month <= q.period.end,
        )
    )
    active = await uow.session.execute(
        joined.with_only_columns(
            first.month, OrderFact.month, func.count(first.order_id.distinct())
        ).group_by(first.month, OrderFact.month)
    )
    counts: dict[date, dict[int, int]] = {}
    for cohort, month, customers in active:
        counts.setdefault(cohort, {})[months_between(cohort, month)] = int(customers)
    returned = await uow.session.scalar(
        joined.with_only_columns(func.count(first.order_id.distinct())).where(
            OrderFact.month > first.month
        )
    )
    this_month = q.today.replace(day=1)
    rows = []
    for cohort in sorted(counts):
        size = counts[cohort].get(0, 0)
        month, since = cohort, 0
        while month <= this_month:
            customers = counts[cohort].get(since, 0)
            rows.append(
                CohortRow(
                    cohort=cohort,
                    size=size,
                    months_since=since,
                    customers=customers,
                    retention=share(customers, size),
                )
            )
            month, since = next_bucket(month, "month"), since + 1
    customers = sum(c.get(0, 0) for c in counts.values())
    totals = CohortFigures(
        cohorts=len(counts),
        customers=customers,
        returned=int(returned or 0),
        repeat_rate=share(int(returned or 0), customers),
    )
    return totals, rows
