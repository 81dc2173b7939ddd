"""The search agent's routes: parse → service → answer."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from mercato.agents.search import insights, interests, log, service, suggest, synonyms
from mercato.agents.search.answers import Answers
from mercato.agents.search.log import QueryLog
from mercato.agents.search.problems import InvalidSearch
from mercato.agents.search.schemas import (
    Click,
    Recommendations,
    SearchInsights,
    SearchPage,
    Suggestions,
    Synonyms,
    View,
)
from mercato.agents.search.spelling import Vocabularies
from mercato.agents.search.statements import Query as SearchQuery
from mercato.agents.search.text import words
from mercato.agents.search.views import ViewLog
from mercato.kernel.auth import Principal, public, require
from mercato.kernel.errors import NotFound
from mercato.kernel.openapi import problems
from mercato.kernel.reads import json_answer
from mercato.kernel.routes import KernelDep

router = APIRouter(tags=["search"])
Price = Annotated[Decimal | None, Query(ge=0, le=1_000_000_000, allow_inf_nan=False)]
PRICE_QUANTUM = Decimal("0.0001")
"""Prices are kept to 4 decimals (`kernel.money`): a bound finer than that is refused."""


Anyone = Annotated[Principal, Depends(public())]


@router.get("/search", response_model=SearchPage, responses=problems(InvalidSearch))
async def search(
    kernel: KernelDep,
    who: Anyone,
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
    min_rating: Annotated[
        int | None,
        Query(
            ge=1,
            le=5,
            description="Only products whose reviews average this many stars or more (1-5; "
            "products without reviews are left out); the `rating` facet's buckets",
        ),
    ] = None,
    sort: Annotated[
        Literal["relevance", "price_asc", "price_desc", "newest", "rating"],
        Query(
            description="`relevance` (the default), `price_asc`, `price_desc`, `newest`, or "
            "`rating`: the highest average review rating first, then the most reviews, then "
            "as relevance orders them; products without reviews last"
        ),
    ] = "relevance",
    mode: Annotated[
        Literal["hybrid", "lexical", "semantic"],
        Query(description="Match the words, the meaning, or both fused (the default)"),
    ] = "hybrid",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    """Products by words (stemmed; the last word as typed so far) and by meaning, filters and
    facets: in stock first, then the best matches (the two rankings fused), then the most
    popular. When no product has every word, those with some of them (`relaxed`). The
    `rating` facet counts the products rated 4, 3, 2 and 1 stars and up (cumulative)."""
    for name, bound in (("min_price", min_price), ("max_price", max_price)):
        if bound is not None and bound != bound.quantize(PRICE_QUANTUM):
            raise InvalidSearch(f"{name} is a price to 4 decimals at most")
    if min_price is not None and max_price is not None and min_price > max_price:
        raise InvalidSearch("min_price is above max_price")
    query = SearchQuery(
        q=q,
        brand=brand,
        min_price=min_price,
        max_price=max_price,
        attrs=[_pair(a) for a in attr],
        in_stock=in_stock,
        min_rating=min_rating,
        sort=sort,
        mode=mode,
        offset=service.decode_cursor(cursor, sort) if cursor else 0,
        limit=limit,
    )
    async with kernel.uow(writes=False) as uow:
        page = await service.search(uow, query, category=category)
    if q and q.strip() and query.offset == 0:  # a query, logged once (not per page)
        kernel.deps(QueryLog).record(
            store=who.tenant_id,
            query_id=page["query_id"],
            text=q.strip(),
            words=words(q),
            results=0 if page["nearest"] else page["total_estimate"],
            relaxed=page["relaxed"],
            corrected=page["did_you_mean"],
            user_id=who.id if who.kind == "user" else None,
            at=kernel.clock.now(),
        )
    return json_answer(page)


@router.get("/search/suggest", response_model=Suggestions)
async def search_suggest(
    kernel: KernelDep,
    who: Anyone,
    q: Annotated[str, Query(max_length=200, description="What the shopper has typed so far")],
) -> Response:
    """While a shopper types: the query completed, products it finds, their categories (kept
    for the next shopper typing the same, until the store's index changes)."""
    async with kernel.uow(writes=False) as uow:

        async def suggested() -> dict[str, Any]:
            vocabulary = await kernel.deps(Vocabularies).of(uow, who.tenant_id)
            return await suggest.suggest(
                uow, q, synonyms=await synonyms.groups(uow), vocabulary=vocabulary
            )

        answer = await kernel.deps(Answers).get(who.tenant_id, ("suggest", q), suggested)
    return json_answer(answer)


@router.post("/search/clicks", status_code=204)
async def record_click(body: Click, kernel: KernelDep, _: Anyone) -> None:
    """A product opened from a search's answers (its `query_id`), at which place (from 0)."""
    async with kernel.uow() as uow:
        await log.record_click(
            uow,
            query_id=body.query_id,
            product_id=body.product_id,
            position=body.position,
            at=kernel.clock.now(),
        )
        await uow.commit()


@router.post("/search/views", status_code=204)
async def record_view(body: View, kernel: KernelDep, who: Anyone) -> None:
    """A shopper looked at a product (its page): it becomes a little more popular, and of a
    little more interest to the shopper (signed in, or a guest by its session). Counted and
    written every few seconds, not in the request."""
    kernel.deps(ViewLog).record(
        store=who.tenant_id, product_id=body.product_id, shopper=_shopper(who),
        at=kernel.clock.now(),
    )  # fmt: skip


def _shopper(who: Principal) -> str | None:
    if who.kind == "user":
        return interests.user(who.id)
    if who.kind == "guest" and who.session_id:
        return interests.guest(who.session_id)
    return None


Insights = Annotated[Principal, Depends(require("search:insights"))]


@router.get("/search/insights", response_model=SearchInsights)
async def search_insights(
    kernel: KernelDep,
    _: Insights,
    days: Annotated[int, Query(ge=1, le=366, description="Over the last days")] = 7,
) -> SearchInsights:
    """The most frequent queries (with the clicks they led to) and the queries nothing
    answered, over the last `days` days."""
    since = kernel.clock.now() - timedelta(days=days)
    async with kernel.uow(writes=False) as uow:
        return SearchInsights(**await insights.insights(uow, since=since))


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


@router.get(
    "/products/{product_id}/recommendations",
    response_model=Recommendations,
    responses=problems(NotFound),
)
async def product_recommendations(
    product_id: str,
    kernel: KernelDep,
    _: Anyone,
    kind: Literal["similar", "bought_together"] = "similar",
    limit: Annotated[int, Query(ge=1, le=24)] = 8,
) -> Response:
    """Products to show beside this one: `similar`, or `bought_together` (from confirmed
    orders). Never the product itself, nor one not for sale or out of stock."""
    async with kernel.uow(writes=False) as uow:
        answer = await service.recommendations(uow, product_id=product_id, kind=kind, limit=limit)
    if answer is None:
        raise NotFound(f"no product {product_id!r} for sale")
    return json_answer(answer)


@router.get("/recommendations/for-you", response_model=Recommendations)
async def recommendations_for_you(
    kernel: KernelDep, who: Anyone, limit: Annotated[int, Query(ge=1, le=24)] = 8
) -> Response:
    """For this shopper (signed in, or a guest by its session): what goes with what they put
    in their cart, bought or looked at (`kind` for_you); for a first visit, what is popular now
    (`kind` trending). Never what is out of stock or not for sale."""
    async with kernel.uow(writes=False) as uow:
        return json_answer(await service.for_you(uow, shopper=_shopper(who), limit=limit))
