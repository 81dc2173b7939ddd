"""Fixtures of the demand part's integration tests (SQLite and PostgreSQL, through the
`settings` fixture): a whole store with its relay and handlers running (the analytics tests'
`Store`: products, guests' checkouts, cancellations), and helpers to give a product a
history, read the demand read model and count what was published."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from sqlalchemy import func, select

from mercato.agents.intelligence.demand import history
from mercato.agents.intelligence.demand.models import DailyDemand, StoredForecast
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.analytics.conftest import Store, store_settings
from tests.integration.cart.conftest import Product
from tests.support.store import store_for

TENANT = "default"


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Store]:
    async with store_for(store_settings(settings)) as (kernel, client):
        yield Store(kernel, client)


async def give_history(
    store: Store, product: Product, values: np.ndarray, *, until: date, source: str = "test"
) -> None:
    """Imported daily units for the product's first variant, the last one on `until`."""
    first = until - timedelta(days=len(values) - 1)
    rows: list[dict[str, Any]] = [
        {
            "product_id": product.id,
            "variant_id": product.variant_id,
            "sku": product.sku,
            "day": first + timedelta(days=k),
            "units": int(v),
        }
        for k, v in enumerate(values)
        if v > 0
    ]
    with bind(tenant_id=TENANT):
        async with store.kernel.uow() as uow:
            await history.import_history(uow, rows, source=source)
            await uow.commit()


async def daily(store: Store, product_id: str) -> dict[date, int]:
    with bind(tenant_id=TENANT):
        async with store.kernel.uow(writes=False) as uow:
            found = await history.daily_units(uow, [product_id], until=date(9999, 1, 1))
    return found.get(product_id, {})


async def counts(store: Store) -> dict[str, int]:
    """Rows of the demand tables and demand events published, in the store."""
    with bind(tenant_id=TENANT):
        async with store.kernel.uow(writes=False) as uow:
            events = await uow.session.scalar(
                select(func.count())
                .select_from(OutboxRecord)
                .where(OutboxRecord.type.like("demand.%"))
                .execution_options(all_tenants=True)
            )
            return {
                "daily": int(await uow.session.scalar(select(func.count(DailyDemand.day))) or 0),
                "forecasts": int(
                    await uow.session.scalar(select(func.count(StoredForecast.horizon))) or 0
                ),
                "events": int(events or 0),
            }


async def demand_events(store: Store, event_type: str) -> list[dict[str, Any]]:
    with bind(tenant_id=TENANT):
        async with store.kernel.uow(writes=False) as uow:
            rows = await uow.session.scalars(
                select(OutboxRecord.payload)
                .where(OutboxRecord.type == event_type)
                .execution_options(all_tenants=True)
            )
            return list(rows)
