"""Finding products: the documents that match a query's words (FTS5's bm25 on SQLite,
`ts_rank_cd` over weighted words on PostgreSQL) and the filters, ranked (in stock first,
then relevance, then newest), counted, and faceted over everything that matched."""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mercato.agents.search import ratings, statements, text
from mercato.agents.search.statements import Query
from mercato.kernel.db import UnitOfWork

PRICE_EDGES = (Decimal(10), Decimal(25), Decimal(50), Decimal(100), Decimal(250), Decimal(500))
FACET_VALUES = 20
"""Values listed per facet at most (the most frequent)."""
ATTRIBUTE_FACETS_SKIPPED = {"brand"}
"""Attributes with a facet of their own."""


@dataclass(frozen=True)
class Ranking:
    """How relevance orders matches (the deployment's settings)."""

    in_stock_first: bool = True
    popularity_weight: float = 0.0
    meaning_margin: float | None = None
    """Matches by meaning kept: those within this cosine of the nearest that the filters
    keep (None: all)."""


@dataclass
class Match:
    id: int
    product_id: str
    score: float
    in_stock: bool
    price: Decimal
    created_at: Any
    category_id: str | None
    brand: str | None
    popularity: float
    facets: str
    rating: float | None = None
    rating_count: int = 0
    relevance: float = 0.0


@dataclass
class Found:
    hits: list[tuple[str, float]]
    """(product id, relevance) of the page, best first."""
    total: int
    facets: dict[str, list[dict[str, Any]]]
    terms: list[str]
    relaxed: bool = False
    """No product had every word: these have some of them."""
    lexical: int = 0
    """How many matched the words."""


RRF_K = 60
"""Reciprocal rank fusion's constant (Cormack et al. 2009): a list's first place weighs
1/61, its tenth 1/70; no list's scores need to be comparable with another's."""


async def find(
    uow: UnitOfWork,
    query: Query,
    *,
    synonyms: list[list[str]],
    meaning: list[tuple[int, float]] | None = None,
    ranking: Ranking = Ranking(),
) -> Found:
    """Every word (or a synonym of it) first; when no product has them all, any of them.
    `meaning`: (document id, cosine) of the documents nearest the query's meaning, fused with
    the words' ranking (or alone, in `semantic` mode)."""
    terms = text.words(query.q)
    asked = text.slots(terms, synonyms, typing=text.typing(query.q))
    if query.mode == "semantic":
        if terms and not meaning:  # nothing means it (or no vectors yet): nothing found
            return Found(hits=[], total=0, facets={}, terms=terms)
        asked = []
    postgres = uow.session.get_bind().dialect.name == "postgresql"
    meant = meaning or []
    found = await _find(uow, query, asked, postgres, every=not query.any_word, meaning=meant,
                        ranking=ranking)  # fmt: skip
    found.terms = terms
    if found.lexical == 0 and len(asked) > 1 and not query.any_word:
        # no product has every word: those with some of them, and those the query means
        relaxed = await _find(
            uow, query, asked, postgres, every=False, meaning=meant, ranking=ranking
        )
        relaxed.terms, relaxed.relaxed = terms, True
        return relaxed
    return found


async def _find(
    uow: UnitOfWork,
    query: Query,
    asked: list[text.Slot],
    postgres: bool,
    *,
    every: bool,
    meaning: list[tuple[int, float]],
    ranking: Ranking,
) -> Found:
    """Every match read once (the engine's work done once), with its facet values: counted,
    ordered, paged and faceted here."""
    lexical: list[Match] = []
    words = statements.shape(query, asked, postgres, near=False)
    params = statements.params(query, asked, every, postgres)
    if asked or not meaning:
        rows = await uow.session.execute(statements.template(words), params)
        lexical = [Match(*row) for row in rows.all()]
    meant: list[Match] = []
    if meaning:
        cosine = dict(meaning)
        near = statements.shape(query, [], postgres, near=True)
        rows = await uow.session.execute(
            statements.template(near), {**params, "near": list(cosine)}
        )
        meant = [Match(*row) for row in rows.all()]
        for match in meant:
            match.score = cosine[match.id]
        if meant and ranking.meaning_margin is not None:
            best = max(m.score for m in meant)
            meant = [m for m in meant if m.score >= best - ranking.meaning_margin]
    matches = _fused([found for found in (lexical, meant) if found], ranking)
    matches = ordered(matches, query.sort, ranking)
    page = matches[query.offset : query.offset + query.limit]
    hits = [(m.product_id, m.relevance) for m in page]
    facets = _counted(matches, every=query.every_facet) if matches else {}
    return Found(hits=hits, total=len(matches), facets=facets, terms=[], lexical=len(lexical))


