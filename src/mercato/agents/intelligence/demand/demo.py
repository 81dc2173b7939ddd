"""The demo store's demand history: two years of daily units for its first products, up to
yesterday, from the seeded generator (`synth.py`: trends, weekly and yearly cycles,
promotions, one product in six intermittent), recorded as imported history (source
`demo_history`) in this part's own table: no order is faked in the orders agent. Bulk
inserted, once (a store that has it is left alone), so forecasts mean something on the demo
without slowing the many test setups that seed it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mercato.agents.catalog import service as catalog
from mercato.agents.intelligence.demand import history, synth
from mercato.agents.intelligence.demand.history import history_end
from mercato.kernel.bootstrap import Kernel

SOURCE = "demo_history"
PRODUCTS = 60
"""Products given a history (the demo's first ones, by their SKUs `DEMO-00001-1`, …)."""
DAYS = 730
SEED = 2026


def demo_skus(count: int = PRODUCTS) -> list[str]:
    """The first variant's SKU of the demo's first products (`mercato.demo_data`'s scheme)."""
    return [f"DEMO-{n:05d}-1" for n in range(1, count + 1)]


async def seed(kernel: Kernel) -> None:
    """Seed the demo store's daily demand history (idempotent)."""
    until = history_end(kernel.clock.now())
    start = until - timedelta(days=DAYS - 1)
    async with kernel.uow(writes=False) as uow:
        if await history.has_source(uow, SOURCE):
            return
        by_sku = await catalog.variant_ids_for_skus(uow, demo_skus())
        variants = await catalog.sellable_variants(uow, list(by_sku.values()))
    if not variants:
        return
    made = synth.mixed(len(demo_skus()), DAYS, SEED, first_weekday=start.weekday())
    rows: list[dict[str, Any]] = []
    for sku, values in zip(demo_skus(), made, strict=True):
        variant = variants.get(by_sku.get(sku, ""))
        if variant is None:
            continue
        for k in values.nonzero()[0]:
            rows.append(
                {
                    "product_id": variant.product_id,
                    "variant_id": variant.variant_id,
                    "sku": variant.sku,
                    "day": start + timedelta(days=int(k)),
                    "units": int(values[k]),
                }
            )
    async with kernel.uow() as uow:
        await history.import_history(uow, rows, source=SOURCE)
        await uow.commit()
