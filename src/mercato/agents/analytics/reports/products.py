"""What sells: `top-products` and `top-categories` (by revenue or units, from the lines of
the period's sales: a merchant's own only), and `inventory` (units sold, turnover and days
of cover per variant)."""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from sqlalchemy import case, func, select

from mercato.agents.analytics.calendar import Period
from mercato.agents.analytics.models import LineFact, OrderFact, StockMove
from mercato.agents.analytics.reports.common import (
    Question,
    lines_of_orders,
    money,
    own_lines,
    sales,
    share,
)
from mercato.agents.analytics.reports.shapes import (
    InventoryFigures,
    InventoryRow,
    TopFigures,
    TopRow,
)
from mercato.agents.analytics.statuses import SALES
from mercato.kernel.db import UnitOfWork


class Sold(NamedTuple):
    name: str | None
    sku: str
    units: int


COVER_DAYS = 30
"""Days of cover are read from the average daily units sold over the last 30 days."""


async def top_report(uow: UnitOfWork, q: Question, *, of: str) -> tuple[TopFigures, list[TopRow]]:
    """The best sellers (`of`: product or category), best first, `q.limit` of them."""
    key, name = (
        (LineFact.product_id, func.max(LineFact.name))
        if of == "product"
        else (LineFact.category_id, func.max(LineFact.category_name))
    )
    revenue = func.sum(LineFact.line_total)
    units = func.sum(LineFact.quantity)
    orders = func.count(OrderFact.order_id.distinct())
    lines = select(OrderFact.order_id).join(LineFact, lines_of_orders())
    lines = lines.where(sales(q), own_lines(q))
    first, second = (revenue, units) if q.by == "revenue" else (units, revenue)
    ranked = await uow.session.execute(
        lines.with_only_columns(key, name, revenue, units, orders)
        .group_by(key)
        .order_by(first.desc(), second.desc(), key)
        .limit(q.limit)
    )
    whole = (await uow.session.execute(lines.with_only_columns(revenue, units, orders))).one()
    totals = TopFigures(
        revenue=money(whole[0], q.currency), units=int(whole[1] or 0), orders=int(whole[2] or 0)
    )
    rows = [
        TopRow(
            rank=rank,
            id=row[0],
            name=row[1],
            revenue=money(row[2], q.currency),
            units=int(row[3] or 0),
            orders=int(row[4] or 0),
            revenue_share=share(money(row[2], q.currency), totals.revenue),
        )
        for rank, row in enumerate(ranked, start=1)
    ]
    return totals, rows


async def inventory_report(
    uow: UnitOfWork, q: Question
) -> tuple[InventoryFigures, list[InventoryRow]]:
    """Per variant: units sold in the period, on hand now and on average over the period
    ((start + end) / 2, from the stock moves), turnover and days of cover. The variants
    that sold or moved stock; for a merchant, those its lines sold."""
    sold = await _units(uow, q, q.period)
    recent = Period(q.today - timedelta(days=COVER_DAYS - 1), q.today)
    lately = sold if (recent.start, recent.end) == (q.period.start, q.period.end) else None
    lately = lately if lately is not None else await _units(uow, q, recent)
    daily = {k: v.units / COVER_DAYS for k, v in lately.items()}
    stock = await _stock(uow, q)
    wanted = set(sold) | set(daily) | (set(stock) if q.merchant_id is None else set())
    found = []
    for variant_id in wanted:
        name, sold_sku, units = sold.get(variant_id, Sold(None, "", 0))
        sku, on_hand, start, end = stock.get(variant_id, (sold_sku, 0, 0, 0))
        found.append((variant_id, sku, name, units, on_hand, (start + end) / 2))
    found.sort(key=lambda f: (-f[3], -f[4], f[1]))
    total_sold = sum(f[3] for f in found)
    total_average = sum(f[5] for f in found)
    totals = InventoryFigures(
        variants=len(found),
        units_sold=total_sold,
        on_hand=sum(f[4] for f in found),
        turnover=round(total_sold / total_average, 4) if total_average > 0 else None,
    )
    rows = []
    for variant_id, sku, name, units, on_hand, average in found[: q.limit]:
        per_day = daily.get(variant_id, 0.0)
        rows.append(
            InventoryRow(
                variant_id=variant_id,
                sku=sku,
                name=name,
                units_sold=units,
                on_hand=on_hand,
                average_on_hand=round(average, 2),
                turnover=round(units / average, 4) if average > 0 else None,
                daily_units=round(per_day, 4),
                days_of_cover=round(on_hand / per_day, 1) if per_day > 0 else None,
            )
        )
    return totals, rows


async def _units(uow: UnitOfWork, q: Question, period: Period) -> dict[str, Sold]:
    """Variant → (its name, SKU, units sold in `period`) from the sales' lines (all
    currencies)."""
    moved = await uow.session.execute(
        select(
            LineFact.variant_id,
            func.max(LineFact.name),
            func.max(LineFact.sku),
            func.sum(LineFact.quantity),
        )
        .select_from(OrderFact)
        .join(LineFact, lines_of_orders())
        .where(
            OrderFact.day >= period.start,
            OrderFact.day <= period.end,
            OrderFact.status.in_(SALES),
            own_lines(q),
        )
        .group_by(LineFact.variant_id)
    )
    return {row[0]: Sold(row[1], row[2], int(row[3] or 0)) for row in moved}


async def _stock(uow: UnitOfWork, q: Question) -> dict[str, tuple[str, int, int, int]]:
    """Variant → (SKU, on hand now, at the period's start, at its end), from every move."""
    after = func.sum(case((StockMove.day > q.period.end, StockMove.delta), else_=0))
    during = func.sum(
        case(
            ((StockMove.day >= q.period.start) & (StockMove.day <= q.period.end), StockMove.delta),
            else_=0,
        )
    )
    rows = await uow.session.execute(
        select(
            StockMove.variant_id, func.max(StockMove.sku), func.sum(StockMove.delta), after, during
        ).group_by(StockMove.variant_id)
    )
    found: dict[str, tuple[str, int, int, int]] = {}
    for variant_id, sku, now, later, within in rows:
        end = int(now or 0) - int(later or 0)
        found[variant_id] = (sku, int(now or 0), end - int(within or 0), end)
    return found
