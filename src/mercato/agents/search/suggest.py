"""Suggestions while a shopper types: the query completed from the store's words (the most
common first), the products it already finds, and the categories they are in."""

from __future__ import annotations

from typing import Any

from mercato.agents.catalog import service as catalog
from mercato.agents.search import finder, text
from mercato.agents.search.finder import Query
from mercato.agents.search.spelling import Vocabulary
from mercato.kernel.db import UnitOfWork

QUERIES, PRODUCTS, CATEGORIES = 5, 5, 3


async def suggest(
    uow: UnitOfWork, q: str, *, synonyms: list[list[str]], vocabulary: Vocabulary
) -> dict[str, Any]:
    terms = text.words(q)
    if not terms:
        return {"queries": [], "products": [], "categories": []}
    head, last = terms[:-1], terms[-1]
    endings = vocabulary.complete(last, QUERIES) if text.typing(q) else [last]
    queries = [" ".join([*head, ending]) for ending in endings]
    found = await finder.find(uow, Query(q=q, limit=PRODUCTS, every_facet=False), synonyms=synonyms)
    products = await catalog.summaries(uow, [p for p, _ in found.hits])
    top = found.facets.get("category", [])[:CATEGORIES]
    names = await catalog.category_names(uow, [c["value"] for c in top])
    return {
        "queries": queries,
        "products": [_product(products[p], found.terms) for p, _ in found.hits if p in products]
        if not found.relaxed
        else [],
        "categories": [
            {"id": c["value"], "name": names[c["value"]], "count": c["count"]}
            for c in top
            if c["value"] in names
        ],
    }


def _product(product: dict[str, Any], terms: list[str]) -> dict[str, Any]:
    cover = product["pictures"][0] if product["pictures"] else None
    return {
        "id": product["id"],
        "name": product["name"],
        "highlight": text.highlight(product["name"], terms),
        "price": product["price"],
        "currency": product["currency"],
        "thumbnail_url": cover["thumbnail_url"] if cover else None,
    }
