"""Browsing the catalog: filters, sorts and keyset pagination in two statements per page
(the page of products, then their variants; three with a category, whose path is read
first), each on an index, built from rows (ADR 21)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Any, Literal, Protocol

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    exists,
    false,
    literal,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql import bindparam
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.visitors import InternalTraversal

from mercato.agents.catalog import answers, derived
from mercato.agents.catalog.access import Actor
from mercato.agents.catalog.answers import PRODUCT, PRODUCT_CREATED_AT, VARIANT, Answer, C, P, V
from mercato.agents.catalog.categories import subtree
from mercato.agents.catalog.models import AttributeValue, Product
from mercato.agents.catalog.ports import ProductWords
from mercato.agents.catalog.problems import InvalidCursor, InvalidFilter
from mercato.agents.catalog.schemas import MAX_PRICE, AnyProductStatus
from mercato.agents.catalog.statuses import ProductStatus, VariantStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.prepared import Prepared
from mercato.kernel.store_sql import in_store

A = AttributeValue.__table__.c
Sort = Literal["newest", "price_asc", "price_desc", "name"]
Status = AnyProductStatus
MAX_WORDS = 8
MAX_ATTRS = 10
PRICE_QUANTUM = Decimal("0.0001")
"""Prices are stored to 1/10,000 (the `Amount` column)."""

_SORTS: dict[str, tuple[ColumnElement[Any], bool]] = {
    "newest": (P.created_at, True),
    "price_asc": (P.price, False),
    "price_desc": (P.price, True),
    "name": (P.name, False),
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


MATCHED_MAX = 10_000
"""Products `q` may match through the search index at most (a query matching more is too
broad to page through: the shopper narrows it)."""


@dataclass(frozen=True)
class Shape:
    """What a page's statement depends on besides its parameters' values: one statement is
    built per shape, once, and SQLAlchemy compiles it once."""

    sort: Sort
    cursor: bool
    own_merchant: bool
    merchant: bool
    category: bool
    min_price: bool
    max_price: bool
    in_stock: bool | None
    attrs: int
    words: int
    matched: bool = False
    """The products are those the search index matched (`ProductWords`): `q` is theirs."""


async def list_products(uow: UnitOfWork, *, listing: Listing, actor: Actor) -> Answer:
    """`GET /v1/products`'s answer (`ProductPage`): the page's products with their active
    variants, in two statements, and the cursor of the next page."""
    words = _words(uow, listing, actor)
    shape, params = _request(replace(listing, q=None) if words else listing, actor)
    if words is not None:  # the search index (sellable products) answers `q`; the rest here
        matched = await words.matching(uow, listing.q or "", MATCHED_MAX)
        if not matched:
            return {"items": [], "next_cursor": None}
        shape = replace(shape, matched=True)
        params["matched"] = matched
    if listing.category:
        # The subtree's path is read first, so that PostgreSQL plans the page knowing it:
        # read inside the page's statement, it is unknown when the plan is made, and the
        # planner guesses a small subtree (a department of 20,000 products: 250 ms instead
        # of 0.3). A category that does not exist has no products.
        path = await CATEGORY_PATH.scalar(uow, category=listing.category)
        if path is None:
            return {"items": [], "next_cursor": None}
        params["category_path"] = path
    if shape.words or shape.matched:
        # Full text is a scan of the sort index, as long as the words are rare: it runs on
        # the driver's own thread rather than hold the event loop (a prepared statement
        # runs on the loop on SQLite).
        query = (await uow.session.execute(_page(shape), params)).all()
        found: Sequence[Sequence[Any]] = query
    else:
        found = await _prepared_page(shape).all(uow, **params)
    products, more = found[: listing.limit], len(found) > listing.limit
    variants: dict[str, list[Sequence[Any]]] = {row[0]: [] for row in products}
    if products:
        ids = {f"id_{n}": product_id for n, product_id in enumerate(variants)}
        for row in await active_variants(len(ids)).all(uow, **ids):
            variants[row[0]].append(row[1:])
    cursor = encode_cursor(listing.sort, _Last.of(products[-1])) if more and products else None
    return {
        "items": [answers.summary(row, variants[row[0]], every_picture=False) for row in products],
        "next_cursor": cursor,
    }


@cache
def active_variants(products: int) -> Prepared:
    """The active variants of a page's `products` products, each product's in their order
    (a prepared statement has a fixed shape: one per page length)."""
    ids: list[BindParameter[str]] = [
        bindparam(f"id_{n}", type_=V.product_id.type) for n in range(products)
    ]
    return Prepared(
        in_store(
            select(V.product_id, *VARIANT)
            .where(V.product_id.in_(ids), V.status == VariantStatus.ACTIVE)
            .order_by(V.product_id, V.position, V.id)
        )
    )


def page_statement(listing: Listing, actor: Actor) -> tuple[Select[Any], dict[str, Any]]:
    """The statement a page of `listing` sends and its parameters (the store's and the
    category's path aside): what to EXPLAIN."""
    shape, params = _request(listing, actor)
    return _page(shape), params


def _words(uow: UnitOfWork, listing: Listing, actor: Actor) -> ProductWords | None:
    """The search agent's words, when it is installed and `q` asks for products for sale (its
    index holds those only); None: the catalog's own substring match answers `q`."""
    if not (listing.q and listing.q.strip()) or status_of(listing, actor) != ProductStatus.ACTIVE:
        return None
    return uow.wired(ProductWords)


def status_of(listing: Listing, actor: Actor) -> ProductStatus:
    """The status a page lists: what it asks for if the caller may see it, else active."""
    status = listing.status if actor.writes and listing.status else ProductStatus.ACTIVE
    if status != ProductStatus.ACTIVE and not actor.all_merchants and actor.merchant_id is None:
        status = ProductStatus.ACTIVE  # a writer selling for no merchant has no drafts to see
    return ProductStatus(status)


def _request(listing: Listing, actor: Actor) -> tuple[Shape, dict[str, Any]]:
    """The page's shape and parameters; 400 for a filter or cursor this API does not take
    (filters are checked first)."""
    status = status_of(listing, actor)
    params: dict[str, Any] = {"status": status, "limit": listing.limit + 1}
    # A merchant sees its own drafts and archived products, nobody else's.
    own_merchant = status != ProductStatus.ACTIVE and not actor.all_merchants
    if own_merchant:
        params["own_merchant"] = actor.merchant_id
    if listing.merchant is not None:
        params["merchant"] = listing.merchant
    low, high = listing.min_price, listing.max_price
    for name, bound in (("min_price", low), ("max_price", high)):
        if bound is not None and not is_price_bound(bound):
            raise InvalidFilter(f"{name} is a price from 0 to {MAX_PRICE}, to 4 decimals at most")
    if low is not None and high is not None and low > high:
        raise InvalidFilter("min_price is above max_price")
    if low is not None:
        params["min_price"] = low
    if high is not None:
        params["max_price"] = high
    attrs = parse_attrs(listing.attrs)
    for n, (name, value) in enumerate(attrs):
        params[f"attr_name_{n}"], params[f"attr_value_{n}"] = name, value
    words = search_words(listing.q)
    for n, word in enumerate(words):
        params[f"word_{n}"] = f"%{escape_like(word)}%"
    if listing.cursor:
        params["cursor_key"], params["cursor_id"] = decode_cursor(listing.cursor, listing.sort)
    shape = Shape(
        sort=listing.sort,
        cursor=bool(listing.cursor),
        own_merchant=own_merchant,
        merchant=listing.merchant is not None,
        category=bool(listing.category),
        min_price=low is not None,
        max_price=high is not None,
        in_stock=listing.in_stock,
        attrs=len(attrs),
        words=len(words),
    )
    return shape, params


@lru_cache(maxsize=1024)
def _prepared_page(shape: Shape) -> Prepared:
    return Prepared(_page(shape))


@lru_cache(maxsize=1024)
def _page(shape: Shape) -> Select[Any]:
    """The statement of a page of this shape. Every filter column is also a column of the
    sort indexes, so the sort index answers in order and filters without reading rows; on
    SQLite (whose planner has no histograms) the filter columns' own indexes are kept out of
    the plan: a wide filter on them would sort most of the table."""
    column, descending = _SORTS[shape.sort]
    query = select(*PRODUCT).where(P.status == bindparam("status"))
    if shape.own_merchant:
        query = query.where(unindexed(P.merchant_id) == bindparam("own_merchant"))
    if shape.merchant:
        merchant: BindParameter[str] = bindparam("merchant")
        query = query.where(
            unindexed(P.merchant_id) == merchant, _any(Product, P.merchant_id == merchant)
        )
    if shape.category:
        path = bindparam("category_path", type_=P.category_path.type)
        query = query.where(subtree(unindexed(P.category_path), path))
    price = P.price if shape.sort in {"price_asc", "price_desc"} else unindexed(P.price)
    if shape.min_price:
        query = query.where(price >= bindparam("min_price", type_=P.price.type))
    if shape.max_price:
        query = query.where(price <= bindparam("max_price", type_=P.price.type))
    if shape.in_stock is not None:
        query = query.where(P.in_stock == (true() if shape.in_stock else false()))
    for n in range(shape.attrs):
        has = (A.name == bindparam(f"attr_name_{n}"), A.value == bindparam(f"attr_value_{n}"))
        query = query.where(
            exists(in_store(select(literal(1)).where(A.product_id == P.id, *has))),
            _any(AttributeValue, *has),
        )
    for n in range(shape.words):
        query = query.where(P.search_text.like(bindparam(f"word_{n}"), escape="\\"))
    if shape.matched:
        query = query.where(P.id.in_(bindparam("matched", expanding=True)))
    if shape.cursor:
        after = tuple_(column, P.id)
        bound = tuple_(bindparam("cursor_key", type_=column.type), bindparam("cursor_id"))
        query = query.where(after < bound if descending else after > bound)
    order = (column.desc(), P.id.desc()) if descending else (column.asc(), P.id.asc())
    return in_store(query.order_by(*order).limit(bindparam("limit", type_=Integer)))


CATEGORY_PATH = Prepared(
    in_store(
        select(C.path)
        .where(or_(C.id == bindparam("category"), C.slug == bindparam("category")))
        .order_by((C.id == bindparam("category")).desc())
        .limit(1)
    )
)
"""The path of the category a listing names, by id or else slug."""


def _any(entity: type[Any], *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    """An uncorrelated EXISTS, evaluated once: when nothing at all matches a filter (an
    unknown category, merchant or attribute value), the scan is skipped instead of running
    through the whole index to find nothing."""
    table = entity.__table__
    return exists(
        in_store(select(literal(1)).select_from(table).where(*conditions)).correlate(None)
    )


@dataclass(frozen=True)
class _Last:
    """The sort keys of a page's last row, for its cursor."""

    id: str
    name: str
    price: Decimal
    created_at: datetime

    @classmethod
    def of(cls, row: Sequence[Any]) -> _Last:
        return cls(id=row[0], name=row[1], price=row[4], created_at=row[PRODUCT_CREATED_AT])


class Unindexed(ColumnElement[Any]):
    """A column SQLite's planner may not pick an index for (`+column`); other backends
    see the plain column and plan with their statistics."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement[Any]) -> None:
        self.column = column
        self.type = column.type


def unindexed(column: ColumnElement[Any] | InstrumentedAttribute[Any]) -> ColumnElement[Any]:
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


class SortKeys(Protocol):
    """What a cursor is made of: the row's sort keys and id."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def price(self) -> Decimal: ...
    @property
    def created_at(self) -> datetime: ...


def encode_cursor(sort: str, product: SortKeys) -> str:
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
