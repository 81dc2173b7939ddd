"""Finding products: the documents that match a query's words (FTS5's bm25 on SQLite,
`ts_rank_cd` over weighted words on PostgreSQL) and the filters, ranked (in stock first,
then relevance, then newest), counted, and faceted over everything that matched."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    column,
    distinct,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.sql.elements import ColumnClause

from mercato.agents.search import text
from mercato.agents.search.models import SearchDocument, SearchFacetValue
from mercato.kernel.db import UnitOfWork
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
PRICE_EDGES = (Decimal(10), Decimal(25), Decimal(50), Decimal(100), Decimal(250), Decimal(500))
FACET_VALUES = 20
"""Values listed per facet at most (the most frequent)."""
ATTRIBUTE_FACETS_SKIPPED = {"brand"}
"""Attributes with a facet of their own."""


@dataclass(frozen=True)
class Query:
    q: str | None = None
    category_path: str | None = None
    brand: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    attrs: list[tuple[str, str]] = field(default_factory=list)
    in_stock: bool | None = None
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    every_facet: bool = True
    """False: the category facet only (suggestions)."""
    any_word: bool = False
    """Products with any of the words, those with more first (what is like a product)."""


@dataclass
class Found:
    hits: list[tuple[str, float]]
    """(product id, score) of the page, best first."""
    total: int
    facets: dict[str, list[dict[str, Any]]]
    terms: list[str]
    relaxed: bool = False
    """No product had every word: these have some of them."""


async def find(uow: UnitOfWork, query: Query, *, synonyms: list[list[str]]) -> Found:
    """Every word (or a synonym of it) first; when no product has them all, any of them."""
    terms = text.words(query.q)
    asked = text.slots(terms, synonyms, typing=text.typing(query.q))
    postgres = uow.session.get_bind().dialect.name == "postgresql"
    found = await _find(uow, query, asked, postgres, every=not query.any_word)
    found.terms = terms
    if found.total == 0 and len(asked) > 1 and not query.any_word:
        relaxed = await _find(uow, query, asked, postgres, every=False)
        relaxed.terms, relaxed.relaxed = terms, True
        return relaxed
    return found


async def _find(
    uow: UnitOfWork, query: Query, asked: list[text.Slot], postgres: bool, *, every: bool
) -> Found:
    """Every match read once (the engine's work done once): counted, ordered, paged and
    faceted here; only the attributes' facet asks the database again."""
    matching = _matches(query, asked, postgres, every)
    rows = (await uow.session.execute(in_store(matching))).all()
    rows.sort(key=_SORTS.get(query.sort, _SORTS["relevance"]))
    page = rows[query.offset : query.offset + query.limit]
    hits = [(row.product_id, float(row.score or 0)) for row in page]
    facets: dict[str, list[dict[str, Any]]] = {}
    if rows:
        facets = _counted(rows, every=query.every_facet)
        if query.every_facet:
            facets.update(await _attribute_facets(uow, matching.subquery("matches")))
    return Found(hits=hits, total=len(rows), facets=facets, terms=[])


def _newest(row: Any) -> float:
    return float(row.created_at.timestamp())


_SORTS: dict[str, Any] = {
    "relevance": lambda r: (not r.in_stock, -float(r.score or 0), -_newest(r), r.product_id),
    "price_asc": lambda r: (r.price, r.product_id),
    "price_desc": lambda r: (-r.price, r.product_id),
    "newest": lambda r: (-_newest(r), _reversed(r.product_id)),
}
"""How each sort orders the matches: in stock first, then the best matches, then the newest
(relevance); ties broken by product id, so pages never overlap."""


def _reversed(text_: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text_)


def _matches(query: Query, asked: list[text.Slot], postgres: bool, every: bool) -> Select[Any]:
    """(document id, product id, score, in stock, price, created, category, brand) of every
    match."""
    filters = _filters(query)
    if not asked:
        base = select(
            D.id,
            D.product_id,
            literal(0.0).label("score"),
            D.in_stock,
            D.price,
            D.created_at,
            D.category_id,
            D.brand,
        ).where(*filters)
    elif postgres:
        tsq = func.to_tsquery(ENGLISH, bindparam("tsquery", text.tsquery(asked, every=every)))
        base = select(
            D.id,
            D.product_id,
            func.ts_rank_cd(PG_WEIGHTS, D.words, tsq, 32).label("score"),
            D.in_stock,
            D.price,
            D.created_at,
            D.category_id,
            D.brand,
        ).where(D.words.op("@@")(tsq), *filters)
    else:
        match = text.fts5_query(asked, every=every)
        base = (
            select(
                D.id,
                D.product_id,
                (-func.bm25(_FTS_TABLE, *WEIGHTS)).label("score"),
                D.in_stock,
                D.price,
                D.created_at,
                D.category_id,
                D.brand,
            )
            .select_from(_FTS.join(SearchDocument.__table__, D.id == _FTS.c.rowid))
            .where(_FTS_TABLE.op("MATCH")(bindparam("match", match)), *filters)
        )
    return base


def _filters(query: Query) -> list[Any]:
    found: list[Any] = []
    if query.category_path is not None:
        found.append(
            and_(
                D.category_path >= query.category_path, D.category_path < query.category_path + "~"
            )
        )
    if query.brand is not None:
        found.append(func.lower(D.brand) == text.fold(query.brand))
    if query.min_price is not None:
        found.append(D.price >= query.min_price)
    if query.max_price is not None:
        found.append(D.price <= query.max_price)
    if query.in_stock is not None:
        found.append(D.in_stock == query.in_stock)
    for name, value in query.attrs:
        found.append(D.id.in_(select(F.document_id).where(F.name == name, F.value == value)))
    return found


def _counted(rows: list[Any], *, every: bool) -> dict[str, list[dict[str, Any]]]:
    """The facets the matches' own columns give: category, brand, price range, in stock."""
    facets = {"category": _top(Counter(r.category_id for r in rows if r.category_id).items())}
    if not every:
        return facets
    facets["brand"] = _top(Counter(r.brand for r in rows if r.brand).items())
    buckets = Counter(bisect.bisect_right(PRICE_EDGES, r.price) for r in rows)
    facets["price"] = [_price_range(i, n) for i, n in sorted(buckets.items())]
    stocked = Counter(bool(r.in_stock) for r in rows)
    facets["in_stock"] = [{"value": v, "count": stocked[v]} for v in (True, False) if stocked[v]]
    return facets


async def _attribute_facets(uow: UnitOfWork, matches: Any) -> dict[str, list[dict[str, Any]]]:
    """Each attribute's values over every match (`attr:<name>`)."""
    rows = await uow.session.execute(
        in_store(
            select(F.name, F.value, func.count(distinct(F.document_id)))
            .where(F.document_id.in_(select(matches.c.id)))
            .group_by(F.name, F.value)
        )
    )
    by_name: dict[str, list[tuple[str, int]]] = {}
    for name, value, n in rows:
        if name not in ATTRIBUTE_FACETS_SKIPPED:
            by_name.setdefault(name, []).append((value, n))
    return {f"attr:{name}": _top(by_name[name]) for name in sorted(by_name)}


def _top(counts: Iterable[tuple[Any, int]]) -> list[dict[str, Any]]:
    ranked = sorted(counts, key=lambda c: (-c[1], str(c[0])))[:FACET_VALUES]
    return [{"value": value, "count": n} for value, n in ranked]


def _price_range(index: int, count: int) -> dict[str, Any]:
    low = PRICE_EDGES[index - 1] if index > 0 else Decimal(0)
    high = PRICE_EDGES[index] if index < len(PRICE_EDGES) else None
    return {
        "value": f"{low}-{high or ''}",
        "min": str(low),
        "max": high and str(high),
        "count": count,
    }
