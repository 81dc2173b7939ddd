"""The catalog's business rules: BR012 (positive prices, EC010 free products) and BR013
(unique SKUs)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select

from mercato.agents.catalog.models import Variant
from mercato.kernel.db import UnitOfWork
from mercato.kernel.rules import business_rule


@business_rule(
    "BR012",
    name="positive_price",
    entity="product",
    condition="a variant is created or its price changes",
    constraint="every price is greater than zero, unless the product is marked free, "
    "whose prices are all exactly zero (EC010)",
    status=422,
)
def prices_are_positive(*, prices: Sequence[Decimal], is_free: bool) -> bool:
    if is_free:
        return all(price == 0 for price in prices)
    return all(price > 0 for price in prices)


def duplicates(skus: Sequence[str]) -> list[str]:
    """SKUs that appear more than once in `skus`."""
    return sorted(sku for sku, n in Counter(skus).items() if n > 1)


async def taken_skus(uow: UnitOfWork, skus: Sequence[str]) -> list[str]:
    """SKUs of `skus` some variant of the store already has."""
    if not skus:
        return []
    found = await uow.session.scalars(select(Variant.sku).where(Variant.sku.in_(set(skus))))
    return sorted(found)


@business_rule(
    "BR013",
    name="unique_sku",
    entity="product",
    condition="a variant is created",
    constraint="its SKU is used by no other variant of the store",
    status=409,
)
async def skus_are_unique(*, uow: UnitOfWork, skus: Sequence[str]) -> bool:
    return not duplicates(skus) and not await taken_skus(uow, skus)
