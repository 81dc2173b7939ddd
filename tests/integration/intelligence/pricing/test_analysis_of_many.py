"""Analysing many products at once (a store-wide question compares dozens in a handful of
queries) reads for each exactly what analysing it alone reads: its own offers, alerts (the
newest ALERTS_SHOWN), suggestions, floor and history, none of another product's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from mercato.agents.intelligence.pricing.analysis import (
    ALERTS_SHOWN,
    Analysis,
    analyse,
    analyse_many,
)
from mercato.agents.intelligence.pricing.products import known
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN
from tests.integration.intelligence.pricing.conftest import Pricing


def _read(found: Analysis) -> dict[str, Any]:
    """What a merchant is shown of an analysis, by the rows' ids and figures."""
    return {
        "offers": [(c.offer.id, c.gap.amount, c.confidence) for c in found.competitors],
        "market": found.market,
        "position": found.position,
        "alerts": [a.id for a in found.alerts],
        "suggestions": [s.id for s in found.suggestions],
        "floor": found.floor,
        "store_history": [p.id for p in found.store_history],
        "competitor_history": {k: [o.id for o in v] for k, v in found.competitor_history.items()},
        "notes": found.notes,
    }


async def test_many_products_analysed_together_read_as_each_alone(pricing: Pricing) -> None:
    # given a product whose competitor moved often (more alerts than are shown), one of a
    # category with a margin and a cost (suggestions under a floor), one in euros' offers only,
    # and one nobody watches
    parent = await pricing.category("Outerwear")
    floor = await pricing.client.put(
        f"/v1/intelligence/pricing/floors/{parent}", json={"min_margin_percent": "50"},
        headers=ADMIN,
    )  # fmt: skip
    assert floor.status_code == 200, floor.text
    busy = await pricing.product("30.00")
    start = datetime.now(UTC) - timedelta(hours=ALERTS_SHOWN + 5)
    for hour in range(ALERTS_SHOWN + 4):
        price = "20.00" if hour % 2 else "25.00"  # a move of 20 % or 25 % each hour
        at = (start + timedelta(hours=hour)).isoformat()
        seen = await pricing.observe(busy["id"], ("alpha", price), observed_at=at)
        assert seen.status_code == 200, seen.text
    await pricing.observe(busy["id"], ("beta", "27.00"))
    floored = await pricing.product("30.00", category_id=parent)
    assert (await pricing.cost(floored["id"], cost="15.00")).status_code == 200
    await pricing.observe(floored["id"], ("alpha", "12.00"), ("beta", "24.00"))
    euros = await pricing.product("40.00")
    await pricing.observe(euros["id"], ("gamma", "35.00"), currency="EUR")
    alone = await pricing.product("10.00")
    await pricing.settled()
    with bind(tenant_id="default"):
        async with pricing.kernel.uow(writes=False) as uow:
            found = [await known(uow, p["id"]) for p in (busy, floored, euros, alone)]
            products = [p for p in found if p is not None]
            assert len(products) == 4
            now = datetime.now(UTC)
            # when they are analysed together, and each alone
            together = await analyse_many(uow, products, now=now)
            each = [await analyse(uow, product=p, now=now) for p in products]
    # then each reads the same, in the order asked
    assert [a.product.id for a in together] == [p["id"] for p in (busy, floored, euros, alone)]
    assert [_read(a) for a in together] == [_read(a) for a in each]
    # and the busy one shows its newest ALERTS_SHOWN alerts, newest first, the others none
    shown = together[0].alerts
    assert len(shown) == ALERTS_SHOWN
    assert [a.observed_at for a in shown] == sorted((a.observed_at for a in shown), reverse=True)
    assert [len(a.alerts) for a in together[1:]] == [0, 0, 0]
    # and the floor comes from the category, suggestions only where there is a floor
    assert together[1].floor is not None and together[1].floor.margin_from == f"category:{parent}"
    assert together[1].suggestions and not together[3].suggestions
    assert together[2].market is None and together[3].competitors == []
