"""When a forecast deserves less trust, and why (seed 001, property 25): a short history, no
backtest to judge the model by, intervals wide against the level, or a backtest error above
the limit. A forecast is low-confidence exactly when it has a reason."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mercato.agents.intelligence.demand.series import Band

SHORT_HISTORY = "short_history"
NO_BACKTEST = "no_backtest"
WIDE_INTERVALS = "wide_intervals"
HIGH_BACKTEST_ERROR = "high_backtest_error"
REASONS = (SHORT_HISTORY, NO_BACKTEST, WIDE_INTERVALS, HIGH_BACKTEST_ERROR)


@dataclass(frozen=True)
class Limits:
    """The thresholds (the store's settings; these defaults suit daily retail demand)."""

    min_history: int = 56
    """Periods of history below which a forecast is a guess (8 weeks of days)."""
    max_relative_width: float = 2.0
    """Mean width of the 95 % interval over the mean forecast."""
    max_mase: float = 1.2
    """Backtest MASE above which the chosen model forecasts poorly."""


@dataclass(frozen=True)
class Confidence:
    low: bool
    reasons: tuple[str, ...]
    relative_width: float
    """Mean 95 % interval width over the mean forecast (∞ when the forecast is 0 and the
    interval is not)."""
    score: float
    """1 for a tight, well-backtested forecast, falling towards 0 as the width, the error
    and the reasons grow."""


def relative_width(band: Band) -> float:
    width = float(np.mean(band.hi95 - band.lo95)) if len(band.mean) else 0.0
    level = float(np.mean(band.mean)) if len(band.mean) else 0.0
    if width <= 1e-12:
        return 0.0
    return width / level if level > 1e-12 else float("inf")


def assess(*, history: int, band: Band, mase: float | None, limits: Limits) -> Confidence:
    """The reasons that apply, and a score in [0, 1] consistent with them."""
    width = relative_width(band)
    reasons: list[str] = []
    if history < limits.min_history:
        reasons.append(SHORT_HISTORY)
    if mase is None:
        reasons.append(NO_BACKTEST)
    elif mase > limits.max_mase:
        reasons.append(HIGH_BACKTEST_ERROR)
    if width > limits.max_relative_width:
        reasons.append(WIDE_INTERVALS)
    width_part = 1.0 / (1.0 + (width if np.isfinite(width) else 1e9) / limits.max_relative_width)
    error_part = 0.5 if mase is None else 1.0 / (1.0 + mase / limits.max_mase)
    score = 2.0 * width_part * error_part  # 1 for a perfect forecast, 0.25 at both limits
    if reasons:
        score = min(score, 0.49)
    return Confidence(bool(reasons), tuple(reasons), width, round(min(score, 1.0), 4))
