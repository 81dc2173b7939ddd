"""Analytics' queries and commands: the reports by name (with their period, time zone and
currency), a store's reporting settings, and a rebuild of the read models from the event
store (`rebuild.py`). The only code that writes the analytics tables is here and in the
handlers' fact writers.

    report = await service.report(uow, name="sales", ask=Ask(granularity="week"), now=now)

Functions take the caller's unit of work and never commit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from mercato.agents.analytics import zones
from mercato.agents.analytics.calendar import Granularity, Period, in_zone
from mercato.agents.analytics.models import OrderFact
from mercato.agents.analytics.problems import (
    InvalidPeriod,
    InvalidReportQuery,
    InvalidTimeZone,
    OrderLevelReport,
    UnknownReport,
)
from mercato.agents.analytics.rebuild import Rebuilt, rebuild
from mercato.agents.analytics.reports import (
    customers,
    kpis,
    orders,
    products,
    sales,
    shapes,
    visits,
)
from mercato.agents.analytics.reports.common import Question, in_period
from mercato.kernel.db import UnitOfWork

__all__ = [
    "REPORTS",
    "Ask",
    "InvalidPeriod",
    "InvalidReportQuery",
    "InvalidTimeZone",
    "OrderLevelReport",
    "Rebuilt",
    "UnknownReport",
    "rebuild",
    "report",
    "set_time_zone",
    "time_zone",
]

Runner = Callable[[UnitOfWork, Question], Awaitable[tuple[Any, list[Any]]]]


@dataclass(frozen=True)
class Spec:
    run: Runner
    shape: type[shapes.Report]
    merchants: bool = False
    """Merchants may ask it: it is read from lines (theirs)."""
    groups: tuple[str, ...] = ()
    granularity: Granularity | None = None
    """The report's own cut, whatever is asked (cohorts are monthly)."""


async def _top_products(uow: UnitOfWork, q: Question) -> tuple[Any, list[Any]]:
    return await products.top_report(uow, q, of="product")


async def _top_categories(uow: UnitOfWork, q: Question) -> tuple[Any, list[Any]]:
    return await products.top_report(uow, q, of="category")


REPORTS: dict[str, Spec] = {
    "sales": Spec(sales.sales_report, shapes.SalesReport, merchants=True, groups=sales.GROUPS),
    "orders": Spec(orders.orders_report, shapes.OrdersReport),
    "funnel": Spec(visits.funnel_report, shapes.FunnelReport),
    "top-products": Spec(_top_products, shapes.TopProductsReport, merchants=True),
    "top-categories": Spec(_top_categories, shapes.TopCategoriesReport, merchants=True),
    "inventory": Spec(products.inventory_report, shapes.InventoryReport, merchants=True),
    "customers": Spec(customers.customers_report, shapes.CustomersReport),
    "cohorts": Spec(customers.cohorts_report, shapes.CohortsReport, granularity="month"),
    "carts": Spec(visits.carts_report, shapes.CartsReport),
    "kpis": Spec(kpis.kpis_report, shapes.KpisReport),
}


@dataclass(frozen=True)
class Ask:
    """A report as the caller asked it (None: the default)."""

    start: date | None = None
    end: date | None = None
    granularity: Granularity = "day"
    group_by: str | None = None
    limit: int = 10
    by: str = "revenue"
    currency: str | None = None
    merchant_id: str | None = None
    """The merchant whose lines alone the caller sees (None: the store's staff)."""


async def report(uow: UnitOfWork, *, name: str, ask: Ask, now: datetime) -> shapes.Report:
    """The report `name` as asked: 404 `unknown_report`; 403 `analytics_order_level` for a
    merchant asking for figures of whole orders; 422 `invalid_period` or
    `invalid_report_query` for what the report cannot answer."""
    spec = REPORTS.get(name)
    if spec is None:
        raise UnknownReport(f"no report {name!r}; the reports are {', '.join(REPORTS)}")
    if ask.merchant_id is not None and not spec.merchants:
        raise OrderLevelReport(f"{name!r} covers whole orders; merchants see sales of their lines")
    if ask.group_by is not None and ask.group_by not in spec.groups:
        choices = ", ".join(spec.groups) or "nothing"
        raise InvalidReportQuery(f"{name!r} is grouped by {choices}, not {ask.group_by!r}")
    zone_name = await zones.time_zone_name(uow)
    today = in_zone(now, zone_name)
    granularity = spec.granularity or ask.granularity
    period = Period.of(start=ask.start, end=ask.end, granularity=granularity, today=today)
    currencies = await _currencies(uow, period)
    currency = ask.currency or (currencies[0] if currencies else await _last_currency(uow))
    question = Question(
        period=period,
        currency=currency,
        today=today,
        group_by=ask.group_by,
        limit=ask.limit,
        by=ask.by,
        merchant_id=ask.merchant_id,
    )
    totals, rows = await spec.run(uow, question)
    return spec.shape.model_validate(
        {
            "report": name,
            "from": period.start,
            "to": period.end,
            "granularity": granularity,
            "time_zone": zone_name,
            "currency": currency,
            "currencies": currencies,
            "group_by": ask.group_by,
            "merchant_id": ask.merchant_id,
            "totals": totals,
            "rows": rows,
        }
    )


async def _currencies(uow: UnitOfWork, period: Period) -> list[str]:
    """The currencies of the period's orders, the most used first."""
    rows = await uow.session.execute(
        select(OrderFact.currency, func.count())
        .select_from(OrderFact)
        .where(in_period(OrderFact.day, period))
        .group_by(OrderFact.currency)
        .order_by(func.count().desc(), OrderFact.currency)
    )
    return [currency for currency, _ in rows]


async def _last_currency(uow: UnitOfWork) -> str:
    """The latest order's currency, or the deployment's default for a store with none."""
    found = await uow.session.scalar(
        select(OrderFact.currency).order_by(OrderFact.placed_at.desc()).limit(1)
    )
    return found or uow.settings.default_currency


# -- settings -------------------------------------------------------------------------------


async def time_zone(uow: UnitOfWork) -> str:
    return await zones.time_zone_name(uow)


async def set_time_zone(uow: UnitOfWork, *, name: str, now: datetime) -> str:
    """The store's days counted in `name` from now on, every row dated again (422
    `invalid_time_zone`, nothing changed, for a name that is no IANA time zone)."""
    return await zones.set_time_zone(uow, name=name, now=now)
