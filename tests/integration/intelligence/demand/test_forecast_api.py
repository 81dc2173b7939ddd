"""`GET /v1/intelligence/forecast/products/{id}?horizon=7|30|90`: the product's forecast with
its intervals, model, seasonality and confidence, its stock, the gap and the alerts; a risk
is published once (`demand.stockout_risk`, `demand.overstock_risk`); other horizons and
unknown products are refused with stable codes and change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from mercato.agents.intelligence.demand import synth
from tests.integration.analytics.conftest import Store
from tests.integration.identity.conftest import ADMIN
from tests.integration.intelligence.demand.conftest import (
    counts,
    demand_events,
    give_history,
)

URL = "/v1/intelligence/forecast/products/{}"


async def test_a_selling_product_gets_its_forecast_gap_and_one_stockout_alert(
    store: Store,
) -> None:
    # given a product with 10 units in stock and 400 days of weekly-seasonal demand (~30 a day)
    product = await store.product(stock=10)
    values = synth.daily(synth.Shape(level=30, yearly=0.0), 400, np.random.default_rng(4))
    today = datetime.now(UTC).date()
    await give_history(store, product, values, until=today - timedelta(days=1))
    # when its 30-day forecast is asked, twice
    answer = await store.client.get(URL.format(product.id), params={"horizon": 30}, headers=ADMIN)
    again = await store.client.get(URL.format(product.id), params={"horizon": 30}, headers=ADMIN)
    # then it has 30 daily points from today, nested and non-negative, a model and the week
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["product_id"] == product.id and body["horizon"] == 30
    points = body["points"]
    assert [p["date"] for p in points] == [
        (today + timedelta(days=k)).isoformat() for k in range(30)
    ]
    for p in points:
        assert (
            0 <= p["lower_95"] <= p["lower_80"] <= p["forecast"] <= p["upper_80"] <= p["upper_95"]
        )
    assert body["model"] and "weekly" in body["seasonality"] and body["season_length"] == 7
    assert sum(p["forecast"] for p in points) > 300
    assert body["confidence"]["low_confidence"] == body["low_confidence"]
    assert body["history_days"] == 400
    # and the 10 units run out within days: a high stock-out risk, published once
    assert body["stock"] == {"on_hand": 10, "inbound": 0}
    assert body["gap"]["gap"] > 0 and body["gap"]["supply"] == 10
    assert [a["kind"] for a in body["alerts"]] == ["stockout_risk"]
    assert body["alerts"][0]["severity"] == "high"
    assert body["alerts"][0]["date"] == body["gap"]["stockout_date"]
    assert again.json()["points"] == points
    published = await demand_events(store, "demand.stockout_risk")
    assert len(published) == 1
    assert published[0]["product_id"] == product.id and published[0]["shortfall"] > 0


async def test_a_product_that_never_sold_is_low_confidence_zero_and_overstocked_with_inbound(
    store: Store,
) -> None:
    # given a product with stock that never sold, and 25 more units on a purchase order
    product = await store.product(stock=40)
    ordered = await store.client.post(
        "/v1/warehouse/purchase-orders",
        json={"number": "PO-DEMAND-1", "supplier_name": "Acme",
              "location_id": store.shop.location_id,
              "lines": [{"sku": product.sku, "quantity": 25}]},
        headers=ADMIN,
    )  # fmt: skip
    assert ordered.status_code == 201, ordered.text
    # when its 7-day forecast is asked
    answer = await store.client.get(URL.format(product.id), params={"horizon": 7}, headers=ADMIN)
    # then 7 points of nothing, marked low-confidence with the reasons, and an overstock risk
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert len(body["points"]) == 7 and all(p["forecast"] == 0 for p in body["points"])
    assert body["low_confidence"] is True
    assert {"short_history", "no_backtest"} <= set(body["confidence"]["reasons"])
    assert body["stock"] == {"on_hand": 40, "inbound": 25} and body["gap"]["supply"] == 65
    assert [a["kind"] for a in body["alerts"]] == ["overstock_risk"]
    assert len(await demand_events(store, "demand.overstock_risk")) == 1


async def test_other_horizons_and_unknown_products_are_refused_and_change_nothing(
    store: Store,
) -> None:
    # given a product with a history
    product = await store.product(stock=5)
    today = datetime.now(UTC).date()
    await give_history(store, product, np.full(60, 3.0), until=today - timedelta(days=1))
    before = await counts(store)
    # when a horizon the contract does not offer, and an unknown product, are asked
    odd = await store.client.get(URL.format(product.id), params={"horizon": 10}, headers=ADMIN)
    unknown = await store.client.get(URL.format("no-such-product"), headers=ADMIN)
    anonymous = await store.client.get(URL.format(product.id))
    # then 422 and 404 with their stable codes (and 401 without credentials), nothing stored
    assert odd.status_code == 422 and odd.json()["code"] == "demand_invalid_horizon"
    assert unknown.status_code == 404 and unknown.json()["code"] == "demand_product_not_found"
    assert anonymous.status_code == 401
    assert await counts(store) == before
