"""Recommendations: beside a product, `similar` (its name's words in its own category, ranked
by the engine, fused with the products nearest its meaning; then the category's most
popular) and `bought_together` (what confirmed
orders held with it, most often first; while nobody has bought it with anything, the
similar ones stand in). Never the product itself, nor one that is not for sale or not in
stock: only in-stock documents of the index are offered, and the catalog answers for them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from mercato.agents.search import finder, interests, text
from mercato.agents.search.finder import Query
from mercato.agents.search.meaning import Vectors
from mercato.agents.search.models import SearchDocument, SearchPair
from mercato.kernel import context

KINDS = ("similar", "bought_together")
SEEDS = 10
"""A shopper's strongest interests that `for-you` starts from."""
CANDIDATES = 24
"""Products each ranking offers `similar` at most."""
SIMILAR_FLOOR = 0.3
"""The cosine a product needs with another's to be like it in meaning."""
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
    """Its category's products with its name's words (ranked by the engine) fused with the
    store's products nearest its meaning (by reciprocal rank), in stock, never itself; then,
    to fill up, its category's most popular."""
    words = [w for w in text.words(document.name) if not w.isdigit() and w not in GENERIC]
    alike: list[str] = []
    if words:
        query = Query(
            q=" ".join(words) + " ",  # whole words, not prefixes
            category_path=document.category_path,
            in_stock=True,
        )
        alike = await finder.product_ids(
            uow, query, synonyms=synonyms, limit=CANDIDATES, every=False
        )
    meant = await _meant(uow, document)
    ranks: dict[str, float] = defaultdict(float)
    for ranked in (alike, meant):
        for place, product_id in enumerate(ranked, start=1):
            ranks[product_id] += 1.0 / (finder.RRF_K + place)
    ranks.pop(document.product_id, None)
    found = sorted(ranks, key=lambda p: (-ranks[p], p))[:limit]
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


async def _meant(uow: Any, document: SearchDocument) -> list[str]:
    """The in-stock products nearest the document's meaning, nearest first (none before its
    vector is made, or when meaning is turned off)."""
    if not uow.settings.search_semantic:
        return []
    vectors = uow.deps(Vectors)
    store = context.current_tenant() or ""
    vector = await vectors.of(uow, store, document.id)
    if vector is None:
        return []
    near = await vectors.nearest(
        uow, store, vector, k=CANDIDATES + 1, floor=SIMILAR_FLOOR, margin=None
    )
    ids = [d for d, _ in near if d != document.id]
    if not ids:
        return []
    rows = await uow.session.execute(
        select(SearchDocument.id, SearchDocument.product_id).where(
            SearchDocument.id.in_(ids),
            SearchDocument.in_stock.is_(True),
            SearchDocument.embed_pending.is_(False),
        )
    )
    by_id = dict(rows.all())
    return [by_id[d] for d in ids if d in by_id]


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
