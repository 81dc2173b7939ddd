"""A product's sentiment in figures: how many reviews, their mean polarity and the shares of
each label, overall and per week or month (the trend), and per aspect."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

LABELS = ("positive", "neutral", "negative")
Granularity = Literal["week", "month"]


@dataclass(frozen=True)
class Scored:
    """One review as the aggregates read it."""

    label: str
    polarity: float
    at: datetime


@dataclass(frozen=True)
class Summary:
    count: int
    mean_polarity: float
    shares: dict[str, float]


@dataclass(frozen=True)
class Bucket:
    period: date
    """The Monday of the week, or the 1st of the month (UTC)."""
    summary: Summary


def summarise(reviews: Sequence[Scored]) -> Summary:
    """Count, mean polarity (0 when there is none) and each label's share (all 0 then)."""
    n = len(reviews)
    if n == 0:
        return Summary(0, 0.0, dict.fromkeys(LABELS, 0.0))
    mean = sum(r.polarity for r in reviews) / n
    shares = {label: round(sum(r.label == label for r in reviews) / n, 4) for label in LABELS}
    return Summary(n, round(max(-1.0, min(1.0, mean)), 4), shares)


def period_of(at: datetime, granularity: Granularity) -> date:
    day = at.date()
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def trend(reviews: Sequence[Scored], granularity: Granularity) -> list[Bucket]:
    """One bucket per week or month that has reviews, oldest first."""
    by_period: dict[date, list[Scored]] = {}
    for r in reviews:
        by_period.setdefault(period_of(r.at, granularity), []).append(r)
    return [Bucket(p, summarise(by_period[p])) for p in sorted(by_period)]
