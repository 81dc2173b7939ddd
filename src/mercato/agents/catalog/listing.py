"""Browsing the catalog: filters, sorts and keyset pagination in two statements per page
(the page of products, then their variants), each on an index."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, String, exists, literal, or_, select, tuple_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute, defer
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

from mercato.agents.catalog import derived
from mercato.agents.catalog.access import Actor
from mercato.agents.catalog.categories import subtree
from mercato.agents.catalog.models import AttributeValue, Category, Product, Variant
from mercato.agents.catalog.problems import InvalidCursor, InvalidFilter
from mercato.agents.catalog.schemas import MAX_PRICE, AnyProductStatus
from mercato.agents.catalog.statuses import ProductStatus
from mercato.agents.catalog.variants import variants_of
from mercato.kernel.db import UnitOfWork

Sort = Literal["newest", "price_asc", "price_desc", "name"]
Status = AnyProductStatus
MAX_WORDS = 8
MAX_ATTRS = 10
PRICE_QUANTUM = Decimal("0.0001")
"""Prices are stored to 1/10,000 (the `Amount` column)."""

_SORTS: dict[str, tuple[InstrumentedAttribute[Any], bool]] = {
    "newest": (Product.created_at, True),
    "price_asc": (Product.price, False),
    "price_desc": (Product.price, True),
    "name": (Product.name, False),
}
"""Sort → (key column, descending); the product id breaks ties in the same direction."""


@dataclass(frozen=True)
class Listing:
    """One page request of `GET /v1/products`."""

    q: str | None = None
    category: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    attrs: Sequence[str] = ()
    in_stock: bool | None = None
    merchant: str | None = None
    status: Status | None = None
    sort: Sort = "newest"
    cursor: str | None = None
    limit: int = 20


@dataclass(frozen=True)
class Page:
    products: list[Product]
    variants: dict[str, list[Variant]] = field(default_factory=dict)
    next_cursor: str | None = None


async def list_products(uow: UnitOfWork, *, listing: Listing, actor: Actor) -> Page:
    query = _filtered(listing, actor)
    column, descending = _SORTS[listing.sort]
    if listing.cursor:
        key, last_id = decode_cursor(listing.cursor, listing.sort)
        after = tuple_(column, Product.id)
        bound = tuple_(literal(key, column.type), literal(last_id, String()))
        query = query.where(after < bound if descending else after > bound)
    order = (column.desc(), Product.id.desc()) if descending else (column.asc(), Product.id.asc())
    rows = list(await uow.session.scalars(query.order_by(*order).limit(listing.limit + 1)))
    products, more = rows[: listing.limit], len(rows) > listing.limit
    variants = await variants_of(uow, [p.id for p in products], active_only=True)
    cursor = encode_cursor(listing.sort, products[-1]) if more and products else None
    return Page(products, variants, cursor)


def _filtered(listing: Listing, actor: Actor) -> Select[Product]:
    """The page's WHERE clause. Every filter column is also a column of the sort indexes, so
    the sort index answers in order and filters without reading rows; on SQLite (whose
    planner has no histograms) the filter columns' own indexes are kept out of the plan:
    a wide filter on them would sort most of the table."""
    sorted_by_price = listing.sort in {"price_asc", "price_desc"}
    query = select(Product).options(defer(Product.search_text))
    status = listing.status if actor.writes and listing.status else ProductStatus.ACTIVE
    if status != ProductStatus.ACTIVE and not actor.all_merchants and actor.merchant_id is None:
        status = ProductStatus.ACTIVE  # a writer selling for no merchant has no drafts to see
    query = query.where(Product.status == status)
    if status != ProductStatus.ACTIVE and not actor.all_merchants:
        # A merchant sees its own drafts and archived products, nobody else's.
        query = query.where(unindexed(Product.merchant_id) == actor.merchant_id)
    if listing.merchant is not None:
        query = query.where(
            unindexed(Product.merchant_id) == listing.merchant,
            _any(Product, Product.merchant_id == listing.merchant),
        )
    if listing.category:
        path = _category_path(listing.category)
        query = query.where(
            subtree(unindexed(Product.category_path), path),
            _any(Category, _category(listing.category)),
        )
    low, high = listing.min_price, listing.max_price
    for name, bound in (("min_price", low), ("max_price", high)):
        if bound is not None and not is_price_bound(bound):
            raise InvalidFilter(f"{name} is a price from 0 to {MAX_PRICE}, to 4 decimals at most")
    if low is not None and high is not None and low > high:
        raise InvalidFilter("min_price is above max_price")
    price = Product.price.expression if sorted_by_price else unindexed(Product.price)
    if listing.min_price is not None:
        query = query.where(price >= listing.min_price)
    if listing.max_price is not None:
        query = query.where(price <= listing.max_price)
    if listing.in_stock is not None:
        query = query.where(Product.in_stock == listing.in_stock)
    for name, value in parse_attrs(listing.attrs):
        has = (AttributeValue.name == name, AttributeValue.value == value)
        query = query.where(
            exists().where(AttributeValue.product_id == Product.id, *has),
            _any(AttributeValue, *has),
        )
    for word in search_words(listing.q):
        query = query.where(Product.search_text.like(f"%{escape_like(word)}%", escape="\\"))
    return query


def _category(key: str) -> ColumnElement[bool]:
    return or_(Category.id == key, Category.slug == key)


def _category_path(key: str) -> ColumnElement[str]:
    """The path of the category named by id or slug, inside the page's one statement."""
    return (
        select(Category.path)
        .where(_category(key))
        .order_by((Category.id == key).desc())
        .limit(1)
        .scalar_subquery()
    )


