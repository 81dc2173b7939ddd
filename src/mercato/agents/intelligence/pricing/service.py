"""The pricing part's commands and queries: the only code that writes its tables. Other
parts (ingestion) and agents call `observe` with a matched competitor offer; the API reads a
product's pricing, states costs and margins, and accepts suggestions.

Functions take the caller's unit of work and never commit."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from mercato.agents.intelligence.pricing import floors, suggesting
from mercato.agents.intelligence.pricing.accepting import accept
from mercato.agents.intelligence.pricing.analysis import Analysis, analyse
from mercato.agents.intelligence.pricing.floors import FloorSource, floor_of
from mercato.agents.intelligence.pricing.models import CategoryFloor, Cost
from mercato.agents.intelligence.pricing.observing import (
    CompetitorObservation,
    observe,
    observe_many,
    record_store_price,
)
from mercato.agents.intelligence.pricing.products import known, visible
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork

__all__ = [
    "CompetitorObservation",
    "accept",
    "observe",
    "observe_many",
    "pricing_of",
    "record_store_price",
    "set_category_margin",
    "set_cost",
]


async def pricing_of(
    uow: UnitOfWork, *, product_id: str, principal: Principal, now: datetime
) -> Analysis:
    """The product's pricing, if the principal may see it (a merchant: its own products)."""
    product = await visible(uow, product_id, principal=principal)
    return await analyse(uow, product=product, now=now)


async def set_cost(
    uow: UnitOfWork,
    *,
    product_id: str,
    principal: Principal,
    cost: Decimal,
    currency: str | None,
    min_margin_percent: Decimal | None,
    min_margin_amount: Decimal | None,
    now: datetime,
) -> tuple[Cost, FloorSource | None]:
    """State a product's cost and minimum margin (a merchant: its own products); its
    suggestions are made again against the new floor."""
    product = await visible(uow, product_id, principal=principal)
    row = await floors.set_cost(
        uow,
        product=product,
        cost=cost,
        currency=currency,
        min_margin_percent=min_margin_percent,
        min_margin_amount=min_margin_amount,
        by=principal.id,
        now=now,
    )
    await suggesting.refresh(uow, product_id=product.id, now=now)
    return row, await floor_of(uow, product)


async def set_category_margin(
    uow: UnitOfWork, *, category: str, min_margin_percent: Decimal, by: str, now: datetime
) -> CategoryFloor:
    """A category's minimum margin; the suggestions of its products with a cost (and of its
    subcategories') are made again."""
    row = await floors.set_category_margin(
        uow, category=category, min_margin_percent=min_margin_percent, by=by, now=now
    )
    for product_id in await floors.costed_products(uow):
        product = await known(uow, product_id)
        if product is not None and row.category_id in product.category_ids:
            await suggesting.refresh(uow, product_id=product_id, now=now)
    return row
