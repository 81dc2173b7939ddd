"""Which cached entries each kind of data change removes (the map of `cache/handlers.py`):
the changed product's entries, the store-wide entries of the kinds the change affects, and
nothing else. The handlers are called as the dispatcher calls them, in a real store's unit
of work, with the event in its envelope."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from mercato.agents.intelligence.cache import (
    ANALYSIS_KINDS,
    HANDLERS,
    AnalysisCache,
    cache_for,
    deps,
)
from mercato.agents.intelligence.demand.events import StockoutRisk
from mercato.agents.intelligence.pricing.events import CompetitorPriceChanged
from mercato.agents.intelligence.registry.events import ModelPromoted
from mercato.agents.orders.events import OrderCancelled, OrderLineData, OrderPlaced
from mercato.agents.reviews.events import ProductRatingChanged
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.subscriptions import HandlerContext
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.events import Envelope, Event
from tests.support.store import store_for

P, Q = "prod-p", "prod-q"
ENTRIES = {
    "pricing:p": deps.for_products("pricing", [P]),
    "forecasts:p": deps.for_products("forecasts", [P]),
    "reviews:q": deps.for_products("reviews", [Q]),
    **{f"{kind}:store": deps.for_store(kind) for kind in ANALYSIS_KINDS},
}
AFTER_P_CHANGED = {"pricing:p", "forecasts:p"}
"""The entries computed from P itself."""


@dataclass
class Store:
    kernel: Kernel
    cache: AnalysisCache
    tenant: str

    async def handle(self, event: Event, aggregate_id: str) -> None:
        envelope = Envelope.wrap(
            event, aggregate_id=aggregate_id, tenant_id=self.tenant, clock=self.kernel.clock
        )
        handlers = [h for h in HANDLERS if event.event_type in h.__mercato_events__]  # type: ignore[attr-defined]
        assert handlers, f"no cache handler for {event.event_type}"
        with bind(tenant_id=self.tenant):
            async with self.kernel.uow() as uow:
                for handler in handlers:
                    await handler(event, HandlerContext(envelope=envelope, uow=uow, attempt=1))


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Store]:
    async with store_for(settings, start=False) as (kernel, _):
        if AnalysisCache not in kernel.wiring:  # until the agent's setup provides it
            kernel.provide(AnalysisCache, cache_for(kernel.settings, kernel.clock))
        yield Store(kernel, kernel.deps(AnalysisCache), settings.default_tenant)


def _order_placed() -> OrderPlaced:
    line: dict[str, Any] = {"variant_id": "v1", "sku": "SKU-1", "quantity": 2}
    return OrderPlaced(
        order_id="o1", number="1001", checkout_id="c1", customer_id=None, email="a@b.example",
        currency="USD", subtotal="20.00", discount="0.00", tax="0.00", shipping="0.00",
        total="20.00", discount_code=None, placed_at="2026-12-01T10:00:00+00:00",
        lines=[OrderLineData(line_id="l1", unit_price="10.00", line_total="20.00",
                             product_id=P, **line)],
    )  # fmt: skip


CASES: list[tuple[str, Event, str, set[str]]] = [
    (
        "a competitor's price moved",
        CompetitorPriceChanged(
            alert_id="a1",
            product_id=P,
            competitor="alpha",
            url="https://alpha.example/p",
            old_price="20.00",
            new_price="15.00",
            currency="USD",
            change_percent="-25",
            threshold_percent="10",
            observed_at="2026-12-01T10:00:00+00:00",
        ),
        P,
        AFTER_P_CHANGED | {"pricing:store", "competitors:store"},
    ),
    (
        "the product's rating changed",
        ProductRatingChanged(review_id="r1", product_id=P, average=4.5, count=2),
        P,
        AFTER_P_CHANGED | {"reviews:store"},
    ),
    (
        "an order of the product was placed",
        _order_placed(),
        "o1",
        AFTER_P_CHANGED | {"sales:store"},
    ),
    (
        "an order the store cannot read any more was cancelled",
        OrderCancelled(
            order_id="gone",
            number="1",
            reason="test",
            payment_action="none",
            total="1.00",
            currency="USD",
        ),
        "gone",
        {"sales:store"},
    ),
    (
        "the product's stock will run out",
        StockoutRisk(
            product_id=P,
            variant_ids=["v1"],
            horizon=14,
            severity="high",
            on_hand=3,
            inbound=0,
            expected_demand=10,
            model="mercato-demand",
            stockout_date="2026-12-05",
            shortfall=7,
        ),
        P,
        AFTER_P_CHANGED | {"forecasts:store"},
    ),
    (
        "a new demand model was promoted",
        ModelPromoted(model_id="m1", task="demand", version=2, previous_version=1),
        "m1",
        {"forecasts:p", "forecasts:store"},
    ),
    (
        "a model of a task no cached kind uses was promoted",
        ModelPromoted(model_id="m2", task="qa-task", version=2, previous_version=1),
        "m2",
        set(),
    ),
]


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("case", "event", "aggregate_id", "removed"), CASES, ids=[c[0] for c in CASES]
)
async def test_a_data_change_removes_what_was_computed_from_it_and_nothing_else(
    store: Store, case: str, event: Event, aggregate_id: str, removed: set[str]
) -> None:
    # given cached entries of product P, of another product, and of the whole store
    with bind(tenant_id=store.tenant):
        for key, listed in ENTRIES.items():

            async def compute(key: str = key) -> dict[str, Any]:
                return {"key": key}

            await store.cache.get_or_compute(
                key, kind=key.split(":")[0], deps=listed, compute=compute
            )
    # when the change's event is handled
    await store.handle(event, aggregate_id)
    # then exactly the entries computed from the changed data are gone
    with bind(tenant_id=store.tenant):
        assert set(await store.cache.keys()) == set(ENTRIES) - removed
    # and every removal names the event
    assert {
        r["reason"].split()[0] for r in store.cache.recent_invalidations(store=store.tenant)
    } <= {event.event_type}
