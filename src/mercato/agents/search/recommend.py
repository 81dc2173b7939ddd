"""Recommendations: beside a product, `similar` (its category's products nearest its
meaning, the words and attribute values they share with it adding to the likeness; then the
category's most popular) and `bought_together` (what confirmed
orders held with it, most often first; while nobody has bought it with anything, the
similar ones stand in). Never the product itself, nor one that is not for sale or not in
stock: only in-stock documents of the index are offered, and the catalog answers for them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from mercato.agents.search import finder, interests, text
from mercato.agents.search.meaning import Vectors
from mercato.agents.search.models import SearchDocument, SearchPair
from mercato.agents.search.statements import Query
from mercato.kernel import context

KINDS = ("similar", "bought_together")
SEEDS = 10
"""A shopper's strongest interests that `for-you` starts from."""
NEAR = 200
"""The store's products nearest a product's meaning that `similar` looks among."""
SIMILAR_FLOOR = 0.3
"""The cosine a product needs with another's to be like it in meaning."""
WORDS, ATTRIBUTES = 0.2, 0.1
"""What sharing all of a product's name's words, or all its attribute values, adds to a
cosine (a griddle of cast iron is more like a cast iron skillet than an enamel one is)."""
GENERIC = {"no"}
"""Words of names that say nothing of what a product is ("No. 12")."""


@dataclass
class Recommended:
    product_ids: list[str]
    kind: str
    """What they are: the kind asked for, or `similar` standing in for it."""


async def recommend(
    uow: Any, *, product_id: str, kind: str, limit: int, synonyms: list[list[str]]
) -> Recommended | None:
    """None when the product is not in the index (not for sale, or no product)."""
    document = await uow.session.scalar(
        select(SearchDocument).where(SearchDocument.product_id == product_id)
    )
    if document is None:
        return None
    if kind == "bought_together":
        together = await _bought_together(uow, product_id, limit)
        if together:
            return Recommended(together, kind)
    return Recommended(await _similar(uow, document, limit, synonyms), "similar")


async def _bought_together(uow: Any, product_id: str, limit: int) -> list[str]:
    rows = await uow.session.execute(
        select(SearchPair.other_id)
        .join(SearchDocument, SearchDocument.product_id == SearchPair.other_id)
        .where(SearchPair.product_id == product_id, SearchDocument.in_stock.is_(True))
        .order_by(SearchPair.orders.desc(), SearchDocument.popularity.desc(), SearchPair.other_id)
        .limit(limit)
    )
    return [other for (other,) in rows]


async def _similar(
    uow: Any, document: SearchDocument, limit: int, synonyms: list[list[str]]
) -> list[str]:
    """Its category's products nearest its meaning, with the words and attribute values they
    share with it adding to the likeness (`_alike`); before its vector is made, or with
    meaning turned off, those with its name's words, ranked by the engine. Then, to fill up,
    its category's most popular. In stock, never itself."""
    found = await _alike(uow, document, limit)
    if found is None:
        found = await _with_its_words(uow, document, limit, synonyms)
    if len(found) < limit and document.category_path is not None:
        rows = await uow.session.execute(
            select(SearchDocument.product_id)
            .where(
                SearchDocument.category_path == document.category_path,
                SearchDocument.in_stock.is_(True),
                SearchDocument.product_id.not_in([document.product_id, *found]),
            )
            .order_by(SearchDocument.popularity.desc(), SearchDocument.created_at.desc())
            .limit(limit - len(found))
        )
        found += [p for (p,) in rows]
    return found


