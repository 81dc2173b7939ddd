"""Evidence ids and the API paths that show each kind of record: a report's reader (or a
test) follows `href` to the record a number came from, and `lineage` further back to the raw
payloads ingestion kept (seed 001 property 35)."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from mercato.agents.intelligence.ask.findings import Evidence
from mercato.agents.intelligence.ask.scope import Scope


def _iso(at: datetime | date | None) -> str | None:
    return at.isoformat() if at is not None else None


def observation(
    obs_id: str, *, product_id: str, competitor: str, price: str, currency: str,
    observed_at: datetime, source_record_id: str | None,
) -> Evidence:  # fmt: skip
    return Evidence(
        id=f"obs:{obs_id}",
        kind="competitor_observation",
        record_id=obs_id,
        label=f"{competitor}: {price} {currency} on {observed_at:%Y-%m-%d}",
        href=f"/v1/intelligence/pricing?product_id={product_id}",
        observed_at=_iso(observed_at),
        lineage=f"/v1/intelligence/lineage/{source_record_id}" if source_record_id else None,
    )


def price_alert(
    alert_id: str, *, product_id: str, competitor: str, old: str, new: str, currency: str,
    observed_at: datetime,
) -> Evidence:  # fmt: skip
    return Evidence(
        id=f"alert:{alert_id}",
        kind="price_alert",
        record_id=alert_id,
        label=f"{competitor} moved {old} to {new} {currency} on {observed_at:%Y-%m-%d}",
        href=f"/v1/intelligence/pricing?product_id={product_id}",
        observed_at=_iso(observed_at),
    )


def store_price(product_id: str, name: str, price: str, currency: str) -> Evidence:
    return Evidence(
        id=f"product:{product_id}",
        kind="product",
        record_id=product_id,
        label=f"{name}: listed at {price} {currency}",
        href=f"/v1/products/{product_id}",
    )


def review(review_id: str, *, label: str, published_at: datetime) -> Evidence:
    return Evidence(
        id=f"review:{review_id}",
        kind="review",
        record_id=review_id,
        label=label,
        href=f"/v1/reviews/{review_id}",
        observed_at=_iso(published_at),
    )


def sentiment(product_id: str, name: str) -> Evidence:
    return Evidence(
        id=f"sentiment:{product_id}",
        kind="sentiment_analysis",
        record_id=product_id,
        label=f"Review sentiment of {name}",
        href=f"/v1/intelligence/sentiment/products/{product_id}",
    )


def forecast(*, product_id: str, name: str, horizon: int, at: datetime) -> Evidence:
    """A product's stored forecast (one per product and horizon, made again over time)."""
    return Evidence(
        id=f"forecast:{product_id}:{horizon}",
        kind="forecast",
        record_id=product_id,
        label=f"{horizon}-day forecast of {name}, made {at:%Y-%m-%d %H:%M}",
        href=f"/v1/intelligence/forecast/products/{product_id}?horizon={horizon}",
        observed_at=_iso(at),
    )


def sales(product_id: str, name: str, start: date, end: date) -> Evidence:
    """The product's daily units over a period (`GET /v1/intelligence/sales/products/{id}`)."""
    return Evidence(
        id=f"sales:{product_id}:{start.isoformat()}:{end.isoformat()}",
        kind="daily_sales",
        record_id=product_id,
        label=f"Units sold of {name}, {start:%d %b} to {end:%d %b %Y}",
        href=f"/v1/intelligence/sales/products/{product_id}?start={start.isoformat()}"
        f"&end={end.isoformat()}",
    )


def scope_query(scope: Scope) -> list[tuple[str, str]]:
    """The scope as `GET /v1/intelligence/sales` takes it."""
    params: list[tuple[str, str]] = [("product_id", p) for p in scope.product_ids]
    if scope.category_id and not scope.product_ids:
        params.append(("category_id", scope.category_id))
    params += [("filter", f"{name}:{value}") for name, value in sorted(scope.filters.items())]
    return params


def sales_scope(scope: Scope, start: date, end: date, label: str) -> Evidence:
    """The units sold of every product in the scope over a period, day by day and product by
    product (`GET /v1/intelligence/sales`)."""
    query = urlencode([("start", start.isoformat()), ("end", end.isoformat()), *scope_query(scope)])
    return Evidence(
        id=f"sales:{label}:{start.isoformat()}:{end.isoformat()}",
        kind="daily_sales",
        record_id=f"{start.isoformat()}..{end.isoformat()}",
        label=f"Units sold of {label}, {start:%d %b} to {end:%d %b %Y}",
        href=f"/v1/intelligence/sales?{query}",
    )