def _any(entity: type[Any], *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    """An uncorrelated EXISTS, evaluated once: when nothing at all matches a filter (an
    unknown category, merchant or attribute value), the scan is skipped instead of running
    through the whole index to find nothing."""
    return exists(select(literal(1)).select_from(entity).where(*conditions).correlate(None))


class Unindexed(ColumnElement[Any]):
    """A column SQLite's planner may not pick an index for (`+column`); other backends
    see the plain column and plan with their statistics."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement[Any]) -> None:
        self.column = column
        self.type = column.type


def unindexed(column: InstrumentedAttribute[Any]) -> ColumnElement[Any]:
    return Unindexed(column.expression)


@compiles(Unindexed)
def _plain(element: Unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@compiles(Unindexed, "sqlite")
def _unary_plus(element: Unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + compiler.process(element.column, **kw)


def is_price_bound(value: Decimal) -> bool:
    """Whether a price filter or cursor key can be compared with stored prices: from 0 to
    `MAX_PRICE`, to the `Amount` column's four decimals at most (trailing zeros aside)."""
    if not value.is_finite() or not 0 <= value <= MAX_PRICE:
        return False
    return value == value.quantize(PRICE_QUANTUM)  # bounded above: cannot overflow


def parse_attrs(attrs: Sequence[str]) -> list[tuple[str, str]]:
    """`["color:red", "size:M"]` → `[("color", "red"), ("size", "m")]` (every one must match)."""
    if len(attrs) > MAX_ATTRS:
        raise InvalidFilter(f"at most {MAX_ATTRS} attr filters")
    pairs = []
    for attr in attrs:
        name, _, value = attr.partition(":")
        if not name.strip() or not value.strip():
            raise InvalidFilter(f"attr {attr!r} is not name:value")
        pairs.append(derived.attribute_filter(name, value))
    return pairs


def search_words(q: str | None) -> list[str]:
    """The lower-cased words of `q`; each must appear in a product's search text."""
    return (q or "").lower().split()[:MAX_WORDS]


def escape_like(text: str) -> str:
    """`text` matched literally by LIKE … ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# -- cursors: the last row's sort key and id, opaque to clients --------------------------


def encode_cursor(sort: str, product: Product) -> str:
    key: str
    if sort == "newest":
        key = product.created_at.isoformat()
    elif sort == "name":
        key = product.name
    else:
        key = format(product.price, "f")
    raw = json.dumps([sort, key, product.id], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, str]:
    """(sort key, id) of the row a page ended on; 400 for anything this API did not issue
    for the same sort."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        issued_for, key, last_id = json.loads(raw)
        if issued_for != sort or not isinstance(key, str) or not isinstance(last_id, str):
            raise ValueError(cursor)
        value: Any = key
        if sort == "newest":
            value = datetime.fromisoformat(key)
            if value.tzinfo is None:
                raise ValueError(cursor)
        elif sort in {"price_asc", "price_desc"}:
            value = Decimal(key)
            if not is_price_bound(value):
                raise ValueError(cursor)
    except (ValueError, TypeError, binascii.Error, InvalidOperation, UnicodeDecodeError):
        raise InvalidCursor("the cursor is not one this listing issued") from None
    return value, last_id
