"""Rows → the read routes' answers, as plain dicts (ADR 21): the same keys, in the same order,
with the same values as the response models of `schemas.py` (`views.py` builds those from
ORM entities for the writes' answers; a test holds the two to the same bytes).

Each statement selects the columns of `PRODUCT`, `VARIANT` and `CATEGORY` in this order, so a
row is unpacked by position, not looked up by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from sqlalchemy import String, type_coerce

from mercato.agents.catalog.gallery import answer as picture
from mercato.agents.catalog.models import Category, Product, Variant
from mercato.kernel.money import quantum

P = Product.__table__.c
V = Variant.__table__.c
C = Category.__table__.c

PRODUCT = (
    P.id,
    P.name,
    P.slug,
    P.description,
    P.price,
    P.compare_at_price,
    P.currency,
    type_coerce(P.status, String),  # the stored string: no enum member made per row
    P.is_free,
    P.requires_shipping,
    P.category_id,
    P.merchant_id,
    P.attributes,
    P.images,
    P.pictures,
    P.in_stock,
    P.created_at,
    P.updated_at,
)
"""A product's columns as its answer lists them."""
PRODUCT_STATUS, PRODUCT_CATEGORY, PRODUCT_MERCHANT = 7, 10, 11
"""Positions in `PRODUCT` of what decides who sees a product, and of its category."""
PRODUCT_CREATED_AT = next(n for n, column in enumerate(PRODUCT) if column is P.created_at)
"""Position in `PRODUCT` of the newest-first sort's key."""

VARIANT = (
    V.id,
    V.sku,
    V.title,
    V.price,
    V.compare_at_price,
    V.attributes,
    V.available,
    type_coerce(V.status, String),
    V.weight_grams,
    V.length_mm,
    V.width_mm,
    V.height_mm,
)
"""A variant's columns as its answer lists them."""
VARIANT_STATUS = 7

CATEGORY = (C.id, C.name, C.slug, C.parent_id, C.position)
"""A category's columns as its answers list them."""

Answer = dict[str, Any]


def money(amount: Decimal, currency: str) -> str:
    """What `MoneyStr` writes: the amount rounded to the currency (`round_money`), as a
    decimal string."""
    return format(amount.quantize(_quantum(currency), rounding=ROUND_HALF_UP), "f")


_quantum = cache(quantum)
"""`round_money`'s quantum, made once per currency."""


def variant(row: Sequence[Any], currency: str) -> Answer:
    """A `VariantOut` from the `VARIANT` columns."""
    id_, sku, title, price, compare_at, attributes, available, status = row[:8]
    weight, length, width, height = row[8:12]
    return {
        "id": id_,
        "sku": sku,
        "title": title,
        "price": money(price, currency),
        "compare_at_price": None if compare_at is None else money(compare_at, currency),
        "attributes": attributes,
        "available": available,
        "status": status,
        "weight_grams": weight,
        "length_mm": length,
        "width_mm": width,
        "height_mm": height,
    }


def summary(
    row: Sequence[Any], variants: Sequence[Sequence[Any]], *, every_picture: bool = True
) -> Answer:
    """A `ProductSummary` from the `PRODUCT` columns and its variants' `VARIANT` columns (a
    listing's, without `every_picture`, carries the cover only)."""
    (id_, name, slug, description, price, compare_at, currency, status) = row[:8]
    (is_free, requires_shipping, category_id, merchant_id, attributes, images) = row[8:14]
    (pictures, in_stock, created_at, updated_at) = row[14:]
    return {
        "id": id_,
        "name": name,
        "slug": slug,
        "description": description,
        "price": money(price, currency),
        "compare_at_price": None if compare_at is None else money(compare_at, currency),
        "currency": currency,
        "status": status,
        "is_free": is_free,
        "requires_shipping": requires_shipping,
        "category_id": category_id,
        "merchant_id": merchant_id,
        "attributes": attributes,
        "images": images,
        "pictures": [picture(p) for p in (pictures or ())[: None if every_picture else 1]],
        "in_stock": in_stock,
        "variants": [variant(v, currency) for v in variants],
        "created_at": created_at,
        "updated_at": updated_at,
    }


def product(
    row: Sequence[Any], variants: Sequence[Sequence[Any]], category: Sequence[Any] | None
) -> Answer:
    """A `ProductOut`: the summary and its category (`id`, `name`, `slug`), if any."""
    answer = summary(row, variants)
    answer["category"] = None if category is None else category_ref(category)
    return answer


def category_ref(row: Sequence[Any]) -> Answer:
    """A `CategoryRef` from a category's id, name and slug."""
    return {"id": row[0], "name": row[1], "slug": row[2]}


def category(
    row: Sequence[Any], ancestors: Sequence[Sequence[Any]], children: Sequence[Sequence[Any]]
) -> Answer:
    """A `CategoryOut` from `CATEGORY` columns."""
    return {
        **_category_head(row),
        "ancestors": [category_ref(a) for a in ancestors],
        "children": [category_ref(c) for c in children],
    }


def node(row: Sequence[Any], product_count: int | None, children: list[Answer]) -> Answer:
    """A `CategoryNode` from `CATEGORY` columns (its children already made)."""
    return {**_category_head(row), "product_count": product_count, "children": children}


def _category_head(row: Sequence[Any]) -> Answer:
    """The keys a category's answers start with, in their models' order."""
    id_, name, slug, parent_id, position = row[:5]
    return {"id": id_, "name": name, "slug": slug, "parent_id": parent_id, "position": position}
