"""Changes and trends: a figure against the period before."""

from __future__ import annotations

from mercato.agents.intelligence.ask.findings import Trend

FLAT_PERCENT = 3.0
"""A change within this share either way is flat."""


def percent(part: float, whole: float) -> float | None:
    return None if whole == 0 else round(part / whole * 100, 1)


def change_of(now: float, before: float) -> tuple[float, float | None]:
    """(absolute change, percent change; None when the period before had nothing)."""
    change = round(now - before, 4)
    return change, percent(change, abs(before)) if before else None


def trend_of(change_percent: float | None, *, change: float | None = None) -> Trend:
    if change_percent is None:
        if change is None:
            return Trend.UNKNOWN
        return Trend.UP if change > 0 else Trend.DOWN if change < 0 else Trend.FLAT
    if abs(change_percent) < FLAT_PERCENT:
        return Trend.FLAT
    return Trend.UP if change_percent > 0 else Trend.DOWN
