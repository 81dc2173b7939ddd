"""The sentiment routes under /v1/intelligence: parse → service → schema. Both need
`intelligence:read` (staff, merchants for their own products, system API keys)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from mercato.agents.catalog import service as catalog
from mercato.agents.intelligence.access import READ
from mercato.agents.intelligence.sentiment import service
from mercato.agents.intelligence.sentiment.problems import NotYourProduct, UnknownProduct
from mercato.agents.intelligence.sentiment.schemas import (
    ProductSentimentOut,
    SentimentIn,
    SentimentOut,
)
from mercato.kernel.auth import Principal, require
from mercato.kernel.errors import NotFound
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep
from mercato.kernel.security import AnotherStoresObject

router = APIRouter(tags=["intelligence"])
Reader = Annotated[Principal, Depends(require(READ))]
ALL_MERCHANTS = "catalog:all_merchants"


@router.post("/sentiment", response_model=SentimentOut)
async def analyse(body: SentimentIn, _: Reader) -> dict[str, Any]:
    """Each text's label (positive, neutral, negative), polarity in [-1, 1], confidence in
    [0, 1] and the aspects it speaks of, in the order sent; stores nothing."""
    results, model = await service.analyse_texts(body.texts)
    return {"results": [r.to_json() for r in results], "model": model}


@router.get(
    "/sentiment/products/{product_id}",
    response_model=ProductSentimentOut,
    responses=problems(UnknownProduct, NotYourProduct),
)
async def product_sentiment(
    kernel: KernelDep,
    principal: Reader,
    product_id: Annotated[str, Path(max_length=200, description="The product's id or slug")],
) -> dict[str, Any]:
    """The product's published reviews analysed: count, mean polarity and label shares, their
    trend by week and month, each aspect's, topic clusters, complaint patterns and feature
    requests ranked (count 0 and empty lists while it has no review)."""
    async with kernel.uow(writes=False) as uow:
        try:
            product = await catalog.product_for(uow, product_id, principal=principal)
        except AnotherStoresObject:
            raise
        except NotFound as exc:
            raise UnknownProduct(f"no product {product_id!r}") from exc
        mine = principal.merchant_id is None or principal.can(ALL_MERCHANTS)
        if not mine and product.merchant_id != principal.merchant_id:
            raise NotYourProduct(f"product {product.id} is not one of your merchant's")
        return await service.product_analysis(uow, product_id=product.id)
