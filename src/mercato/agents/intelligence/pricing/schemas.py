"""The pricing part's API contract: what `GET /v1/intelligence/pricing` answers, the bodies
that state costs, margins and observations, and a suggestion as accepting it answers.
Amounts and percentages are decimal strings ("19.99"), never floats; confidences are
numbers in [0, 1]."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

from mercato.kernel.money import MoneyStr
from mercato.kernel.schemas import RequestModel

DecimalStr = MoneyStr
"""A Decimal answered as a string (percentages too)."""
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$")]
Percent = Annotated[Decimal, Field(ge=0, le=1000, decimal_places=4)]
Amount = Annotated[Decimal, Field(ge=0, le=Decimal("100000000"), decimal_places=4)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class PromotionOut(BaseModel):
    kind: str = Field(description="percent_off, amount_off, buy_x_get_y, bundle, "
                      "free_shipping or coupon")  # fmt: skip
    terms: dict[str, str | int | bool] = Field(
        description="The kind's figures (percent, amount and currency, buy and get, quantity "
        "and price, code…), with min_spend, starts and ends when stated"
    )
    text: str


class CompetitorOut(BaseModel):
    observation_id: str = Field(description="The observation this offer's price comes from")
    source_record_id: str | None = Field(
        description="Its clean record (`GET /v1/intelligence/lineage/{id}` leads to the raw "
        "payloads); null for an observation posted directly"
    )
    competitor: str
    url: str
    price: MoneyStr
    currency: str
    gap: MoneyStr | None = Field(description="Store - competitor; null across currencies")
    gap_percent: DecimalStr | None = Field(description="(store - competitor) / competitor x 100")
    comparable: bool = Field(description="False: another currency, reported, not compared")
    observed_at: datetime
    confidence: float = Field(description="The match's confidence x the price's freshness")
    match_confidence: float
    availability: str | None
    promotions: list[PromotionOut]


class MarketOut(BaseModel):
    min: MoneyStr
    median: MoneyStr
    max: MoneyStr
    count: int


class PositionOut(BaseModel):
    label: str = Field(description="cheapest, below_median, at_median, above_median, dearest")
    rank: int = Field(description="1: the cheapest of the store and its competitors")
    of: int


class AlertOut(BaseModel):
    id: str
    competitor: str
    url: str
    old_price: MoneyStr
    new_price: MoneyStr
    currency: str
    change_percent: DecimalStr
    threshold_percent: DecimalStr
    observed_at: datetime


class SuggestionOut(BaseModel):
    id: str
    rule: str = Field(description="match_median, undercut_lowest, raise_toward_median, "
                      "raise_to_floor")  # fmt: skip
    price: MoneyStr
    currency: str
    base_price: MoneyStr = Field(description="The product's price when it was suggested")
    floor: MoneyStr | None = Field(description="The margin floor; null when no cost is known")
    confidence: float
    reason: str
    status: str = Field(description="open, accepted or superseded")
    created_at: datetime
    accepted_by: str | None = None
    accepted_at: datetime | None = None
    applied: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="Variant id → {old, new}: what accepting it changed"
    )


class FloorOut(BaseModel):
    price: MoneyStr
    cost: MoneyStr
    min_margin_percent: DecimalStr
    min_margin_amount: MoneyStr
    margin_from: str = Field(description="product, category:<id> or store")


class PricePoint(BaseModel):
    observation_id: str | None = Field(
        default=None, description="A competitor's point: its observation (null: the store's)"
    )
    price: MoneyStr
    currency: str
    observed_at: datetime


class CompetitorHistoryOut(BaseModel):
    competitor: str
    url: str
    points: list[PricePoint]


class HistoryOut(BaseModel):
    store: list[PricePoint]
    competitors: list[CompetitorHistoryOut]


class PricingOut(BaseModel):
    product_id: str
    currency: str
    price: MoneyStr
    competitors: list[CompetitorOut]
    market: MarketOut | None
    position: PositionOut | None
    alerts: list[AlertOut]
    suggestions: list[SuggestionOut]
    floor: FloorOut | None
    notes: list[str]
    history: HistoryOut


class CostIn(RequestModel):
    cost: Amount
    currency: Currency | None = Field(default=None, description="Default: the product's")
    min_margin_percent: Percent | None = Field(
        default=None, description="Of the cost; default: the category's, else the store's"
    )
    min_margin_amount: Amount | None = None


class CostOut(BaseModel):
    product_id: str
    cost: MoneyStr
    currency: str
    min_margin_percent: DecimalStr | None
    min_margin_amount: MoneyStr | None
    floor: FloorOut | None
    updated_by: str
    updated_at: datetime


class CategoryMarginIn(RequestModel):
    min_margin_percent: Percent


class CategoryMarginOut(BaseModel):
    category_id: str
    min_margin_percent: DecimalStr
    updated_by: str
    updated_at: datetime


class ObservationIn(RequestModel):
    product_id: Annotated[str, StringConstraints(min_length=1, max_length=36)]
    competitor: Text
    url: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    price: Annotated[Decimal, Field(gt=0, le=Decimal("100000000"), decimal_places=4)]
    currency: Currency
    observed_at: AwareDatetime | None = Field(default=None, description="Default: now")
    match_confidence: Annotated[float, Field(ge=0, le=1)]
    availability: Annotated[str, StringConstraints(max_length=40)] | None = None
    promotion_text: Annotated[str, StringConstraints(max_length=5000)] | None = None
    source_record_id: Annotated[str, StringConstraints(max_length=64)] | None = None


class ObservationsIn(RequestModel):
    items: Annotated[list[ObservationIn], Field(min_length=1, max_length=500)]


class ObservationsOut(BaseModel):
    recorded: int
