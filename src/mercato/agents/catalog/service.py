"""Catalog commands and queries on products: the only code that writes the catalog agent's
tables (with `variants.py` and `categories.py`). Other agents use `sellable_variants` and
`variant_ids_for_skus`; the knowledge agent's test-data generator derives its rows as the
catalog does (`slugify`, `search_text`, `attribute_pairs`); the assistant reads the words the
catalogue is named with (`catalogue_words`).

Functions take the caller's unit of work and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import Table, select

from mercato.agents.catalog import availability, creation, derived, events
from mercato.agents.catalog.access import Actor
from mercato.agents.catalog.checks import category_for, check_amounts, check_compare_at
from mercato.agents.catalog.creation import NewProduct
from mercato.agents.catalog.derived import attribute_pairs, search_text, slugify
from mercato.agents.catalog.index_facts import (
    ProductFacts,
    category_names,
    product_count,
    product_facts,
    product_ids_after,
)
from mercato.agents.catalog.lexicon import CatalogueWords, catalogue_words
from mercato.agents.catalog.listing import CATEGORY_PATH
from mercato.agents.catalog.models import Category, Product, Variant
from mercato.agents.catalog.schemas import ProductIn, ProductPatch, ProductSummary, VariantPatch
from mercato.agents.catalog.statuses import ProductStatus, VariantStatus
from mercato.agents.catalog.summaries import summaries
from mercato.agents.catalog.variants import lock_product, update_variant, variants_of
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import NotFound
from mercato.kernel.prepared_in import PreparedIn
from mercato.kernel.security import AnotherStoresObject, get_or_404
from mercato.kernel.store_sql import in_store

__all__ = [
    "CatalogueWords",
    "NewProduct",
    "ProductFacts",
    "ProductPatch",
    "ProductSummary",
    "SellableVariant",
    "archive_product",
    "attribute_pairs",
    "catalogue_words",
    "category_names",
    "category_path",
    "create_product",
    "create_products",
    "editable_product",
    "product_by_slug",
    "product_count",
    "product_facts",
    "product_for",
    "product_ids_after",
    "product_parts",
    "refresh_availability",
    "search_text",
    "sellable_variants",
    "set_variant_price",
    "slugify",
    "summaries",
    "update_product",
    "variant_ids_for_skus",
]

# -- products -------------------------------------------------------------------------


async def product_by_slug(uow: UnitOfWork, *, slug: str) -> Product | None:
    """The product of the store in context whose slug is `slug`, if there is one."""
    found: Product | None = await uow.session.scalar(select(Product).where(Product.slug == slug))
    return found


async def create_product(
    uow: UnitOfWork,
    *,
    data: ProductIn,
    merchant_id: str | None,
    currency_default: str,
    now: datetime,
) -> Product:
    """A product and its variants, with everything derived from them; `product.created`.
    Checked in this order: amounts (`invalid_amount`), BR012, compare-at prices, the
    category, BR013 (before inserting, and a concurrent insert caught), the slug."""
    (product,) = await create_products(
        uow, items=[NewProduct(data, merchant_id)], currency_default=currency_default, now=now
    )
    return product


async def create_products(
    uow: UnitOfWork, *, items: Sequence[NewProduct], currency_default: str, now: datetime
) -> list[Product]:
    """Many products at once, all or none (the same checks as `create_product`), in a few
    statements whatever their number: for imports and demo stores."""
    return await creation.create_products(
        uow, items=items, currency_default=currency_default, now=now
    )


async def update_product(
    uow: UnitOfWork, *, product: Product, changes: ProductPatch, now: datetime
) -> Product:
    """Change what the patch names; `product.updated` lists what changed, and archiving
    also publishes `product.archived`."""
    await lock_product(uow, product)  # before reading it: a concurrent write is not lost
    given = changes.model_fields_set
    before = _snapshot(product)
    was_archived = product.status == ProductStatus.ARCHIVED
    if "category_id" in given:
        category = await category_for(uow, changes.category_id)
        product.category_id = category.id if category else None
        product.category_path = category.path if category else None
    if "compare_at_price" in given:
        check_amounts([changes.compare_at_price], product.currency)
        check_compare_at(changes.compare_at_price, product.price)
        product.compare_at_price = changes.compare_at_price
    for field in ("name", "description", "status", "requires_shipping"):
        if field in given:
            setattr(product, field, getattr(changes, field))
    if "attributes" in given and changes.attributes is not None:
        product.attributes = dict(changes.attributes)
    if "images" in given and changes.images is not None:
        product.images = list(changes.images)
    fields = derived.changed(before, _snapshot(product))
    if not fields:
        return product
    if {"name", "description", "attributes"} & set(fields):
        variants = (await variants_of(uow, [product.id]))[product.id]
        await derived.sync(uow, product, variants)
    product.updated_at = now
    uow.publish(
        events.ProductUpdated(product_id=product.id, fields=fields), aggregate_id=product.id
    )
    if product.status == ProductStatus.ARCHIVED and not was_archived:
        uow.publish(events.ProductArchived(product_id=product.id), aggregate_id=product.id)
    return product


def _snapshot(product: Product) -> dict[str, object]:
    return {
        "name": product.name,
        "description": product.description,
        "status": product.status,
        "category_id": product.category_id,
        "attributes": dict(product.attributes),
        "images": list(product.images),
        "compare_at_price": product.compare_at_price,
        "requires_shipping": product.requires_shipping,
    }


async def archive_product(uow: UnitOfWork, *, product: Product, now: datetime) -> Product:
    """Archive (idempotent): hidden from shoppers, no longer sellable, kept for orders."""
    if product.status != ProductStatus.ARCHIVED:
        await update_product(
            uow, product=product, changes=ProductPatch(status=ProductStatus.ARCHIVED), now=now
        )
    return product


async def set_variant_price(
    uow: UnitOfWork, *, product: Product, variant_id: str, price: Decimal, now: datetime
) -> Variant:
    """A new price for one of the product's variants, checked and published as a merchant's
    own change is (`product.price_changed`): for agents that change prices for a merchant
    (the intelligence agent's accepted pricing suggestions)."""
    return await update_variant(
        uow, product=product, variant_id=variant_id, changes=VariantPatch(price=price), now=now
    )


# -- products as the API reads them -----------------------------------------------------


async def product_for(uow: UnitOfWork, product_id: str, *, principal: Principal) -> Product:
    """The product whose id, or else slug, is `product_id`, if `principal` may see it: 404
    when it does not exist here (another store's id is recorded too) or is a draft or
    archived and not theirs."""
    try:
        product = await get_or_404(uow, Product, product_id, principal=principal, what="product")
    except AnotherStoresObject:
        raise
    except NotFound:
        by_slug = await product_by_slug(uow, slug=product_id)
        if by_slug is None:
            raise
        product = by_slug
    if not Actor.of(principal).sees(product):
        raise NotFound(f"no product {product_id!r}")
    return product


async def editable_product(uow: UnitOfWork, product_id: str, *, principal: Principal) -> Product:
    """The product, if `principal` may change it: 404 as for a GET when it cannot see it (a
    draft is not admitted to exist), 403 for another merchant's public product."""
    product = await product_for(uow, product_id, principal=principal)
    Actor.of(principal).check_owns(product)
    return product


async def product_parts(
    uow: UnitOfWork, product: Product, *, all_variants: bool = True
) -> tuple[list[Variant], Category | None]:
    """The product's variants (archived ones only when `all_variants`) and its category."""
    by_product = await variants_of(uow, [product.id], active_only=not all_variants)
    category = await uow.session.get(Category, product.category_id) if product.category_id else None
    return list(by_product[product.id]), category


# -- availability (the read model of inventory's events) ------------------------------


async def refresh_availability(uow: UnitOfWork, *, variant_ids: Sequence[str]) -> None:
    """Copy inventory's current availability of the variants (`AvailableStock`, which
    the inventory agent wires), and their products' `in_stock`. Re-reading the truth makes
    it idempotent and order-insensitive.

    Events of one variant are handled on different partitions (a receipt's on its
    reference's), so two refreshes of it may run at once: the rows are locked before the
    stock is read, so the one that waited reads (READ COMMITTED: a statement after the
    lock sees every commit before it) the newest stock, never writing an older read over
    a newer one. Locks are taken in the order every product write takes them: the
    products by id, then the variants by id (see `variants.lock_product`)."""
    await availability.refresh(uow, variant_ids)


# -- queries other agents use -----------------------------------------------------------


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
    rows = await _SELLABLE.all(uow, variant_ids)
    found: dict[str, SellableVariant] = {}
    for row in rows:
        (variant_id, product_id, sku, title, price, variant_status) = row[:6]
        (name, currency, is_free, requires_shipping, merchant_id, product_status) = row[6:]
        found[variant_id] = SellableVariant(
            variant_id=variant_id,
            product_id=product_id,
            sku=sku,
            name=f"{name} ({title})" if title else name,
            price=price,
            currency=currency,
            is_free=is_free,
            requires_shipping=requires_shipping,
            merchant_id=merchant_id,
            sellable=(
                product_status == ProductStatus.ACTIVE and variant_status == VariantStatus.ACTIVE
            ),
        )
    return found


_VARIANTS = cast(Table, Variant.__table__)
_PRODUCTS = cast(Table, Product.__table__)
_SELLABLE = PreparedIn(
    lambda ids: in_store(
        select(
            _VARIANTS.c.id,
            _VARIANTS.c.product_id,
            _VARIANTS.c.sku,
            _VARIANTS.c.title,
            _VARIANTS.c.price,
            _VARIANTS.c.status,
            _PRODUCTS.c.name,
            _PRODUCTS.c.currency,
            _PRODUCTS.c.is_free,
            _PRODUCTS.c.requires_shipping,
            _PRODUCTS.c.merchant_id,
            _PRODUCTS.c.status,
        )
        .select_from(_VARIANTS.join(_PRODUCTS, _PRODUCTS.c.id == _VARIANTS.c.product_id))
        .where(_VARIANTS.c.id.in_(ids))
    )
)
"""What a cart needs of its variants and their products (a cart's view, an add, checkout)."""


async def variant_ids_for_skus(uow: UnitOfWork, skus: Iterable[str]) -> dict[str, str]:
    """SKU → variant id for the SKUs of `skus` that exist in this store."""
    wanted = list(set(skus))
    if not wanted:
        return {}
    rows = await uow.session.execute(select(Variant.sku, Variant.id).where(Variant.sku.in_(wanted)))
    return {sku: variant_id for sku, variant_id in rows}


# -- what the search agent reads ------------------------------------------------------------


async def category_path(uow: UnitOfWork, ref: str) -> str | None:
    """The path (`/a/b/`) of the category whose id, or else slug, is `ref`; None if none."""
    path: str | None = await CATEGORY_PATH.scalar(uow, category=ref)
    return path


# -- what the analytics agent reads ---------------------------------------------------------


async def product_categories(
    uow: UnitOfWork, product_ids: Iterable[str]
) -> dict[str, tuple[str | None, str | None]]:
    """Product id → (its category's id, the category's name) for the products of
    `product_ids` that exist in this store ((None, None) for one with no category)."""
    wanted = sorted(set(product_ids))
    if not wanted:
        return {}
    rows = await uow.session.execute(
        select(Product.id, Product.category_id, Category.name)
        .outerjoin(Category, Category.id == Product.category_id)
        .where(Product.id.in_(wanted))
    )
    return {product: (category, name) for product, category, name in rows}


@dataclass(frozen=True)
class ItemSize:
    """One unit of a variant as shipping and packing see it; None where the catalog does not
    know (the caller assumes its default)."""

    variant_id: str
    requires_shipping: bool
    weight_grams: int | None
    length_mm: int | None
    width_mm: int | None
    height_mm: int | None


async def item_sizes(uow: UnitOfWork, variant_ids: Iterable[str]) -> dict[str, ItemSize]:
    """Weight and box dimensions of one unit of each variant of `variant_ids` in this store
    (missing ids are absent)."""
    rows = await _SIZES.all(uow, variant_ids)
    return {
        row[0]: ItemSize(
            variant_id=row[0],
            requires_shipping=bool(row[1]),
            weight_grams=row[2],
            length_mm=row[3],
            width_mm=row[4],
            height_mm=row[5],
        )
        for row in rows
    }


_SIZES = PreparedIn(
    lambda ids: in_store(
        select(
            _VARIANTS.c.id,
            _PRODUCTS.c.requires_shipping,
            _VARIANTS.c.weight_grams,
            _VARIANTS.c.length_mm,
            _VARIANTS.c.width_mm,
            _VARIANTS.c.height_mm,
        )
        .select_from(_VARIANTS.join(_PRODUCTS, _PRODUCTS.c.id == _VARIANTS.c.product_id))
        .where(_VARIANTS.c.id.in_(ids))
    )
)