async def _alike(uow: Any, document: SearchDocument, limit: int) -> list[str] | None:
    """The products of its category nearest its meaning (among the store's `NEAR` nearest),
    each one's cosine plus `WORDS` times the share of its name's words it has and
    `ATTRIBUTES` times the share of its attribute values; None without its vector."""
    if not uow.settings.search_semantic:
        return None
    vectors = uow.deps(Vectors)
    store = context.current_tenant() or ""
    vector = await vectors.of(uow, store, document.id)
    if vector is None:
        return None
    nearest = await vectors.nearest(uow, store, vector, k=NEAR, floor=SIMILAR_FLOOR, margin=None)
    near = dict(nearest)
    near.pop(document.id, None)
    if not near:
        return []
    docs = SearchDocument
    statement = select(docs.id, docs.product_id, docs.name, docs.facets).where(
        docs.id.in_(list(near)), docs.in_stock.is_(True), docs.embed_pending.is_(False)
    )
    if document.category_path is not None:
        statement = statement.where(docs.category_path == document.category_path)
    words, pairs = _words_of(document.name), _pairs_of(document.facets)
    scores = {}
    for doc_id, product_id, name, facets in await uow.session.execute(statement):
        shared_words = len(words & _words_of(name)) / max(len(words), 1)
        shared_pairs = len(pairs & _pairs_of(facets)) / max(len(pairs), 1)
        scores[product_id] = near[doc_id] + WORDS * shared_words + ATTRIBUTES * shared_pairs
    return sorted(scores, key=lambda p: (-scores[p], p))[:limit]


def _words_of(name: str) -> set[str]:
    return {w for w in text.words(name) if not w.isdigit() and w not in GENERIC}


def _pairs_of(facets: str) -> set[str]:
    return set(facets.split(text.FACET_PAIRS)) if facets else set()


async def _with_its_words(
    uow: Any, document: SearchDocument, limit: int, synonyms: list[list[str]]
) -> list[str]:
    """Its category's products with any of its name's words, the engine's best first."""
    words = sorted(_words_of(document.name))
    if not words:
        return []
    query = Query(
        q=" ".join(words) + " ",  # whole words, not prefixes
        category_path=document.category_path,
        in_stock=True,
    )
    alike = await finder.product_ids(uow, query, synonyms=synonyms, limit=limit + 1, every=False)
    return [p for p in alike if p != document.product_id][:limit]


async def for_you(
    uow: Any, *, shopper: str | None, limit: int, synonyms: list[list[str]]
) -> Recommended:
    """For a shopper with a history: what was bought together with what they showed interest
    in (weighted by it), then products like their favourite; for anyone else (a cold start),
    or to fill up, what is popular now. Never what they already showed interest in."""
    seeds = await interests.top(uow, shopper, SEEDS) if shopper else []
    seen = {p for p, _ in seeds}
    scores: dict[str, float] = defaultdict(float)
    if seeds:
        weights = dict(seeds)
        rows = await uow.session.execute(
            select(SearchPair.product_id, SearchPair.other_id, SearchPair.orders).where(
                SearchPair.product_id.in_(list(weights))
            )
        )
        for product_id, other, orders in rows:
            if other not in seen:
                scores[other] += weights[product_id] * orders
    ranked = sorted(scores, key=lambda p: (-scores[p], p))
    found = (await _in_stock(uow, ranked))[:limit]
    if len(found) < limit and seeds:
        favourite = await uow.session.scalar(
            select(SearchDocument).where(SearchDocument.product_id == seeds[0][0])
        )
        if favourite is not None:
            like = await _similar(uow, favourite, limit, synonyms)
            found += [p for p in like if p not in seen and p not in found][: limit - len(found)]
    kind = "for_you" if found else "trending"
    if len(found) < limit:
        found += await _trending(uow, limit - len(found), exclude=seen | set(found))
    return Recommended(found, kind)


async def _in_stock(uow: Any, product_ids: list[str]) -> list[str]:
    """`product_ids` that are in the index and in stock, in their order."""
    if not product_ids:
        return []
    rows = await uow.session.scalars(
        select(SearchDocument.product_id).where(
            SearchDocument.product_id.in_(product_ids), SearchDocument.in_stock.is_(True)
        )
    )
    available = set(rows)
    return [p for p in product_ids if p in available]


async def _trending(uow: Any, limit: int, *, exclude: set[str]) -> list[str]:
    rows = await uow.session.scalars(
        select(SearchDocument.product_id)
        .where(
            SearchDocument.in_stock.is_(True),
            SearchDocument.product_id.not_in(exclude) if exclude else SearchDocument.id > 0,
        )
        .order_by(SearchDocument.popularity.desc(), SearchDocument.created_at.desc())
        .limit(limit)
    )
    return list(rows)
