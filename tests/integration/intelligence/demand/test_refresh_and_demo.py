"""The periodic refresh forecasts every selling product for 7, 30 and 90 days and leaves
fresh forecasts alone; the demo's history is two years of daily units for its products,
imported once under its source, and makes their forecasts meaningful."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import func, select

from mercato.agents.intelligence.demand import demo
from mercato.agents.intelligence.demand.jobs import refresh_due
from mercato.agents.intelligence.demand.models import DailyDemand, StoredForecast
from mercato.kernel.context import bind
from tests.integration.analytics.conftest import Store
from tests.integration.cart.conftest import Product
from tests.integration.identity.conftest import ADMIN
from tests.integration.intelligence.demand.conftest import TENANT, counts, give_history


async def test_the_refresh_forecasts_selling_products_once_per_horizon(store: Store) -> None:
    # given two products with a history and one without
    today = datetime.now(UTC).date()
    selling = [await store.product(stock=100) for _ in range(2)]
    await store.product(stock=100)
    for k, product in enumerate(selling):
        await give_history(store, product, np.full(90, 2.0 + k), until=today - timedelta(days=1))
    # when the periodic job runs, then runs again
    stored = await refresh_due(store.kernel)
    again = await refresh_due(store.kernel)
    # then the selling products have a forecast per horizon, and fresh ones are not redone
    assert stored == 6 and again == 0
    with bind(tenant_id=TENANT):
        async with store.kernel.uow(writes=False) as uow:
            rows = await uow.session.execute(
                select(StoredForecast.product_id, StoredForecast.horizon, StoredForecast.points)
            )
            found = {(p, h): len(points) for p, h, points in rows}
    assert found == {(p.id, h): h for p in selling for h in (7, 30, 90)}


async def _demo_product(store: Store, n: int) -> Product:
    sku = demo.demo_skus(n)[-1]
    made = await store.client.post(
        "/v1/products",
        json={"name": f"Demo {n}", "status": "active",
              "variants": [{"sku": sku, "price": "9.00", "attributes": {}}]},
        headers=ADMIN,
    )  # fmt: skip
    assert made.status_code == 201, made.text
    answer = made.json()
    return Product(answer["id"], [v["id"] for v in answer["variants"]], [sku])


async def test_the_demo_history_is_two_years_imported_once(store: Store) -> None:
    # given the demo's first three products
    products = [await _demo_product(store, n) for n in (1, 2, 3)]
    # when the demo's demand is seeded, twice
    with bind(tenant_id=TENANT):
        await demo.seed(store.kernel)
        first = await counts(store)
        await demo.seed(store.kernel)
    # then each product has up to two years of days, to yesterday, under the demo's source,
    # and the second seeding added nothing
    assert await counts(store) == first
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    with bind(tenant_id=TENANT):
        async with store.kernel.uow(writes=False) as uow:
            spans = await uow.session.execute(
                select(
                    DailyDemand.product_id,
                    func.min(DailyDemand.day),
                    func.max(DailyDemand.day),
                    func.count(),
                )
                .where(DailyDemand.source == demo.SOURCE)
                .group_by(DailyDemand.product_id)
            )
            found = {p: (lo, hi, n) for p, lo, hi, n in spans}
    assert set(found) == {p.id for p in products}
    for lo, hi, days in found.values():
        assert hi <= yesterday and lo >= yesterday - timedelta(days=demo.DAYS - 1)
        assert days > 30
    steady = found[products[0].id]
    assert (steady[1] - steady[0]).days > 700
    # and a demo product's 30-day forecast answers 30 points with its seasonality
    answer = await store.client.get(
        f"/v1/intelligence/forecast/products/{products[0].id}",
        params={"horizon": 30},
        headers=ADMIN,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert len(body["points"]) == 30 and sum(p["forecast"] for p in body["points"]) > 0
    assert body["history_days"] > 700
