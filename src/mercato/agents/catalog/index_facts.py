"""What the search agent indexes of a product, read in a few statements for many products: the
catalog stays the only reader of its tables, and the search index is rebuilt from these facts
(never from an event's payload, so a redelivered or reordered event changes nothing)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from mercato.agents.catalog.models import Category, Product, Variant
from mercato.agents.catalog.statuses import ProductStatus, VariantStatus
from mercato.kernel.db import UnitOfWork


@dataclass(frozen=True)
class ProductFacts:
    product_id: str
    name: str
    description: str
    sellable: bool
    """Active: shown in the shop (drafts and archived products are not searched)."""
    merchant_id: str | None
    category_id: str | None
    category_path: str | None
    categories: list[str]
    """The category's name and its ancestors', root first."""
    attributes: dict[str, str]
    """The product's attributes, with its active variants' (values joined by ", " when the
    variants differ: "colour": "black, white")."""
    attribute_pairs: list[tuple[str, str]]
    """Every (name, value) of the product and its active variants, as facets count them."""
    skus: list[str]
    variant_titles: list[str]
    price: Decimal
    currency: str
    in_stock: bool
    created_at: datetime
    cover: dict[str, object] | None = field(default=None)
    """The first picture's entry, if any (for suggestions)."""

    @property
    def brand(self) -> str | None:
        return next((v for k, v in self.attributes.items() if k.lower() == "brand"), None)


async def product_facts(uow: UnitOfWork, product_ids: Sequence[str]) -> dict[str, ProductFacts]:
    """The facts of the products of `product_ids` that exist in the store in context."""
    wanted = sorted(set(product_ids))
    if not wanted:
        return {}
    products = list(await uow.session.scalars(select(Product).where(Product.id.in_(wanted))))
    variants: dict[str, list[Variant]] = defaultdict(list)
    for variant in await uow.session.scalars(
        select(Variant)
        .where(Variant.product_id.in_(wanted), Variant.status == VariantStatus.ACTIVE)
        .order_by(Variant.position, Variant.id)
    ):
        variants[variant.product_id].append(variant)
    paths = {p.category_path for p in products if p.category_path}
    names = await category_names(
        uow, (i for path in paths for i in path.strip("/").split("/") if i)
    )
    return {p.id: _facts(p, variants[p.id], names) for p in products}


async def product_ids_after(uow: UnitOfWork, after: str | None, limit: int) -> list[str]:
    """The store's product ids in order, `limit` after `after`: a rebuild's pages."""
    query = select(Product.id).order_by(Product.id).limit(limit)
    if after is not None:
        query = query.where(Product.id > after)
    return list(await uow.session.scalars(query))


async def product_count(uow: UnitOfWork) -> int:
    return int(await uow.session.scalar(select(func.count()).select_from(Product)) or 0)


async def category_names(uow: UnitOfWork, category_ids: Iterable[str]) -> dict[str, str]:
    """Category id → name, for the ids of `category_ids` that exist in this store."""
    wanted = sorted(set(category_ids))
    if not wanted:
        return {}
    rows = await uow.session.execute(
        select(Category.id, Category.name).where(Category.id.in_(wanted))
    )
    return {category_id: name for category_id, name in rows}


def _facts(product: Product, variants: list[Variant], names: dict[str, str]) -> ProductFacts:
    path = product.category_path or ""
    attributes = dict(product.attributes)
    merged: dict[str, list[str]] = defaultdict(list)
    pairs = {(k.strip().lower(), v.strip().lower()) for k, v in product.attributes.items()}
    for variant in variants:
        for name, value in variant.attributes.items():
            pairs.add((name.strip().lower(), value.strip().lower()))
            if name not in attributes and value not in merged[name]:
                merged[name].append(value)
    attributes.update({name: ", ".join(values) for name, values in merged.items()})
    return ProductFacts(
        product_id=product.id,
        name=product.name,
        description=product.description,
        sellable=product.status == ProductStatus.ACTIVE,
        merchant_id=product.merchant_id,
        category_id=product.category_id,
        category_path=product.category_path,
        categories=[names[i] for i in path.strip("/").split("/") if i in names],
        attributes=attributes,
        attribute_pairs=sorted(pairs),
        skus=[v.sku for v in variants],
        variant_titles=[v.title for v in variants if v.title],
        price=product.price,
        currency=product.currency,
        in_stock=product.in_stock,
        created_at=product.created_at,
        cover=product.pictures[0] if product.pictures else None,
    )