def _fused(lists: list[list[Match]], ranking: Ranking) -> list[Match]:
    """One match per document, its relevance the reciprocal rank fusion of its places in
    each list (equal scores share a place), scaled to 1 for the best, plus its popularity's
    share (log-scaled, 1 for the most popular match) times the weight."""
    fused: dict[int, Match] = {}
    for matches in lists:
        place, last = 0, None
        for match in sorted(matches, key=lambda m: -m.score):
            if match.score != last:
                place, last = place + 1, match.score
            kept = fused.setdefault(match.id, match)
            kept.relevance += 1.0 / (RRF_K + place)
    found = list(fused.values())
    best = max((m.relevance for m in found), default=0.0) or 1.0
    most = max((math.log1p(max(m.popularity, 0.0)) for m in found), default=0.0)
    for match in found:
        match.relevance /= best
        if most > 0 and ranking.popularity_weight:
            share = math.log1p(max(match.popularity, 0.0)) / most
            match.relevance += ranking.popularity_weight * share
    return found


async def product_ids(
    uow: UnitOfWork, query: Query, *, synonyms: list[list[str]], limit: int, every: bool = True
) -> list[str]:
    """The products with every word of the query (any of them: `every` false; a synonym; the
    last word as typed so far a prefix) and its filters, the best matches first, `limit` at
    most, ranked by the engine; none for a text without words."""
    q = query.q or ""
    asked = text.slots(text.words(q), synonyms, typing=text.typing(q))
    if not asked:
        return []
    postgres = uow.session.get_bind().dialect.name == "postgresql"
    shape = statements.shape(query, asked, postgres, near=False)
    params = {**statements.params(query, asked, every, postgres), "limit": limit}
    return list(await uow.session.scalars(statements.ids_template(shape), params))


async def suggested(
    uow: UnitOfWork, q: str, *, synonyms: list[list[str]], products: int, categories: int
) -> tuple[list[str], list[tuple[str, int]]]:
    """What a shopper typing `q` may want: the products with every word (in stock first,
    then the best matches) and the categories holding most of them, ranked and counted by
    the engine (a suggestion reads a handful of rows, never every match)."""
    asked = text.slots(text.words(q), synonyms, typing=text.typing(q))
    if not asked:
        return [], []
    postgres = uow.session.get_bind().dialect.name == "postgresql"
    shape = statements.shape(Query(q=q), asked, postgres, near=False)
    params = {**statements.params(Query(q=q), asked, True, postgres), "products": products}
    found = list(await uow.session.scalars(statements.suggested_template(shape), params))
    if not found:
        return [], []
    rows = await uow.session.execute(
        statements.categories_template(shape), {**params, "categories": categories}
    )
    return found, [(category, int(n)) for category, n in rows]


def _newest(match: Match) -> float:
    return float(match.created_at.timestamp())


def _relevance(ranking: Ranking) -> Any:
    first = ranking.in_stock_first
    return lambda m: (first and not m.in_stock, -round(m.relevance, 9), -_newest(m), m.product_id)


def ordered(matches: list[Match], sort: str, ranking: Ranking) -> list[Match]:
    """The matches in the order of the sort (`SORTS`; relevance for any other)."""
    return sorted(matches, key=_SORTS.get(sort, _SORTS["relevance"])(ranking))


def _by_rating(by_relevance: Any) -> Any:
    return lambda m: (*ratings.sort_key(m.rating, m.rating_count), *by_relevance(m))


_SORTS: dict[str, Any] = {
    "relevance": _relevance,
    "price_asc": lambda _: lambda m: (m.price, m.product_id),
    "price_desc": lambda _: lambda m: (-m.price, m.product_id),
    "newest": lambda _: lambda m: (-_newest(m), _reversed(m.product_id)),
    "rating": lambda r: _by_rating(_relevance(r)),
}
"""How each sort orders the matches: in stock first (unless the settings say otherwise),
then the most relevant, then the newest (relevance); the best rated, then the most reviewed,
then as relevance does, those without reviews last (rating); ties broken by product id, so
pages never overlap."""


def _reversed(text_: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text_)


def _counted(rows: list[Match], *, every: bool) -> dict[str, list[dict[str, Any]]]:
    """Every facet, counted over the matches' own columns: category, brand, price range, in
    stock, rating (cumulative star buckets), and each attribute's values (`attr:<name>`)."""
    facets = {"category": _top(Counter(r.category_id for r in rows if r.category_id).items())}
    if not every:
        return facets
    facets["brand"] = _top(Counter(r.brand for r in rows if r.brand).items())
    buckets = Counter(bisect.bisect_right(PRICE_EDGES, r.price) for r in rows)
    facets["price"] = [_price_range(i, n) for i, n in sorted(buckets.items())]
    stocked = Counter(bool(r.in_stock) for r in rows)
    facets["in_stock"] = [{"value": v, "count": stocked[v]} for v in (True, False) if stocked[v]]
    facets["rating"] = ratings.facet(r.rating for r in rows)
    pairs: Counter[str] = Counter()
    for row in rows:
        if row.facets:
            pairs.update(row.facets.split(text.FACET_PAIRS))
    by_name: dict[str, list[tuple[str, int]]] = {}
    for pair, n in pairs.items():
        name, _, value = pair.partition(text.FACET_NAME)
        if name not in ATTRIBUTE_FACETS_SKIPPED:
            by_name.setdefault(name, []).append((value, n))
    facets.update({f"attr:{name}": _top(by_name[name]) for name in sorted(by_name)})
    return facets


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
