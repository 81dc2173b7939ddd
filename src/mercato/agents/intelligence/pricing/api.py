"""The pricing routes under /v1/intelligence: parse → service → schema. Reading a product's
pricing, stating its cost and accepting a suggestion need `intelligence:read` (a merchant:
its own products; accepting changes the catalogue, so the catalog's rule on who may change
the product applies); a category's margin and recording observations need
`intelligence:manage`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from mercato.agents.intelligence.access import MANAGE, READ
from mercato.agents.intelligence.pricing import service
from mercato.agents.intelligence.pricing.problems import (
    CategoryNotFound,
    InvalidPricingInput,
    NotYourProduct,
    StaleSuggestion,
    SuggestionNotFound,
)
from mercato.agents.intelligence.pricing.schemas import (
    CategoryMarginIn,
    CategoryMarginOut,
    CostIn,
    CostOut,
    ObservationsIn,
    ObservationsOut,
    PricingOut,
    SuggestionOut,
)
from mercato.agents.intelligence.pricing.views import (
    category_margin_out,
    cost_out,
    pricing_out,
    suggestion_out,
)
from mercato.kernel.auth import Principal, require
from mercato.kernel.errors import NotFound
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/pricing", tags=["intelligence"])

Reader = Annotated[Principal, Depends(require(READ))]
Manager = Annotated[Principal, Depends(require(MANAGE))]
ProductId = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("", response_model=PricingOut, responses=problems(NotFound, NotYourProduct))
async def get_pricing(
    kernel: KernelDep,
    principal: Reader,
    product_id: Annotated[str, Query(min_length=1, max_length=64)],
) -> PricingOut:
    """The product's price against its matched competitors (gaps in one currency; others
    shown, not compared), the market's min/median/max, its position, recent alerts, open
    suggestions with their confidence and reason, the margin floor and the price history."""
    async with kernel.uow(writes=False) as uow:
        found = await service.pricing_of(
            uow, product_id=product_id, principal=principal, now=kernel.clock.now()
        )
        return pricing_out(found)


@router.put(
    "/costs/{product_id}",
    response_model=CostOut,
    responses=problems(NotYourProduct, InvalidPricingInput),
)
async def put_cost(
    product_id: ProductId, body: CostIn, kernel: KernelDep, principal: Reader
) -> CostOut:
    """What the product costs and, optionally, its own minimum margin (percent of cost and/or
    an amount): suggestions never go below cost plus margin."""
    async with kernel.uow() as uow:
        row, floor = await service.set_cost(
            uow,
            product_id=product_id,
            principal=principal,
            cost=body.cost,
            currency=body.currency,
            min_margin_percent=body.min_margin_percent,
            min_margin_amount=body.min_margin_amount,
            now=kernel.clock.now(),
        )
        await uow.commit()
    return cost_out(row, floor)


@router.put(
    "/floors/{category_id}",
    response_model=CategoryMarginOut,
    responses=problems(CategoryNotFound),
)
async def put_category_margin(
    category_id: Annotated[str, Path(min_length=1, max_length=140)],
    body: CategoryMarginIn,
    kernel: KernelDep,
    principal: Manager,
) -> CategoryMarginOut:
    """A category's minimum margin (percent of cost), for its products and subcategories'
    that have a cost and no margin of their own."""
    async with kernel.uow() as uow:
        row = await service.set_category_margin(
            uow,
            category=category_id,
            min_margin_percent=body.min_margin_percent,
            by=principal.id,
            now=kernel.clock.now(),
        )
        await uow.commit()
    return category_margin_out(row)


@router.post(
    "/observations",
    response_model=ObservationsOut,
    responses=problems(NotFound, InvalidPricingInput),
)
async def post_observations(body: ObservationsIn, kernel: KernelDep, _: Manager) -> ObservationsOut:
    """Competitors' prices matched to the store's products (what the ingestion part records
    after matching, for a feed of one's own): history, alerts and suggestions follow."""
    now = kernel.clock.now()
    items = [
        service.CompetitorObservation(
            product_id=item.product_id,
            competitor=item.competitor,
            url=item.url,
            price=item.price,
            currency=item.currency,
            observed_at=item.observed_at or now,
            match_confidence=item.match_confidence,
            availability=item.availability,
            promotion_text=item.promotion_text,
            source_record_id=item.source_record_id,
        )
        for item in body.items
    ]
    async with kernel.uow() as uow:
        recorded = await service.observe_many(uow, items)
        await uow.commit()
    return ObservationsOut(recorded=recorded)


@router.post(
    "/suggestions/{suggestion_id}/accept",
    response_model=SuggestionOut,
    responses=problems(SuggestionNotFound, StaleSuggestion),
)
async def accept_suggestion(
    suggestion_id: Annotated[str, Path(min_length=1, max_length=36)],
    kernel: KernelDep,
    principal: Reader,
) -> SuggestionOut:
    """Set the product's price to the suggested one in the catalogue (every active variant
    moves by the same amount); 409 `pricing_suggestion_stale` and nothing changed when the
    price or the floor moved since, or a newer analysis replaced it. Accepting it again
    answers the same."""
    async with kernel.uow() as uow:
        row = await service.accept(
            uow, suggestion_id=suggestion_id, principal=principal, now=kernel.clock.now()
        )
        await uow.commit()
    return suggestion_out(row)
