"""Search as the API answers it: the finder's hits made products by the catalog (it says what
a product costs and has in stock now), highlighted, with facets named and a cursor. `Query` is
re-exported: the assistant searches with it."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from typing import Any

from mercato.agents.catalog import service as catalog
from mercato.agents.search import finder, recommend, synonyms, text
from mercato.agents.search.answers import RANKS_KEPT, Answer, Answers
from mercato.agents.search.meaning import MARGIN, Vectors
from mercato.agents.search.problems import InvalidSearch
from mercato.agents.search.spelling import Vocabularies
from mercato.agents.search.statements import Query
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

__all__ = [
    "FILTERED_REACH",
    "MAX_OFFSET",
    "SORTS",
    "Query",
    "decode_cursor",
    "encode_cursor",
    "for_you",
    "matching",
    "recommendations",
    "search",
]

MAX_OFFSET = 10_000
"""How deep a shopper may page: past it, a narrower query serves better."""
SORTS = ("relevance", "price_asc", "price_desc", "newest", "rating")
FILTERED_REACH = 10
"""How many times further a filtered search looks among the nearest by meaning."""


async def search(uow: UnitOfWork, query: Query, *, category: str | None) -> dict[str, Any]:
    if category is not None:
        path = await catalog.category_path(uow, category)
        if path is None:
            raise InvalidSearch(f"no category {category!r}")
        query = replace(query, category_path=path)
    end = query.offset + query.limit
    if end <= RANKS_KEPT:  # the whole answer, kept for the next shopper asking the same
        whole = replace(query, offset=0, limit=RANKS_KEPT)
        key = (
            query.q, query.category_path, query.brand, query.min_price, query.max_price,
            tuple(query.attrs), query.in_stock, query.min_rating, query.sort, query.mode,
        )  # fmt: skip
        store = context.current_tenant() or ""
        found = await uow.deps(Answers).get(store, key, lambda: _answer(uow, whole))
        hits = found.ranked[query.offset : end]
    else:
        found = await _answer(uow, query)
        hits = found.ranked
    products = await catalog.summaries(uow, [p for p, _ in hits])
    items = []
    for product_id, score in hits:
        product = products.get(product_id)
        if product is None:  # archived since it was indexed: the index follows shortly
            continue
        marked = text.highlight(product["name"], found.terms)
        items.append(
            {
                "product": product,
                "score": round(score, 6),
                "highlights": {"name": marked} if marked else {},
            }
        )
    more = end < found.total and end < MAX_OFFSET
    return {
        "items": items,
        "facets": found.facets,
        "total_estimate": found.total,
        "relaxed": found.relaxed,
        "nearest": found.nearest,
        "did_you_mean": found.did_you_mean,
        "query_id": new_id(),
        "next_cursor": encode_cursor(end, query.sort) if more else None,
    }


async def _answer(uow: UnitOfWork, query: Query) -> Answer:
    """The query's matches ranked (its page of them), counted and faceted: the words' and
    the meaning's, a corrected spelling's when the words as typed find nothing, or the
    nearest in meaning when nothing else is found."""
    groups = await synonyms.groups(uow)
    meant = await _meaning(uow, query)
    ranking = _ranking(uow)
    found = await finder.find(uow, query, synonyms=groups, meaning=meant, ranking=ranking)
    did_you_mean = None
    if (found.lexical == 0 or found.relaxed) and query.mode != "semantic":
        corrected = await _corrected(uow, query.q)
        if corrected is not None:
            retried = await finder.find(
                uow, replace(query, q=corrected), synonyms=groups, meaning=meant, ranking=ranking
            )
            if retried.lexical and not retried.relaxed:
                found, did_you_mean = retried, corrected.strip()
    nearest = False
    if found.total == 0 and query.mode != "lexical":
        # nothing has the words nor means it closely: the nearest by meaning, if any is near
        # enough to offer, rather than nothing (said, and logged as finding nothing)
        near = await _meaning(uow, query, floor=uow.settings.search_semantic_fallback_similarity)
        if near:
            found = await finder.find(
                uow, replace(query, mode="semantic"), synonyms=groups, meaning=near,
                ranking=ranking,
            )  # fmt: skip
            nearest = found.relaxed = bool(found.total)
    names = await catalog.category_names(
        uow, [f["value"] for f in found.facets.get("category", [])]
    )
    for facet in found.facets.get("category", []):
        facet["label"] = names.get(facet["value"])
    return Answer(
        ranked=found.hits,
        total=found.total,
        facets=found.facets,
        terms=found.terms,
        relaxed=found.relaxed,
        did_you_mean=did_you_mean,
        nearest=nearest,
    )


async def matching(uow: UnitOfWork, q: str, limit: int) -> list[str]:
    """The catalog's `ProductWords`: what `GET /v1/products?q=` lists."""
    groups = await synonyms.groups(uow)
    return await finder.product_ids(uow, Query(q=q), synonyms=groups, limit=limit)


