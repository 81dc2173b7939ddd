"""The demand routes under /v1/intelligence: parse → service → schema. Forecasts need
`intelligence:read` (staff, system keys; a merchant for its own products)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from mercato.agents.intelligence.access import READ
from mercato.agents.intelligence.demand import service
from mercato.agents.intelligence.demand.problems import (
    ForecastProductNotFound,
    InvalidHorizon,
    NotYourProduct,
)
from mercato.agents.intelligence.demand.schemas import ProductForecastOut
from mercato.agents.intelligence.demand.views import forecast_out
from mercato.kernel.auth import Principal, require
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

router = APIRouter(tags=["intelligence"])
Reader = Annotated[Principal, Depends(require(READ))]


@router.get(
    "/forecast/products/{product_id}",
    response_model=ProductForecastOut,
    responses=problems(ForecastProductNotFound, InvalidHorizon, NotYourProduct),
)
async def product_forecast(
    kernel: KernelDep,
    principal: Reader,
    product_id: Annotated[str, Path(max_length=200, description="The product's id or slug")],
    horizon: Annotated[int, Query(description="Days ahead: 7, 30 or 90")] = 30,
) -> ProductForecastOut:
    """The product's daily demand forecast for the next `horizon` days (one point a day from
    today, with 80 % and 95 % intervals), the model chosen by backtest, the seasonality
    found, the confidence with its reasons, its stock and inbound units, the gap and the
    stock-out or overstock alerts. Made on the spot when none is stored or it is stale."""
    found = await service.product_forecast(
        kernel, product_id=product_id, horizon=horizon, principal=principal
    )
    return forecast_out(found)
