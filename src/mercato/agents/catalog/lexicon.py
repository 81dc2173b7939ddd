"""The words a store's catalogue is named with, for the assistant's understanding of what a
shopper names ("the merino hodie" is the store's "Merino Hoodie"): its active products' ids
and names, and its categories' ids, names and slugs. Two statements, made once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from mercato.agents.catalog.models import Category, Product
from mercato.agents.catalog.statuses import ProductStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.prepared import Prepared
from mercato.kernel.store_sql import in_store


@dataclass(frozen=True)
class CatalogueWords:
    products: list[tuple[str, str]]
    """(id, name) of the active products, newest first, at most `limit` of them."""
    categories: list[tuple[str, str, str]]
    """(id, name, slug) of every category."""


_PRODUCTS = Prepared(
    in_store(
        select(Product.id, Product.name)
        .where(Product.status == ProductStatus.ACTIVE)
        .order_by(Product.created_at.desc(), Product.id)
        .limit(50_000)
    )
)
_CATEGORIES = Prepared(in_store(select(Category.id, Category.name, Category.slug)))


async def catalogue_words(uow: UnitOfWork) -> CatalogueWords:
    products = [(row[0], row[1]) for row in await _PRODUCTS.all(uow)]
    categories = [(row[0], row[1], row[2]) for row in await _CATEGORIES.all(uow)]
    return CatalogueWords(products=products, categories=categories)
