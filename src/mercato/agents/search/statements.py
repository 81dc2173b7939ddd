"""The statements a search sends, built and scoped to the store once per shape (which
filters, which engine, whether restricted to the documents matched by meaning), and the
parameters that fill them: what the finder, the suggestions and `GET /v1/products?q=` run."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    bindparam,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.sql.elements import ColumnClause

from mercato.agents.search import text
from mercato.agents.search.models import SearchDocument, SearchFacetValue
from mercato.kernel.store_sql import in_store

D = SearchDocument.__table__.c
F = SearchFacetValue.__table__.c
_FTS = table("search_fts", column("rowid"))
_FTS_TABLE: ColumnClause[Any] = literal_column("search_fts")
ENGLISH: ColumnClause[Any] = literal_column("'english'::regconfig")
WEIGHTS = (10.0, 4.0, 2.0, 1.0)
"""bm25's weights of the name, labels (brand, categories), details (attributes, SKUs) and
description; PostgreSQL's D, C, B, A weights below are the same ratios."""
PG_WEIGHTS: ColumnClause[Any] = literal_column("'{0.1, 0.2, 0.4, 1.0}'::float4[]")


@dataclass(frozen=True)
class Query:
    q: str | None = None
    category_path: str | None = None
    brand: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    attrs: list[tuple[str, str]] = field(default_factory=list)
    in_stock: bool | None = None
    min_rating: int | None = None
    """Products rated this many stars or more on average (none without reviews)."""
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    every_facet: bool = True
    """False: the category facet only (suggestions)."""
    any_word: bool = False
    """Products with any of the words, those with more first (what is like a product)."""
    mode: str = "hybrid"
    """`lexical` (words only), `semantic` (meaning only) or `hybrid` (both, fused)."""


@dataclass(frozen=True)
class Shape:
    """What a match statement depends on besides its parameters' values: one statement is
    built (and scoped to the store) per shape, once."""

    engine: str
    """"" (no words), "postgresql" or "sqlite"."""
    category: bool
    brand: bool
    min_price: bool
    max_price: bool
    in_stock: bool
    attrs: int
    near: bool
    """Only the documents given (`near`: those matched by meaning), with a current vector."""
    min_rating: bool = False


def shape(query: Query, asked: list[text.Slot], postgres: bool, *, near: bool) -> Shape:
    return Shape(
        engine=("postgresql" if postgres else "sqlite") if asked else "",
        category=query.category_path is not None,
        brand=query.brand is not None,
        min_price=query.min_price is not None,
        max_price=query.max_price is not None,
        in_stock=query.in_stock is not None,
        attrs=len(query.attrs),
        near=near,
        min_rating=query.min_rating is not None,
    )


def params(query: Query, asked: list[text.Slot], every: bool, postgres: bool) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if asked:
        if postgres:
            params["tsquery"] = text.tsquery(asked, every=every)
        else:
            params["match"] = text.fts5_query(asked, every=every)
    if query.category_path is not None:
        params["category_low"] = query.category_path
        params["category_high"] = query.category_path + "~"
    if query.brand is not None:
        params["brand"] = text.fold(query.brand)
    if query.min_price is not None:
        params["min_price"] = query.min_price
    if query.max_price is not None:
        params["max_price"] = query.max_price
    if query.in_stock is not None:
        params["in_stock"] = query.in_stock
    if query.min_rating is not None:
        params["min_rating"] = float(query.min_rating)
    for n, (name, value) in enumerate(query.attrs):
        params[f"attr_name_{n}"], params[f"attr_value_{n}"] = name, value
    return params


@lru_cache(maxsize=256)
def template(shape: Shape) -> Select[Any]:
    return in_store(matches(shape))


@lru_cache(maxsize=256)
def matches(shape: Shape) -> Select[Any]:
    """(document id, product id, score, in stock, price, created, category, brand,
    popularity, facet values, rating, rating count) of every match: a `Match`'s fields."""
    filters = _filters(shape)
    columns = (
        D.in_stock, D.price, D.created_at, D.category_id, D.brand, D.popularity, D.facets,
        D.rating, D.rating_count,
    )  # fmt: skip
    if not shape.engine:
        return select(D.id, D.product_id, literal(0.0).label("score"), *columns).where(*filters)
    if shape.engine == "postgresql":
        tsq = func.to_tsquery(ENGLISH, bindparam("tsquery", type_=String()))
        score = func.ts_rank_cd(PG_WEIGHTS, D.words, tsq, 32).label("score")
        return select(D.id, D.product_id, score, *columns).where(D.words.op("@@")(tsq), *filters)
    score = (-func.bm25(_FTS_TABLE, *WEIGHTS)).label("score")
    return (
        select(D.id, D.product_id, score, *columns)
        .select_from(_FTS.join(SearchDocument.__table__, D.id == _FTS.c.rowid))
        .where(_FTS_TABLE.op("MATCH")(bindparam("match", type_=String())), *filters)
    )


def _filters(shape: Shape) -> list[Any]:
    found: list[Any] = []
    if shape.category:
        found.append(
            and_(
                D.category_path >= bindparam("category_low", type_=D.category_path.type),
                D.category_path < bindparam("category_high", type_=D.category_path.type),
            )
        )
    if shape.brand:
        found.append(func.lower(D.brand) == bindparam("brand", type_=String()))
    if shape.min_price:
        found.append(D.price >= bindparam("min_price", type_=D.price.type))
    if shape.max_price:
        found.append(D.price <= bindparam("max_price", type_=D.price.type))
    if shape.in_stock:
        found.append(D.in_stock == bindparam("in_stock", type_=D.in_stock.type))
    if shape.min_rating:
        found.append(D.rating >= bindparam("min_rating", type_=D.rating.type))
    for n in range(shape.attrs):
        has = (F.name == bindparam(f"attr_name_{n}"), F.value == bindparam(f"attr_value_{n}"))
        found.append(D.id.in_(select(F.document_id).where(*has)))
    if shape.near:
        found.append(D.id.in_(bindparam("near", expanding=True)))
        found.append(D.embed_pending.is_(False))  # a changed text waits for its new vector
    return found


@lru_cache(maxsize=8)
def suggested_template(shape: Shape) -> Select[Any]:
    found = matches(shape).subquery("matches")
    return in_store(
        select(found.c.product_id)
        .order_by(found.c.in_stock.desc(), found.c.score.desc(), found.c.product_id)
        .limit(bindparam("products", type_=Integer))
    )


@lru_cache(maxsize=8)
def categories_template(shape: Shape) -> Select[Any]:
    found = matches(shape).subquery("matches")
    count = func.count().label("n")
    return in_store(
        select(found.c.category_id, count)
        .where(found.c.category_id.is_not(None))
        .group_by(found.c.category_id)
        .order_by(count.desc(), found.c.category_id)
        .limit(bindparam("categories", type_=Integer))
    )


@lru_cache(maxsize=64)
def ids_template(shape: Shape) -> Select[Any]:
    found = matches(shape).subquery("matches")
    return in_store(
        select(found.c.product_id)
        .order_by(found.c.score.desc(), found.c.product_id)
        .limit(bindparam("limit", type_=Integer))
    )
