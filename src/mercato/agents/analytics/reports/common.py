"""What every report's queries share: the question asked, sales in the period, buckets,
sums and shares."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, true, type_coerce
from sqlalchemy.orm import InstrumentedAttribute

from mercato.agents.analytics.calendar import Period
from mercato.agents.analytics.models import LineFact, OrderFact
from mercato.agents.analytics.statuses import SALES
from mercato.kernel.money import Amount, round_money


@dataclass(frozen=True)
class Question:
    """A report as asked, checked: its period in the store's days, the currency of its
    amounts, how its rows are grouped and how many, and whose lines (a merchant's only)."""

    period: Period
    currency: str
    today: date
    group_by: str | None = None
    limit: int = 10
    by: str = "revenue"
    merchant_id: str | None = None


def bucket(model: Any, q: Question) -> InstrumentedAttribute[date]:
    """The column holding the bucket of the question's granularity (`day`, `week`, `month`)."""
    column: InstrumentedAttribute[date] = getattr(model, q.period.granularity)
    return column


def in_period(column: InstrumentedAttribute[date], period: Period) -> ColumnElement[bool]:
    return and_(column >= period.start, column <= period.end)


def sales(q: Question) -> ColumnElement[bool]:
    """The period's sales (confirmed, shipped or delivered orders) in the currency."""
    return and_(
        in_period(OrderFact.day, q.period),
        OrderFact.status.in_(SALES),
        OrderFact.currency == q.currency,
    )


def lines_of_orders() -> ColumnElement[bool]:
    return and_(LineFact.tenant_id == OrderFact.tenant_id, LineFact.order_id == OrderFact.order_id)


def own_lines(q: Question) -> ColumnElement[bool]:
    """A merchant's lines only (every line for the store)."""
    if q.merchant_id is None:
        return true()
    return LineFact.merchant_id == q.merchant_id


def amount_if(condition: ColumnElement[bool], column: Any) -> ColumnElement[Decimal]:
    """The amount where `condition` holds, else 0: summed, still an amount (a Decimal)."""
    return type_coerce(case((condition, column), else_=0), Amount())


def money(value: Decimal | int | None, currency: str) -> Decimal:
    return round_money(Decimal(value or 0), currency)


def share(part: Decimal | int | float, whole: Decimal | int | float) -> float | None:
    """`part / whole` to four places; None when there is no whole to share."""
    if not whole:
        return None
    return round(float(Decimal(part) / Decimal(whole)), 4)


def aov(revenue: Decimal, orders: int, currency: str) -> Decimal | None:
    return round_money(revenue / orders, currency) if orders else None


def by_bucket(rows: Iterable[Any]) -> dict[date, Any]:
    """Rows of a grouped query keyed by their first column (the bucket)."""
    return {row[0]: row for row in rows}
