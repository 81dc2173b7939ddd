"""The read model of what sold: order lines from the orders agent's events, added up into
daily units per variant (`DailyDemand`, source `orders`), beside imported history. Every
write is keyed by the event's ids and every daily figure is recomputed from the lines, so a
redelivered or replayed event changes nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select, update

from mercato.agents.catalog import service as catalog
from mercato.agents.intelligence.demand import engine
from mercato.agents.intelligence.demand.models import ORDERS_SOURCE, DailyDemand, DemandLine
from mercato.agents.orders import service as orders
from mercato.agents.orders.events import OrderLineData, OrderPlaced
from mercato.kernel import context
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.errors import NotFound

Touched = set[tuple[str, date]]
"""(variant id, day) pairs whose daily figure must be added up again."""
CHUNK = 2000


def _tenant() -> str:
    tenant = context.current_tenant()
    assert tenant is not None, "a handler runs in its event's store"
    return tenant


def placed_day(placed_at: str) -> date:
    at = datetime.fromisoformat(placed_at)
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC).date()


async def record_placed(uow: UnitOfWork, event: OrderPlaced) -> None:
    """The order's lines count from the day it was placed (a cancellation takes them back)."""
    if not event.lines:
        return
    day = placed_day(event.placed_at)
    products = await _products(uow, event.lines)
    rows = [
        {
            "tenant_id": _tenant(),
            "line_id": line.line_id,
            "order_id": event.order_id,
            "product_id": products.get(line.variant_id, line.product_id) or line.variant_id,
            "variant_id": line.variant_id,
            "sku": line.sku[:64],
            "day": day,
            "quantity": line.quantity,
            "cancelled": False,
        }
        for line in event.lines
    ]
    insert = upsert_insert(uow.session)(DemandLine).values(rows)
    await uow.session.execute(insert.on_conflict_do_nothing())
    await refresh_days(uow, {(line.variant_id, day) for line in event.lines})


async def _products(uow: UnitOfWork, lines: Sequence[OrderLineData]) -> dict[str, str]:
    """Variant id → product id, for lines of events written before lines carried it."""
    missing = [line.variant_id for line in lines if not line.product_id]
    found = await catalog.sellable_variants(uow, missing) if missing else {}
    return {variant_id: v.product_id for variant_id, v in found.items()}


async def record_cancelled(uow: UnitOfWork, *, order_id: str) -> None:
    touched = await _lines_of(uow, order_id)
    await uow.session.execute(
        update(DemandLine)
        .where(DemandLine.order_id == order_id)
        .values(cancelled=True)
        .execution_options(synchronize_session=False)
    )
    await refresh_days(uow, touched)


async def record_modified(uow: UnitOfWork, *, order_id: str) -> None:
    """The lines' quantities as the orders agent now has them (a line taken out counts 0)."""
    reader = Principal(
        id="intelligence", tenant_id=_tenant(), kind="system", roles=frozenset({"system"})
    )
    try:
        order = await orders.get_order(uow, order_id=order_id, principal=reader)
    except NotFound:
        return
    touched = await _lines_of(uow, order_id)
    kept = {line.id: line.quantity for line in order.lines}
    for line_id, quantity in [*kept.items()]:
        await uow.session.execute(
            update(DemandLine)
            .where(DemandLine.line_id == line_id)
            .values(quantity=quantity)
            .execution_options(synchronize_session=False)
        )
    await uow.session.execute(
        update(DemandLine)
        .where(DemandLine.order_id == order_id, DemandLine.line_id.not_in(list(kept) or [""]))
        .values(quantity=0)
        .execution_options(synchronize_session=False)
    )
    await refresh_days(uow, touched)


async def _lines_of(uow: UnitOfWork, order_id: str) -> Touched:
    rows = await uow.session.execute(
        select(DemandLine.variant_id, DemandLine.day).where(DemandLine.order_id == order_id)
    )
    return {(variant_id, day) for variant_id, day in rows}


