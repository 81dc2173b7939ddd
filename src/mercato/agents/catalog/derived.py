"""What the catalog derives from a product and its variants and keeps on the rows, so
listings filter and sort through indexes: slugs, the search text, the lower-cased attribute
pairs, the lowest price and whether anything is in stock."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from sqlalchemy import delete, select

from mercato.agents.catalog.models import AttributeValue, Product, Variant
from mercato.agents.catalog.statuses import VariantStatus
from mercato.kernel.db import UnitOfWork

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_MAX = 300


def slugify(text: str) -> str:
    """`"Café Crème — 250 g"` → `"cafe-creme-250-g"`; empty when nothing ASCII is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:SLUG_MAX].rstrip("-")


def slug_candidates(base: str, count: int = 10) -> list[str]:
    """`base`, `base-2`, … `base-<count>`."""
    return [base, *(f"{base}-{n}" for n in range(2, count + 1))]


def active(variants: Iterable[Variant]) -> list[Variant]:
    return [v for v in variants if v.status == VariantStatus.ACTIVE]


def lowest_price(variants: Sequence[Variant]) -> Decimal:
    """The product's listed price: the lowest of its active variants (a product always
    keeps one)."""
    prices = [v.price for v in active(variants)] or [v.price for v in variants]
    return min(prices)


def in_stock(variants: Iterable[Variant]) -> bool:
    return any(v.available > 0 for v in active(variants))


def search_text(product: Product, variants: Iterable[Variant]) -> str:
    """Lower-cased words `q` matches: name, description, SKUs, titles, attribute values."""
    parts = [product.name, product.description, *product.attributes.values()]
    for variant in active(variants):
        parts += [variant.sku, variant.title, *variant.attributes.values()]
    return " ".join(p for p in parts if p).lower()


def attribute_pairs(product: Product, variants: Iterable[Variant]) -> set[tuple[str, str]]:
    """The lower-cased (name, value) pairs of the product and its active variants."""
    pairs = {_pair(n, v) for n, v in product.attributes.items()}
    for variant in active(variants):
        pairs |= {_pair(n, v) for n, v in variant.attributes.items()}
    return pairs


def _pair(name: str, value: str) -> tuple[str, str]:
    # Lower-casing can lengthen a few characters (İ → i̇): stay within the columns.
    return name.strip().lower()[:64], value.strip().lower()[:200]


def attribute_filter(name: str, value: str) -> tuple[str, str]:
    """How an `attr=name:value` filter is compared with the stored pairs."""
    return _pair(name, value)


def apply(product: Product, variants: Sequence[Variant]) -> None:
    """Set the product's derived columns from its variants."""
    product.price = lowest_price(variants)
    product.in_stock = in_stock(variants)
    product.search_text = search_text(product, variants)


async def sync(
    uow: UnitOfWork, product: Product, variants: Sequence[Variant], *, new: bool = False
) -> None:
    """Bring the product's derived columns and attribute rows in line with its variants
    (a `new` product must be flushed first: the ORM knows no order between these tables)."""
    apply(product, variants)
    await _sync_attributes(uow, product, attribute_pairs(product, variants), new=new)


async def _sync_attributes(
    uow: UnitOfWork, product: Product, wanted: set[tuple[str, str]], *, new: bool
) -> None:
    have: set[tuple[str, str]] = set()
    if not new:
        rows = await uow.session.execute(
            select(AttributeValue.name, AttributeValue.value).where(
                AttributeValue.product_id == product.id
            )
        )
        have = {(n, v) for n, v in rows}
    gone = have - wanted
    for name, value in gone:
        await uow.session.execute(
            delete(AttributeValue).where(
                AttributeValue.product_id == product.id,
                AttributeValue.name == name,
                AttributeValue.value == value,
            )
        )
    uow.session.add_all(
        AttributeValue(product_id=product.id, name=name, value=value)
        for name, value in sorted(wanted - have)
    )


def changed(before: Mapping[str, object], after: Mapping[str, object]) -> list[str]:
    """The keys whose values differ."""
    return [k for k in after if before.get(k) != after[k]]
