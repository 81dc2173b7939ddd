"""The search agent's routes: parse → service → answer."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from mercato.agents.search import service, synonyms
from mercato.agents.search.finder import Query as SearchQuery
from mercato.agents.search.problems import InvalidSearch
from mercato.agents.search.schemas import SearchPage, Synonyms
from mercato.agents.search.text import words
from mercato.kernel.auth import Principal, public, require
from mercato.kernel.openapi import problems
from mercato.kernel.reads import json_answer
from mercato.kernel.routes import KernelDep

router = APIRouter(tags=["search"])
Price = Annotated[Decimal | None, Query(ge=0, le=1_000_000_000, allow_inf_nan=False)]


@router.get(
    "/search",
    response_model=SearchPage,
    responses=problems(InvalidSearch),
    dependencies=[Depends(public())],
)
async def search(
    kernel: KernelDep,
    q: Annotated[str | None, Query(max_length=200, description="What the shopper typed")] = None,
    category: Annotated[
        str | None, Query(max_length=200, description="A category id or slug: its whole subtree")
    ] = None,
    brand: Annotated[str | None, Query(max_length=200)] = None,
    min_price: Price = None,
    max_price: Price = None,
    attr: Annotated[
        list[str], Query(max_length=10, description="name:value, repeatable, all must match")
    ] = [],  # noqa: B006 - FastAPI copies defaults
    in_stock: bool | None = None,
    sort: Literal["relevance", "price_asc", "price_desc", "newest"] = "relevance",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    """Products by words (stemmed; the last word as typed so far), filters and facets: in
    stock first, then the best matches. When no product has every word, those with some of
    them (`relaxed`)."""
    if min_price is not None and max_price is not None and min_price > max_price:
        raise InvalidSearch("min_price is above max_price")
    query = SearchQuery(
        q=q,
        brand=brand,
        min_price=min_price,
        max_price=max_price,
        attrs=[_pair(a) for a in attr],
        in_stock=in_stock,
        sort=sort,
        offset=service.decode_cursor(cursor, sort) if cursor else 0,
        limit=limit,
    )
    async with kernel.uow(writes=False) as uow:
        page = await service.search(uow, query, category=category)
    return json_answer(page)


def _pair(filter_: str) -> tuple[str, str]:
    name, sep, value = filter_.partition(":")
    if not sep or not name.strip() or not value.strip():
        raise InvalidSearch(f"attr is name:value, not {filter_!r}")
    return name.strip().lower()[:64], value.strip().lower()[:200]


SynonymAdmin = Annotated[Principal, Depends(require("search:synonyms"))]


@router.get("/search/synonyms", response_model=Synonyms)
async def get_synonyms(kernel: KernelDep, _: SynonymAdmin) -> Synonyms:
    """The store's synonym groups."""
    async with kernel.uow(writes=False) as uow:
        return Synonyms(groups=await synonyms.groups(uow))


@router.put("/search/synonyms", response_model=Synonyms, responses=problems(InvalidSearch))
async def put_synonyms(body: Synonyms, kernel: KernelDep, _: SynonymAdmin) -> Synonyms:
    """Replace the store's synonym groups (searches use them at once)."""
    groups = [[" ".join(phrase.split()) for phrase in group] for group in body.groups]
    for group in groups:
        if any(not words(phrase) for phrase in group):
            raise InvalidSearch("a synonym is a word or a phrase")
    async with kernel.uow() as uow:
        await synonyms.put_groups(uow, groups)
        await uow.commit()
    return Synonyms(groups=groups)
