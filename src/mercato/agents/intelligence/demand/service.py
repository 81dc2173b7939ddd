"""The demand part's commands and queries: forecasts of the store's products from its daily
demand, stored per product and horizon, refreshed by the periodic job and computed on
demand when missing or stale; each answered with the product's supply, the gap and the
alerts. A refresh publishes `demand.stockout_risk` / `demand.overstock_risk` for the risks
that are new since the product's last forecast.

The fits run in a worker thread between two short transactions (read the history; store
the results), never inside one: on SQLite a transaction held across a fit would hold the
store's one writer."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from sqlalchemy import select

from mercato.agents.catalog import service as catalog
from mercato.agents.intelligence.access import MANAGE
from mercato.agents.intelligence.demand import engine, history, stock, supply, tracking
from mercato.agents.intelligence.demand.confidence import Limits
from mercato.agents.intelligence.demand.events import OverstockRisk, StockoutRisk
from mercato.agents.intelligence.demand.history import history_end, to_series
from mercato.agents.intelligence.demand.models import StoredForecast
from mercato.agents.intelligence.demand.problems import (
    ForecastProductNotFound,
    InvalidHorizon,
    NotYourProduct,
)
from mercato.agents.intelligence.demand.series import Band
from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import NotFound
from mercato.kernel.security import AnotherStoresObject

HORIZONS = (7, 30, 90)


@dataclass(frozen=True)
class ProductForecast:
    stored: StoredForecast
    have: supply.Supply
    gap: supply.Gap


def limits(settings: Settings) -> Limits:
    return Limits(
        min_history=settings.intel_forecast_min_history,
        max_relative_width=settings.intel_forecast_max_width,
        max_mase=settings.intel_forecast_max_mase,
    )


def band_of(row: StoredForecast) -> tuple[Band, list[date]]:
    points = row.points
    arrays = [np.array([p[k] for p in points], dtype=np.float64) for k in
              ("forecast", "lower_80", "upper_80", "lower_95", "upper_95")]  # fmt: skip
    return Band(*arrays), [date.fromisoformat(p["date"]) for p in points]


async def product_forecast(
    kernel: Kernel, *, product_id: str, horizon: int, principal: Principal
) -> ProductForecast:
    """The product's forecast for `horizon` days (stored, or made now when missing or older
    than `intel_forecast_max_age`), its supply now, the gap and the alerts."""
    if horizon not in HORIZONS:
        raise InvalidHorizon(f"horizon {horizon} is not one of {', '.join(map(str, HORIZONS))}")
    settings = kernel.settings
    async with kernel.uow(writes=False) as uow:
        found, variant_ids = await _visible(uow, product_id, principal)
        row = await _stored(uow, found, horizon)
    if row is None or _stale(row, kernel.clock.now(), settings):
        await refresh(kernel, {found: variant_ids}, horizons=(horizon,))
    async with kernel.uow(writes=False) as uow:
        row = await _stored(uow, found, horizon)
        assert row is not None, "refresh stored it"
        have = (await stock.supplies(uow, {found: variant_ids}))[found]
    band, dates = band_of(row)
    gap = supply.assess(
        band, dates, have, overstock_margin=settings.intel_forecast_overstock_margin
    )
    return ProductForecast(row, have, gap)


async def _visible(uow: UnitOfWork, product_id: str, principal: Principal) -> tuple[str, list[str]]:
    """(product id, its variants' ids) if the principal may see the product's forecast:
    staff and keys with `intelligence:manage` every product, a merchant its own."""
    try:
        product = await catalog.product_for(uow, product_id, principal=principal)
    except AnotherStoresObject:
        raise
    except NotFound:
        raise ForecastProductNotFound(f"no product {product_id!r}") from None
    if not principal.can(MANAGE) and (
        principal.merchant_id is None or product.merchant_id != principal.merchant_id
    ):
        raise NotYourProduct(f"product {product.id} is not one of your merchant's")
    variants, _ = await catalog.product_parts(uow, product)
    return product.id, [v.id for v in variants]


async def _stored(uow: UnitOfWork, product_id: str, horizon: int) -> StoredForecast | None:
    return await uow.session.scalar(
        select(StoredForecast).where(
            StoredForecast.product_id == product_id, StoredForecast.horizon == horizon
        )
    )


def _stale(row: StoredForecast, now: datetime, settings: Settings) -> bool:
    return row.computed_at < now - timedelta(seconds=settings.intel_forecast_max_age)


async def refresh(
    kernel: Kernel, variants: Mapping[str, Sequence[str]], *, horizons: Sequence[int] = HORIZONS
) -> int:
    """Forecast these products (product id → its variant ids) for each horizon, store the
    forecasts and publish the risks that are new. Returns the forecasts stored."""
    settings = kernel.settings
    now = kernel.clock.now()
    until = history_end(now)
    async with kernel.uow() as uow:
        units = await history.daily_units(uow, list(variants), until=until)
        have = await stock.supplies(uow, variants)
        chosen = await tracking.options_of(uow, now=now)
        await uow.commit()  # the registry's model, made on first use
    items = [to_series(p, units.get(p, {}), until) for p in variants]
    options = engine.Options(
        windows=int(chosen["windows"]), backtest_horizon=int(chosen["backtest_horizon"]),
        thorough=False, limits=limits(settings),
    )  # fmt: skip
    stored = 0
    for horizon in horizons:
        made = await asyncio.to_thread(engine.forecast, items, horizon, options)
        async with kernel.uow() as uow:
            for result in made:
                gap = supply.assess(
                    result.band, result.dates, have[result.series_id],
                    overstock_margin=settings.intel_forecast_overstock_margin,
                )  # fmt: skip
                await _store(uow, result, horizon, gap, have[result.series_id], variants, now)
                stored += 1
            await uow.commit()
    return stored


async def _store(
    uow: UnitOfWork, result: engine.Forecast, horizon: int, gap: supply.Gap,
    have: supply.Supply, variants: Mapping[str, Sequence[str]], now: datetime,
) -> None:  # fmt: skip
    row = await _stored(uow, result.series_id, horizon)
    before = set(row.alerts) if row is not None else set()
    if row is None:
        row = StoredForecast(product_id=result.series_id, horizon=horizon)
        uow.session.add(row)
    b = result.band
    row.points = [
        {"date": day.isoformat(), "forecast": round(float(b.mean[k]), 3),
         "lower_80": round(float(b.lo80[k]), 3), "upper_80": round(float(b.hi80[k]), 3),
         "lower_95": round(float(b.lo95[k]), 3), "upper_95": round(float(b.hi95[k]), 3)}
        for k, day in enumerate(result.dates)
    ]  # fmt: skip
    row.model = result.model
    row.seasonality = result.seasonality.describe()
    row.season_length = result.seasonality.period
    row.low_confidence = result.confidence.low
    row.reasons = list(result.confidence.reasons)
    row.confidence = result.confidence.score
    row.mase, row.baseline_mase = result.mase, result.baseline_mase
    row.history_days = result.history
    row.history_end = result.dates[0] - timedelta(days=1)
    row.alerts = [a.kind for a in gap.alerts]
    row.computed_at = now
    if horizon == min(HORIZONS):
        await tracking.track(uow, product_id=result.series_id, points=row.points, now=now)
    for alert in gap.alerts:
        if alert.kind not in before:
            _publish(uow, alert, result, horizon, gap, have, list(variants[result.series_id]))


def _publish(
    uow: UnitOfWork, alert: supply.Alert, result: engine.Forecast, horizon: int,
    gap: supply.Gap, have: supply.Supply, variant_ids: list[str],
) -> None:  # fmt: skip
    common = {
        "product_id": result.series_id, "variant_ids": variant_ids, "horizon": horizon,
        "severity": alert.severity, "on_hand": have.on_hand, "inbound": have.inbound,
        "expected_demand": round(gap.demand), "model": result.model,
    }  # fmt: skip
    if alert.kind == supply.STOCKOUT:
        assert alert.day is not None
        event: StockoutRisk | OverstockRisk = StockoutRisk(
            **common, stockout_date=alert.day.isoformat(), shortfall=alert.units
        )
    else:
        event = OverstockRisk(**common, excess=alert.units)
    uow.publish(event, aggregate_id=result.series_id)
