"""The demand part's place in the model registry: its task ("demand", scored by MAPE, lower
is better), each stored forecast's next days recorded as predictions and resolved by the units
the day actually sold, and retraining: choosing the backtest's windows by a holdout of the
store's last four weeks, which the forecasts then use (`options_of`)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from mercato.agents.intelligence.demand import engine, history
from mercato.agents.intelligence.demand.history import history_end, to_series
from mercato.agents.intelligence.registry import metrics
from mercato.agents.intelligence.registry import service as registry
from mercato.agents.intelligence.registry.tasks import Due, TaskSpec, Trained, register
from mercato.kernel.db import UnitOfWork

TASK = "demand"
TRACKED_DAYS = 7
"""Days of each refreshed forecast tracked against what sold (the nearest are the ones a
buyer acts on)."""
SETTLE = timedelta(hours=1)
"""A day is scored this long after it ends: its last orders' events have arrived."""
HOLDOUT = 28
WINDOWS = (2, 3)
"""The backtest windows retraining chooses between."""
TRAIN_SERIES = 100
"""The store's best-selling products retraining measures on."""
DEFAULT = {"windows": 2, "backtest_horizon": 28}


async def track(
    uow: UnitOfWork, *, product_id: str, points: Sequence[Mapping[str, Any]], now: datetime
) -> None:
    """Track the forecast's next days (a forecast made again replaces its earlier days)."""
    for point in points[:TRACKED_DAYS]:
        day = date.fromisoformat(str(point["date"]))
        await registry.record_prediction(
            uow, task=TASK, subject=product_id, key=day.isoformat(),
            predicted_value=float(point["forecast"]), now=now,
            due_at=datetime.combine(day + timedelta(days=1), time(), UTC) + SETTLE,
        )  # fmt: skip


async def options_of(uow: UnitOfWork, *, now: datetime) -> dict[str, Any]:
    """The active version's parameters (what the forecasts are made with)."""
    version = await registry.active_version(uow, task=TASK, now=now)
    return {**DEFAULT, **version.params}


async def _resolve(uow: UnitOfWork, due: Sequence[Due]) -> dict[str, float | str]:
    """The units each due day sold (a day without a row sold nothing)."""
    days = [date.fromisoformat(d.key) for d in due]
    units = await history.daily_units(uow, sorted({d.subject for d in due}), until=max(days))
    return {
        d.id: float(units.get(d.subject, {}).get(day, 0)) for d, day in zip(due, days, strict=True)
    }


async def _train(uow: UnitOfWork, params: Mapping[str, Any], now: datetime) -> Trained:
    """Forecast the store's best sellers from four weeks ago with each choice of backtest
    windows and keep the one whose forecasts of those four weeks had the lowest MAPE."""
    end = history_end(now)
    cut = end - timedelta(days=HOLDOUT)
    sold = await history.daily_units(uow, None, until=end)
    best = sorted(sold, key=lambda p: -sum(sold[p].values()))[:TRAIN_SERIES]
    items = [to_series(p, {d: n for d, n in sold[p].items() if d <= cut}, cut) for p in best]
    scores: dict[str, float] = {}
    for windows in WINDOWS:
        options = engine.Options(windows=windows, thorough=False)
        made = await asyncio.to_thread(engine.forecast, items, HOLDOUT, options) if items else []
        pairs = [
            (float(f.band.mean[k]), float(sold[f.series_id].get(day, 0)))
            for f in made
            for k, day in enumerate(f.dates)
        ]
        value = metrics.mape(pairs).value
        if value is not None:
            scores[f"mape_windows_{windows}"] = round(value, 4)
    if not scores:
        return Trained({**DEFAULT, **params}, {"series": float(len(items))})
    chosen = min(WINDOWS, key=lambda w: scores.get(f"mape_windows_{w}", float("inf")))
    return Trained(
        {**DEFAULT, **params, "windows": chosen},
        {"mape": scores[f"mape_windows_{chosen}"], **scores, "series": float(len(items))},
    )


register(
    TaskSpec(
        task=TASK, name="mercato-demand", metric="mape", direction="lower",
        initial_params=dict(DEFAULT), train=_train, resolve=_resolve,
    )
)  # fmt: skip