async def refresh_days(uow: UnitOfWork, touched: Iterable[tuple[str, date]]) -> None:
    """Add up each (variant, day) again from its live lines; a day with none loses its row."""
    for variant_id, day in sorted(touched):
        live = (DemandLine.variant_id == variant_id, DemandLine.day == day)
        row = (
            await uow.session.execute(
                select(
                    func.max(DemandLine.product_id),
                    func.max(DemandLine.sku),
                    func.coalesce(func.sum(DemandLine.quantity), 0),
                ).where(*live, DemandLine.cancelled.is_(False))
            )
        ).one()
        product_id, sku, units = row
        if not units:
            await uow.session.execute(
                delete(DailyDemand)
                .where(
                    DailyDemand.variant_id == variant_id,
                    DailyDemand.day == day,
                    DailyDemand.source == ORDERS_SOURCE,
                )
                .execution_options(synchronize_session=False)
            )
            continue
        values: dict[str, Any] = {
            "tenant_id": _tenant(),
            "product_id": product_id,
            "variant_id": variant_id,
        }
        values |= {"sku": sku, "day": day, "source": ORDERS_SOURCE, "units": int(units)}
        insert = upsert_insert(uow.session)(DailyDemand).values(**values)
        await uow.session.execute(
            insert.on_conflict_do_update(
                index_elements=["tenant_id", "variant_id", "day", "source"],
                set_={"units": int(units), "product_id": product_id, "sku": sku},
            )
        )


async def import_history(uow: UnitOfWork, rows: Sequence[dict[str, Any]], *, source: str) -> int:
    """Daily units from outside the store's orders (rows: product_id, variant_id, sku, day,
    units), recorded under `source`; a day already imported from it keeps its first figure."""
    tenant = _tenant()
    insert = upsert_insert(uow.session)(DailyDemand).on_conflict_do_nothing()
    done = 0
    for start in range(0, len(rows), CHUNK):
        chunk = [{**r, "tenant_id": tenant, "source": source} for r in rows[start : start + CHUNK]]
        await uow.session.execute(insert, chunk)  # executemany: one statement, many rows
        done += len(chunk)
    return done


async def has_source(uow: UnitOfWork, source: str) -> bool:
    found = await uow.session.scalar(
        select(DailyDemand.day).where(DailyDemand.source == source).limit(1)
    )
    return found is not None


async def daily_units(
    uow: UnitOfWork, product_ids: Sequence[str] | None, *, until: date, since: date | None = None
) -> dict[str, dict[date, int]]:
    """Units per product per day up to `until` (from `since`, when given), every source added
    up (every product with any when `product_ids` is None)."""
    query = (
        select(DailyDemand.product_id, DailyDemand.day, func.sum(DailyDemand.units))
        .where(DailyDemand.day <= until)
        .group_by(DailyDemand.product_id, DailyDemand.day)
    )
    if since is not None:
        query = query.where(DailyDemand.day >= since)
    if product_ids is not None:
        query = query.where(DailyDemand.product_id.in_(list(product_ids)))
    found: dict[str, dict[date, int]] = defaultdict(dict)
    for product_id, day, units in await uow.session.execute(query):
        found[product_id][day] = int(units)
    return found


def history_end(now: datetime) -> date:
    """The last whole day (today is still selling)."""
    return now.date() - timedelta(days=1)


def to_series(product_id: str, days: dict[date, int], until: date) -> engine.SeriesIn:
    """A value per day from the first day with a sale to `until`, zeros between; a product
    that never sold is one zero on `until` (a forecast of nothing, low-confidence)."""
    if not days:
        return engine.SeriesIn(product_id, until, np.zeros(1))
    start = min(days)
    values = np.zeros((until - start).days + 1)
    for day, units in days.items():
        values[(day - start).days] = units
    return engine.SeriesIn(product_id, start, values)
