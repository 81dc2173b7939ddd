"""Daily demand the project makes itself, from a seeded generator: a level with a trend,
weekly and yearly cycles, promotions (a few days' spikes) and noise; or intermittent
demand (most days nothing). The demo store's history, the bench's series and the tests'
examples all come from here, so forecasts are judged on data whose shape is known."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mercato.agents.intelligence.demand.series import Array

WEEK_SHAPE = np.array([0.85, 0.8, 0.9, 1.0, 1.15, 1.35, 0.95])
"""Monday … Sunday, relative to the week's mean (weekends sell more)."""


@dataclass(frozen=True)
class Shape:
    level: float = 20.0
    """Mean units a day at the start."""
    trend: float = 0.3
    """Relative change over a year (0.3: +30 %)."""
    weekly: float = 1.0
    """How much of the weekly shape (0: none)."""
    yearly: float = 0.3
    """Amplitude of the yearly cycle, relative (peaks around late November)."""
    promotions: int = 4
    """Promotions a year, each 3-7 days at two to three times the usual demand."""
    intermittent: bool = False
    """Most days nothing, the rest a few units."""


def daily(shape: Shape, days: int, rng: np.random.Generator, first_weekday: int = 0) -> Array:
    """`days` days of units sold (non-negative integers, as floats)."""
    t = np.arange(days, dtype=np.float64)
    if shape.intermittent:
        sells = rng.random(days) < min(0.35, max(0.05, shape.level / 40))
        return np.where(sells, rng.poisson(max(shape.level / 8, 1.0), days) + 1, 0).astype(
            np.float64
        )
    mean = shape.level * (1 + shape.trend * t / 365.0)
    weekdays = (t.astype(np.int64) + first_weekday) % 7
    mean = mean * (1 + shape.weekly * (WEEK_SHAPE[weekdays] - 1))
    phase = rng.uniform(-0.3, 0.3)
    mean = mean * (1 + shape.yearly * np.cos(2 * np.pi * (t / 365.0 - 0.9 + phase / 12)))
    spikes = np.ones(days)
    for _ in range(int(shape.promotions * days / 365)):
        start = int(rng.integers(0, max(days - 7, 1)))
        spikes[start : start + int(rng.integers(3, 8))] *= rng.uniform(2.0, 3.0)
    return rng.poisson(np.maximum(mean * spikes, 0.0)).astype(np.float64)


def mixed(count: int, days: int, seed: int, first_weekday: int = 0) -> list[Array]:
    """`count` series of varied shapes: one in six intermittent, the rest with their own
    level, trend, weekly and yearly strength."""
    rng = np.random.default_rng(seed)
    made: list[Array] = []
    for k in range(count):
        if k % 6 == 5:
            shape = Shape(level=float(rng.uniform(2, 8)), intermittent=True)
        else:
            shape = Shape(
                level=float(rng.uniform(3, 60)),
                trend=float(rng.uniform(-0.2, 0.6)),
                weekly=float(rng.choice([0.0, 0.6, 1.0, 1.4])),
                yearly=float(rng.choice([0.0, 0.2, 0.4])),
                promotions=int(rng.integers(0, 6)),
            )
        made.append(daily(shape, days, rng, first_weekday))
    return made