async def recommendations(
    uow: UnitOfWork, *, product_id: str, kind: str, limit: int
) -> dict[str, Any] | None:
    """`GET /v1/products/{id}/recommendations`'s answer; None for a product not for sale.
    Which products is kept like a search's answer (a product's page is seen again and
    again); what they cost and hold is the catalog's, read each time."""

    async def recommended() -> recommend.Recommended | None:
        return await recommend.recommend(
            uow, product_id=product_id, kind=kind, limit=limit, synonyms=await synonyms.groups(uow)
        )

    store = context.current_tenant() or ""
    key = ("recommend", product_id, kind, limit)
    found = await uow.deps(Answers).get(store, key, recommended)
    if found is None:
        return None
    products = await catalog.summaries(uow, found.product_ids)
    return {
        "items": [products[p] for p in found.product_ids if p in products],
        "next_cursor": None,
        "kind": found.kind,
    }


async def for_you(uow: UnitOfWork, *, shopper: str | None, limit: int) -> dict[str, Any]:
    """`GET /v1/recommendations/for-you`'s answer."""
    found = await recommend.for_you(
        uow, shopper=shopper, limit=limit, synonyms=await synonyms.groups(uow)
    )
    products = await catalog.summaries(uow, found.product_ids)
    return {
        "items": [products[p] for p in found.product_ids if p in products],
        "next_cursor": None,
        "kind": found.kind,
    }


async def _meaning(
    uow: UnitOfWork, query: Query, *, floor: float | None = None
) -> list[tuple[int, float]]:
    """(document id, cosine) of the products nearest the query's meaning, at `floor` or
    above (the settings' by default); none in `lexical` mode, without words, or when the
    deployment turned meaning off."""
    settings = uow.settings
    if query.mode == "lexical" or not settings.search_semantic or not text.words(query.q):
        return []
    vectors = uow.deps(Vectors)
    vector = await vectors.query_vector(query.q or "")
    if vector is None:
        return []
    filtered = bool(
        query.category_path or query.brand or query.attrs or query.in_stock is not None
        or query.min_price is not None or query.max_price is not None
        or query.min_rating is not None
    )  # fmt: skip
    # with filters, the store's nearest may all be filtered out: look further (the finder
    # measures the margin from the nearest the filters keep)
    return await vectors.nearest(
        uow,
        context.current_tenant() or "",
        vector,
        k=settings.search_semantic_candidates * (FILTERED_REACH if filtered else 1),
        floor=settings.search_semantic_min_similarity if floor is None else floor,
        margin=None,
    )


def _ranking(uow: UnitOfWork) -> finder.Ranking:
    settings = uow.settings
    return finder.Ranking(
        in_stock_first=settings.search_in_stock_first,
        popularity_weight=settings.search_popularity_weight,
        meaning_margin=MARGIN,
    )


async def _corrected(uow: UnitOfWork, q: str | None) -> str | None:
    """The query with its misspelt words corrected (a trailing space kept: a word being
    typed stays a prefix); None when no word was corrected."""
    vocabulary = await uow.deps(Vocabularies).of(uow, context.current_tenant() or "")
    words = text.words(q)
    fixed = [vocabulary.correct(w) or w for w in words]
    if fixed == words:
        return None
    return " ".join(fixed) + (" " if q and q[-1].isspace() else "")


def encode_cursor(offset: int, sort: str) -> str:
    raw = json.dumps({"o": offset, "s": sort}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> int:
    """The offset a cursor of this sort carries (422 for any other cursor)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        offset = data["o"]
        if data["s"] != sort or not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
            raise ValueError(cursor)
    except (ValueError, KeyError, TypeError):
        raise InvalidSearch("the cursor is not one this search issued") from None
    return offset
