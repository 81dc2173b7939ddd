"""A chart's `data` (see report_schema: price_gap, sentiment_trend, forecast_band,
sales_trend) read defensively into clean series: points with a missing, non-numeric or NaN
value are skipped, dates that do not parse are skipped, and anything that is not the expected
shape reads as empty. Nothing here raises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from mercato.agents.intelligence.ask.render.formatting import number, text


def _items(data: Any, key: str) -> list[dict[str, Any]]:
    found = data.get(key) if isinstance(data, dict) else None
    return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []


def _field(data: Any, key: str) -> Any:
    return data.get(key) if isinstance(data, dict) else None


def day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Offer:
    name: str
    price: float
    gap_percent: float | None


@dataclass(frozen=True)
class PriceGap:
    product: str
    currency: str
    store_price: float | None
    offers: list[Offer]


def price_gap(data: Any) -> PriceGap:
    store = number(_field(data, "store_price"))
    offers = []
    for item in _items(data, "competitors"):
        price = number(item.get("price"))
        if price is None:
            continue
        gap = number(item.get("gap_percent"))
        if gap is None and store is not None and price > 0:
            gap = (store - price) / price * 100
        offers.append(Offer(text(item.get("name")) or "Unnamed competitor", price, gap))
    currency = text(_field(data, "currency")).upper()[:8] or "EUR"
    return PriceGap(text(_field(data, "product")), currency, store, offers)


@dataclass(frozen=True)
class Sentiment:
    period: str
    polarity: float
    count: int | None


def sentiment_trend(data: Any) -> tuple[str, list[Sentiment]]:
    points = []
    for item in _items(data, "points"):
        polarity = number(item.get("polarity"))
        if polarity is None:
            continue
        count = number(item.get("count"))
        points.append(
            Sentiment(
                text(item.get("period")),
                min(max(polarity, -1.0), 1.0),
                None if count is None else round(count),
            )
        )
    return text(_field(data, "granularity")) or "period", points


@dataclass(frozen=True)
class Amount:
    day: date
    value: float


@dataclass(frozen=True)
class Band:
    day: date
    forecast: float
    lower_80: float | None
    upper_80: float | None
    lower_95: float | None
    upper_95: float | None


@dataclass(frozen=True)
class Forecast:
    product: str
    history: list[Amount]
    points: list[Band]


def _amounts(data: Any, key: str) -> list[Amount]:
    found = []
    for item in _items(data, key):
        when, units = day(item.get("date")), number(item.get("units"))
        if when is not None and units is not None:
            found.append(Amount(when, units))
    return sorted(found, key=lambda amount: amount.day)


def forecast_band(data: Any) -> Forecast:
    points = []
    for item in _items(data, "points"):
        when, forecast = day(item.get("date")), number(item.get("forecast"))
        if when is None or forecast is None:
            continue
        points.append(
            Band(
                when,
                forecast,
                lower_80=number(item.get("lower_80")),
                upper_80=number(item.get("upper_80")),
                lower_95=number(item.get("lower_95")),
                upper_95=number(item.get("upper_95")),
            )
        )
    points.sort(key=lambda band: band.day)
    return Forecast(text(_field(data, "product")), _amounts(data, "history"), points)


@dataclass(frozen=True)
class Sales:
    points: list[Amount]
    current_total: float | None
    previous_total: float | None
    period: str


def sales_trend(data: Any) -> Sales:
    return Sales(
        _amounts(data, "points"),
        number(_field(data, "current_total")),
        number(_field(data, "previous_total")),
        text(_field(data, "period")),
    )
