"""The periodic refresh (`intel_forecast_interval` seconds, the first one interval after a
process starts, so restarts do not each forecast every store): in every store with demand,
the products whose forecasts are missing or older than `intel_forecast_max_age` are
forecast again, a batch at a time. Running it in two processes at once costs work, not
correctness: each stores the same forecasts, and a risk is published by the refresh that
first finds it (the row's alerts are compared inside the writing transaction)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from mercato.agents.intelligence.demand import service, stock
from mercato.agents.intelligence.demand.models import DailyDemand, StoredForecast
from mercato.kernel import context
from mercato.kernel.agent import PeriodicJob
from mercato.kernel.bootstrap import Kernel

BATCH = 500
"""Products forecast together (one statsforecast call per horizon and candidate set)."""


async def refresh_due(kernel: Kernel) -> int:
    """Refresh what is due in every store; returns the forecasts stored."""
    async with kernel.uow(writes=False) as uow:
        stores = list(
            await uow.session.scalars(
                select(DailyDemand.tenant_id).distinct().execution_options(all_tenants=True)
            )
        )
    stored = 0
    for store in stores:
        with context.bind(tenant_id=store):
            stored += await refresh_store(kernel)
    return stored


async def refresh_store(kernel: Kernel) -> int:
    """The store in context: every product with demand whose forecasts are due."""
    cutoff = kernel.clock.now() - timedelta(seconds=kernel.settings.intel_forecast_max_age)
    async with kernel.uow(writes=False) as uow:
        selling = set(await uow.session.scalars(select(DailyDemand.product_id).distinct()))
        fresh = await uow.session.execute(
            select(StoredForecast.product_id, StoredForecast.horizon).where(
                StoredForecast.computed_at >= cutoff
            )
        )
        done: dict[str, set[int]] = {}
        for product_id, horizon in fresh:
            done.setdefault(product_id, set()).add(horizon)
        due = sorted(p for p in selling if done.get(p, set()) != set(service.HORIZONS))
        variants = await stock.catalog_variants(uow, due)
    stored = 0
    ids = list(variants)
    for start in range(0, len(ids), BATCH):
        batch = {p: variants[p] for p in ids[start : start + BATCH]}
        stored += await service.refresh(kernel, batch)
    return stored


JOBS = [
    PeriodicJob(
        name="intelligence.demand_refresh",
        interval=lambda settings: settings.intel_forecast_interval,
        run=refresh_due,
        at_start=False,  # a start forecasts nothing: asked-for forecasts are made on demand
    )
]
