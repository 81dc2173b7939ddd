"""Suggestions while a shopper types: the query completed from the store's words (the most
common first), the products it already finds, and the categories they are in."""

from __future__ import annotations

from typing import Any

from mercato.agents.catalog import service as catalog
from mercato.agents.search import finder, text
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
    found, top = await finder.suggested(
        uow, q, synonyms=synonyms, products=PRODUCTS, categories=CATEGORIES
    )
    products = await catalog.summaries(uow, found)
    names = await catalog.category_names(uow, [c for c, _ in top])
    return {
        "queries": queries,
        "products": [_product(products[p], terms) for p in found if p in products],
        "categories": [{"id": c, "name": names[c], "count": n} for c, n in top if c in names],
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
