"""Catalog commands and queries: the only code that writes the catalog agent's tables.

Functions take the caller's unit of work and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from mercato.agents.catalog.models import Product, Variant
from mercato.kernel.db import UnitOfWork


@dataclass(frozen=True)
class SellableVariant:
    """What other agents (cart, orders) need to know of a variant to sell it."""

    variant_id: str
    product_id: str
    sku: str
    name: str
    """The product's name, with the variant's title when it has one."""
    price: Decimal
    currency: str
    is_free: bool
    requires_shipping: bool
    merchant_id: str | None
    sellable: bool
    """The product is active and the variant is not archived."""


async def sellable_variants(
    uow: UnitOfWork, variant_ids: Iterable[str]
) -> dict[str, SellableVariant]:
    """The variants of `variant_ids` that exist in this store (missing ids are absent)."""
    ids = list(set(variant_ids))
    if not ids:
        return {}
    rows = await uow.session.execute(
        select(Variant, Product)
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.id.in_(ids))
    )
    found: dict[str, SellableVariant] = {}
    for variant, product in rows.tuples():
        found[variant.id] = SellableVariant(
            variant_id=variant.id,
            product_id=product.id,
            sku=variant.sku,
            name=f"{product.name} ({variant.title})" if variant.title else product.name,
            price=variant.price,
            currency=product.currency,
            is_free=product.is_free,
            requires_shipping=product.requires_shipping,
            merchant_id=product.merchant_id,
            sellable=product.status == "active" and variant.status == "active",
        )
    return found


async def variant_ids_for_skus(uow: UnitOfWork, skus: Iterable[str]) -> dict[str, str]:
    """SKU → variant id for the SKUs of `skus` that exist in this store."""
    wanted = list(set(skus))
    if not wanted:
        return {}
    rows = await uow.session.execute(select(Variant.sku, Variant.id).where(Variant.sku.in_(wanted)))
    return dict(rows.tuples().all())
