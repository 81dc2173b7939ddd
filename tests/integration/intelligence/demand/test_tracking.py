"""The demand model in the registry: each refreshed forecast's next days are tracked against
the units those days sold, and retraining chooses the backtest on the store's last four
weeks, which the next forecasts then use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import select

from mercato.agents.intelligence.demand import tracking
from mercato.agents.intelligence.demand.jobs import refresh_due
from mercato.agents.intelligence.registry import service as registry
from mercato.agents.intelligence.registry.models import IntelPrediction
from mercato.kernel.context import bind
from tests.integration.analytics.conftest import Store
from tests.integration.identity.conftest import ADMIN
from tests.integration.intelligence.demand.conftest import TENANT, give_history


async def test_a_refreshed_forecast_s_next_days_are_tracked_and_resolved_by_what_sold(
    store: Store,
) -> None:
    # given a product selling 3 a day for four months, forecast by the periodic refresh
    today = datetime.now(UTC).date()
    product = await store.product(stock=500)
    await give_history(store, product, np.full(120, 3.0), until=today - timedelta(days=1))
    await refresh_due(store.kernel)

    # when its next two days sell 4 and 0, and the registry resolves what has come due
    await give_history(store, product, np.array([4.0]), until=today, source="later")
    later = datetime.combine(today + timedelta(days=2), datetime.min.time(), UTC)
    with bind(tenant_id=TENANT):
        async with store.kernel.uow() as uow:
            resolved = await registry.resolve_due(
                uow, task=tracking.TASK, now=later + timedelta(hours=2)
            )
            await uow.commit()
        async with store.kernel.uow(writes=False) as uow:
            rows = list(await uow.session.scalars(select(IntelPrediction)))

    # then seven days were tracked; the two that ended were resolved with the units sold
    tracked = {r.key: r for r in rows if r.subject == product.id}
    assert len(tracked) == tracking.TRACKED_DAYS
    assert resolved == 2
    assert tracked[today.isoformat()].actual_value == 4.0
    assert tracked[(today + timedelta(days=1)).isoformat()].actual_value == 0.0
    assert all(r.predicted_value is not None and r.predicted_value >= 0 for r in tracked.values())


async def test_retraining_the_demand_model_measures_each_backtest_on_the_last_four_weeks(
    store: Store,
) -> None:
    # given a product with a weekly rhythm over four months
    today = datetime.now(UTC).date()
    product = await store.product(stock=500)
    week = np.array([2.0, 3.0, 3.0, 4.0, 6.0, 9.0, 5.0])
    await give_history(store, product, np.tile(week, 18), until=today - timedelta(days=1))

    # when staff retrain the demand model
    made = await store.client.post(
        "/v1/intelligence/models/demand/versions", json={}, headers=ADMIN
    )

    # then a candidate version holds the windows it chose and the MAPE of each choice
    assert made.status_code == 201, made.text
    version = made.json()
    assert version["status"] == "candidate" and version["parent_version"] == 1
    assert version["params"]["windows"] in tracking.WINDOWS
    metrics = version["training_metrics"]
    assert {f"mape_windows_{w}" for w in tracking.WINDOWS} <= set(metrics)
    assert metrics["mape"] == min(metrics[f"mape_windows_{w}"] for w in tracking.WINDOWS)
