"""Rows → the API's response models."""

from __future__ import annotations

from collections.abc import Sequence

from mercato.agents.catalog.gallery import answer as picture
from mercato.agents.catalog.models import Category, Product, Variant
from mercato.agents.catalog.schemas import (
    CategoryOut,
    CategoryRef,
    PictureOut,
    ProductOut,
    ProductSummary,
    VariantOut,
)
from mercato.kernel.money import round_money


def variant_out(variant: Variant, currency: str) -> VariantOut:
    return VariantOut(
        id=variant.id,
        sku=variant.sku,
        title=variant.title,
        price=round_money(variant.price, currency),
        compare_at_price=(
            round_money(variant.compare_at_price, currency)
            if variant.compare_at_price is not None
            else None
        ),
        attributes=variant.attributes,
        available=variant.available,
        status=variant.status,
        weight_grams=variant.weight_grams,
        length_mm=variant.length_mm,
        width_mm=variant.width_mm,
        height_mm=variant.height_mm,
    )


def product_summary(
    product: Product, variants: Sequence[Variant], *, every_picture: bool = True
) -> ProductSummary:
    """A listing's, without `every_picture`, carries the cover only."""
    currency = product.currency
    pictures = (product.pictures or [])[: None if every_picture else 1]
    return ProductSummary(
        id=product.id,
        name=product.name,
        slug=product.slug,
        description=product.description,
        price=round_money(product.price, currency),
        compare_at_price=(
            round_money(product.compare_at_price, currency)
            if product.compare_at_price is not None
            else None
        ),
        currency=currency,
        status=product.status,
        is_free=product.is_free,
        requires_shipping=product.requires_shipping,
        category_id=product.category_id,
        merchant_id=product.merchant_id,
        attributes=product.attributes,
        images=product.images,
        pictures=[PictureOut(**picture(p)) for p in pictures],
        in_stock=product.in_stock,
        variants=[variant_out(v, currency) for v in variants],
        created_at=product.created_at,
        updated_at=product.updated_at,
    )


def product_out(
    product: Product, variants: Sequence[Variant], category: Category | None
) -> ProductOut:
    summary = product_summary(product, variants)
    return ProductOut(
        **dict(summary), category=category_ref(category) if category is not None else None
    )


def category_ref(category: Category) -> CategoryRef:
    return CategoryRef(id=category.id, name=category.name, slug=category.slug)


def category_out(
    category: Category, ancestors: Sequence[Category], children: Sequence[Category]
) -> CategoryOut:
    return CategoryOut(
        id=category.id,
        name=category.name,
        slug=category.slug,
        parent_id=category.parent_id,
        position=category.position,
        ancestors=[category_ref(c) for c in ancestors],
        children=[category_ref(c) for c in children],
    )
