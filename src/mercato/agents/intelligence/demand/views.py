"""A product's forecast as the API answers it."""

from __future__ import annotations

from typing import Any

from mercato.agents.intelligence.demand.schemas import (
    AlertOut,
    ConfidenceOut,
    GapOut,
    PointOut,
    ProductForecastOut,
    StockOut,
)
from mercato.agents.intelligence.demand.service import ProductForecast


def forecast_out(found: ProductForecast) -> ProductForecastOut:
    row, gap = found.stored, found.gap
    points: list[dict[str, Any]] = row.points
    return ProductForecastOut(
        product_id=row.product_id,
        horizon=row.horizon,
        model=row.model,
        seasonality=row.seasonality,
        season_length=row.season_length,
        history_days=row.history_days,
        computed_at=row.computed_at.isoformat(),
        confidence=ConfidenceOut(
            score=row.confidence,
            low_confidence=row.low_confidence,
            reasons=row.reasons,
            mase=row.mase,
            baseline_mase=row.baseline_mase,
        ),
        low_confidence=row.low_confidence,
        points=[PointOut.model_validate(p) for p in points],
        stock=StockOut(on_hand=found.have.on_hand, inbound=found.have.inbound),
        gap=GapOut(
            demand=gap.demand,
            demand_upper_80=gap.demand_upper_80,
            demand_upper_95=gap.demand_upper_95,
            supply=gap.supply,
            gap=gap.gap,
            stockout_date=gap.stockout_date,
        ),
        alerts=[
            AlertOut(kind=a.kind, severity=a.severity, units=a.units, date=a.day, message=a.message)
            for a in gap.alerts
        ],
    )
