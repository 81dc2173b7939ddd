"""`GET /v1/intelligence/sales`: the units sold per day and per product behind a report's
sales figures, for the same scope the report read (products, a category, option filters)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING

from mercato.agents.intelligence.ask.problems import InvalidSalesQuery
from mercato.agents.intelligence.ask.products import in_scope
from mercato.agents.intelligence.ask.schemas import SalesDay, SalesOut, SalesProduct
from mercato.agents.intelligence.ask.scope import Scope
from mercato.agents.intelligence.demand import history
from mercato.kernel.auth import Principal

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel

MAX_DAYS = 366 * 3


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidSalesQuery(f"{name} {text!r} is not a date (YYYY-MM-DD)") from None


def _filters(items: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition(":")
        if not sep or not name.strip() or not value.strip():
            raise InvalidSalesQuery(f"filter {item!r} is not name:value (colour:blue)")
        found[name.strip().lower()] = value.strip().lower()
    return found


async def sales(
    kernel: Kernel,
    principal: Principal,
    *,
    start: str,
    end: str,
    product_ids: list[str],
    category_id: str | None,
    filters: list[str],
) -> SalesOut:
    first, last = _day(start, "start"), _day(end, "end")
    if last < first:
        raise InvalidSalesQuery(f"end {last} is before start {first}")
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidSalesQuery(f"at most {MAX_DAYS} days at once")
    scope = Scope(
        product_ids=tuple(product_ids), category_id=category_id, filters=_filters(filters)
    )
    products = await in_scope(kernel, scope, principal)
    async with kernel.uow(writes=False) as uow:
        units = await history.daily_units(uow, [p.id for p in products], until=last, since=first)
    by_day: dict[date, int] = defaultdict(int)
    for days in units.values():
        for day, n in days.items():
            by_day[day] += n
    return SalesOut(
        start=first,
        end=last,
        total=sum(by_day.values()),
        days=[
            SalesDay(date=first + timedelta(days=i), units=by_day.get(first + timedelta(days=i), 0))
            for i in range((last - first).days + 1)
        ],
        products=[
            SalesProduct(product_id=p.id, name=p.name, units=sum(units.get(p.id, {}).values()))
            for p in products
        ],
    )
