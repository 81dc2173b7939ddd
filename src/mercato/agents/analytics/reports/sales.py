"""`sales`: revenue per time bucket, optionally per category, product, merchant or channel.

The store's view of whole orders (no group, or by channel) has every amount of an order:
merchandise, discounts, shipping, tax, refunds (on the refund's day). Grouped by what a line
sells (category, product, merchant), and for a merchant always, the figures are the lines':
what they sold and for how much; an order's discounts, shipping, tax and refunds are the
whole order's and are left out (null)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, func, select

from mercato.agents.analytics.models import LineFact, OrderFact, RefundFact
from mercato.agents.analytics.reports.common import (
    Question,
    aov,
    bucket,
    in_period,
    lines_of_orders,
    money,
    own_lines,
    sales,
)
from mercato.agents.analytics.reports.shapes import SalesFigures
from mercato.agents.analytics.statuses import SALES
from mercato.kernel.db import UnitOfWork
from mercato.kernel.money import quantum

GROUPS = ("category", "product", "merchant", "channel")
Key = tuple[Any, ...]


async def sales_report(uow: UnitOfWork, q: Question) -> tuple[SalesFigures, list[dict[str, Any]]]:
    whole_orders = q.merchant_id is None and q.group_by in (None, "channel")
    figures = _order_figures if whole_orders else _line_figures
    overall = await figures(uow, q, with_bucket=False, grouped=False)
    totals = overall.get((), _empty(q, whole_orders))
    found = await figures(uow, q, with_bucket=True, grouped=q.group_by is not None)
    if q.group_by is None:  # a time series: every bucket, sold in or not
        for day in q.period.buckets():
            found.setdefault((day,), _empty(q, whole_orders))
    rows = [  # as dicts: pydantic's core validates thousands of them (a row per product and
        # day) many times faster than models are built one by one
        {"bucket": key[0], "group": _text(key, 1), "label": _text(key, 2), **value}
        for key, value in sorted(found.items(), key=lambda kv: _order_key(kv[0]))
    ]
    return SalesFigures(**totals), rows


Figures = dict[str, Any]


def _empty(q: Question, whole_orders: bool) -> Figures:
    zero = money(0, q.currency)
    part = zero if whole_orders else None
    return {
        "gross_revenue": zero, "discounts": part, "shipping": part, "tax": part,
        "revenue": zero, "refunds": part, "net_revenue": part, "orders": 0, "units": 0,
        "aov": None,
    }  # fmt: skip


def _text(key: Key, index: int) -> str | None:
    return None if len(key) <= index or key[index] is None else str(key[index])


def _order_key(key: Key) -> tuple[date, str]:
    return key[0], "" if len(key) < 2 or key[1] is None else str(key[1])


async def _order_figures(
    uow: UnitOfWork, q: Question, *, with_bucket: bool, grouped: bool
) -> dict[Key, Figures]:
    """Whole orders' figures by (bucket, channel, channel) as asked."""
    keys: list[Any] = [bucket(OrderFact, q)] if with_bucket else []
    refund_keys: list[Any] = [bucket(RefundFact, q)] if with_bucket else []
    if grouped:
        keys += [OrderFact.channel, OrderFact.channel]
        refund_keys += [OrderFact.channel, OrderFact.channel]
    sold = await uow.session.execute(
        select(
            *keys,
            func.sum(OrderFact.subtotal),
            func.sum(OrderFact.discount),
            func.sum(OrderFact.shipping),
            func.sum(OrderFact.tax),
            func.sum(OrderFact.total),
            func.count(),
            func.sum(OrderFact.units),
        )
        .select_from(OrderFact)
        .where(sales(q))
        .group_by(*keys)
    )
    refunded = await uow.session.execute(
        select(*refund_keys, func.sum(RefundFact.amount))
        .select_from(RefundFact)
        .join(
            OrderFact,
            and_(
                OrderFact.tenant_id == RefundFact.tenant_id,
                OrderFact.order_id == RefundFact.order_id,
            ),
        )
        .where(
            in_period(RefundFact.day, q.period),
            RefundFact.currency == q.currency,
            OrderFact.status.in_(SALES),
        )
        .group_by(*refund_keys)
    )
    width = len(keys)
    refunds = {tuple(row[:width]): money(row[width], q.currency) for row in refunded}
    found: dict[Key, Figures] = {}
    for row in sold:
        key = tuple(row[:width])
        found[key] = _whole(q, row[width:], refunds.pop(key, money(0, q.currency)))
    for key, amount in refunds.items():  # refunds in a bucket with no sale
        found[key] = _whole(q, (0, 0, 0, 0, 0, 0, 0), amount)
    return found


def _whole(q: Question, sums: Sequence[Any], refunds: Decimal) -> Figures:
    subtotal, discount, shipping, tax, total, orders, units = sums
    revenue = money(total, q.currency)
    return {
        "gross_revenue": money(subtotal, q.currency),
        "discounts": money(discount, q.currency),
        "shipping": money(shipping, q.currency),
        "tax": money(tax, q.currency),
        "revenue": revenue,
        "refunds": refunds,
        "net_revenue": revenue - refunds,
        "orders": int(orders or 0),
        "units": int(units or 0),
        "aov": aov(revenue, int(orders or 0), q.currency),
    }


_LINE_GROUPS: dict[str, tuple[Any, Any]] = {
    "category": (LineFact.category_id, func.max(LineFact.category_name)),
    "product": (LineFact.product_id, func.max(LineFact.name)),
    "merchant": (LineFact.merchant_id, LineFact.merchant_id),
    "channel": (OrderFact.channel, OrderFact.channel),
}


async def _line_figures(
    uow: UnitOfWork, q: Question, *, with_bucket: bool, grouped: bool
) -> dict[Key, Figures]:
    """Lines' figures (a merchant's own only) by (bucket, group, its name) as asked."""
    keys: list[Any] = [bucket(OrderFact, q)] if with_bucket else []
    by: list[Any] = list(keys)
    if grouped and q.group_by is not None:
        group, label = _LINE_GROUPS[q.group_by]
        keys += [group, label]
        by.append(group)
    rows = await uow.session.execute(
        select(
            *keys,
            func.sum(LineFact.line_total),
            func.sum(LineFact.quantity),
            func.count(OrderFact.order_id.distinct()),
        )
        .select_from(OrderFact)
        .join(LineFact, lines_of_orders())
        .where(sales(q), own_lines(q))
        .group_by(*by)
    )
    width = len(keys)
    empty = _empty(q, whole_orders=False)
    cents = quantum(q.currency)  # sums of amounts in cents are in cents: no rounding but aov's
    found: dict[Key, Figures] = {}
    for row in rows:
        revenue = (row[width] or _ZERO).quantize(cents)
        orders = int(row[width + 2] or 0)
        found[tuple(row[:width])] = {
            **empty,
            "gross_revenue": revenue,
            "revenue": revenue,
            "orders": orders,
            "units": int(row[width + 1] or 0),
            "aov": (revenue / orders).quantize(cents, ROUND_HALF_UP) if orders else None,
        }
    return found


_ZERO = Decimal(0)
