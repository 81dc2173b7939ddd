"""The forecast API's contract."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field


class PointOut(BaseModel):
    date: dt.date
    forecast: float = Field(ge=0, description="Units expected that day")
    lower_80: float = Field(ge=0)
    upper_80: float = Field(ge=0)
    lower_95: float = Field(ge=0)
    upper_95: float = Field(ge=0)


class ConfidenceOut(BaseModel):
    score: float = Field(ge=0, le=1, description="Below 0.5 exactly when low_confidence")
    low_confidence: bool
    reasons: list[
        Literal["short_history", "no_backtest", "wide_intervals", "high_backtest_error"]
    ] = Field(description="Why the forecast deserves less trust (empty when it does not)")
    mase: float | None = Field(description="The chosen model's backtest MASE (None: none ran)")
    baseline_mase: float | None = Field(description="Seasonal naive's MASE on the same backtest")


class StockOut(BaseModel):
    on_hand: int = Field(description="Units available to sell now (inventory)")
    inbound: int = Field(description="Units on open purchase orders not yet received")


class GapOut(BaseModel):
    demand: float = Field(description="Forecast units over the horizon")
    demand_upper_80: float
    demand_upper_95: float
    supply: int
    gap: float = Field(description="demand - supply: positive, units missing")
    stockout_date: dt.date | None


class AlertOut(BaseModel):
    kind: Literal["stockout_risk", "overstock_risk"]
    severity: Literal["high", "medium"]
    units: int = Field(description="Shortfall or excess at the horizon's end")
    date: dt.date | None = Field(description="The day stock runs out (stock-out risks)")
    message: str


class ProductForecastOut(BaseModel):
    product_id: str
    horizon: int
    model: str = Field(description="The model chosen by backtest (SeasonalNaive if none beat it)")
    seasonality: list[str] = Field(description="weekly, yearly: the cycles found and used")
    season_length: int
    history_days: int
    computed_at: str
    confidence: ConfidenceOut
    low_confidence: bool
    points: list[PointOut]
    stock: StockOut
    gap: GapOut
    alerts: list[AlertOut]
