"""The demand part's tables: what sold, per order line (from the orders agent's events), the
daily units per product and variant it adds up to (with imported history beside it, each
row naming its source), and the stored forecasts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, Index, Integer, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from mercato.kernel.db import Base, TenantScoped, UTCDateTime

ORDERS_SOURCE = "orders"
"""Daily rows added up from the store's order lines (the others are imported history)."""


class DemandLine(TenantScoped, Base):
    """One order line as sold: counted from `order.placed`, taken back by
    `order.cancelled`, re-read on `order.modified`. Keyed by the line id, so a redelivered
    event rewrites the same row."""

    __tablename__ = "intelligence_demand_lines"

    line_id: Mapped[str] = mapped_column(String(36))
    order_id: Mapped[str] = mapped_column(String(36))
    product_id: Mapped[str] = mapped_column(String(36))
    variant_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    """The UTC day the order was placed."""
    quantity: Mapped[int] = mapped_column(Integer)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "line_id"),
        Index("ix_intelligence_demand_lines_order", "tenant_id", "order_id"),
        Index("ix_intelligence_demand_lines_variant", "tenant_id", "variant_id", "day"),
    )


class DailyDemand(TenantScoped, Base):
    """Units sold of a variant on a day, from one source: `orders` (the sum of its live
    order lines, recomputed whenever one changes) or imported history (`demo_history`, a
    file's name). Days with no row sold nothing."""

    __tablename__ = "intelligence_demand_daily"

    product_id: Mapped[str] = mapped_column(String(36))
    variant_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(40))
    units: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "variant_id", "day", "source"),
        Index("ix_intelligence_demand_daily_product", "tenant_id", "product_id", "day"),
        Index("ix_intelligence_demand_daily_source", "tenant_id", "source"),
    )


class StoredForecast(TenantScoped, Base):
    """A product's latest forecast for one horizon: the model chosen, the seasonality found,
    the points with their intervals, the confidence with its reasons, and the alerts it
    raised (a refresh publishes only those that are new)."""

    __tablename__ = "intelligence_demand_forecasts"

    product_id: Mapped[str] = mapped_column(String(36))
    horizon: Mapped[int] = mapped_column(Integer)
    model: Mapped[str] = mapped_column(String(64))
    seasonality: Mapped[list[str]] = mapped_column(JSON)
    season_length: Mapped[int] = mapped_column(Integer)
    points: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    low_confidence: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    confidence: Mapped[float] = mapped_column(Float)
    mase: Mapped[float | None] = mapped_column(Float)
    baseline_mase: Mapped[float | None] = mapped_column(Float)
    history_days: Mapped[int] = mapped_column(Integer)
    history_end: Mapped[date] = mapped_column(Date)
    alerts: Mapped[list[str]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "product_id", "horizon"),
        Index("ix_intelligence_demand_forecasts_computed", "tenant_id", "computed_at"),
    )


TABLES = (
    DemandLine.__tablename__,
    DailyDemand.__tablename__,
    StoredForecast.__tablename__,
)
