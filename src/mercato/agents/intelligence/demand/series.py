"""The numpy side of forecasting (no statsforecast, so the app imports it for free): the
calendar of a frequency, seasonality detection, last year's shape, the seasonal-naive
baseline with its intervals, MASE, and the clean-up that keeps intervals nested and demand
non-negative."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np
import numpy.typing as npt

Freq = Literal["D", "W", "M"]
Array = npt.NDArray[np.float64]

YEAR: dict[str, int] = {"D": 365, "W": 52, "M": 12}
"""Periods in a year, per frequency."""
WEEKLY_MIN_ACF = 0.2
"""Lag-7 autocorrelation of the detrended daily series from which a week is a season."""
YEARLY_MIN_CORR = 0.5
"""Correlation of the smoothed series with itself a year before from which a year is one."""
YEARLY_SMOOTH = 29
"""Days in the moving average that takes the week out before comparing years."""
Z80, Z95 = 1.2815515655446004, 1.959963984540054


def step(day: date, freq: Freq, k: int) -> date:
    """The date `k` periods after `day`: months keep the day of the month (clipped), and
    a month's last day stays the last day."""
    if freq == "D":
        return day + timedelta(days=k)
    if freq == "W":
        return day + timedelta(weeks=k)
    months = day.year * 12 + day.month - 1 + k
    year, month = divmod(months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month + 1, last if month_end else min(day.day, last))


def future_dates(last: date, freq: Freq, horizon: int) -> list[date]:
    return [step(last, freq, k) for k in range(1, horizon + 1)]


@dataclass(frozen=True)
class Seasonality:
    """What detection found: the season length given to the models (1: none) and whether
    last year's shape is applied on top (daily data with two years or more)."""

    period: int
    yearly: bool

    def describe(self) -> list[str]:
        found = [] if self.period == 1 else [{7: "weekly", 52: "yearly", 12: "yearly"}[self.period]]
        return [*found, "yearly"] if self.yearly and "yearly" not in found else found


def _acf(x: Array, lag: int) -> float:
    x = x - x.mean()
    denominator = float(np.dot(x, x))
    if lag >= len(x) or denominator <= 1e-12:
        return 0.0
    return float(np.dot(x[lag:], x[:-lag]) / denominator)


def moving_average(values: Array, width: int) -> Array:
    """Centred moving average; the ends average what they have."""
    kernel = np.ones(width)
    sums = np.convolve(values, kernel, mode="same")
    counts = np.convolve(np.ones_like(values), kernel, mode="same")
    return np.asarray(sums / counts, dtype=np.float64)


def weekly(values: Array) -> bool:
    """A weekly cycle: the series less its 7-day moving average correlates with itself a
    week before, clearly more than chance would make it and more than six or eight days
    before (a cycle of another length is not a week)."""
    n = len(values)
    if n < 28:
        return False
    detrended = values - moving_average(values, 7)
    at_week = _acf(detrended, 7)
    peak = at_week > _acf(detrended, 6) and at_week > _acf(detrended, 8)  # not a 6- or 8-day one
    return peak and at_week > max(WEEKLY_MIN_ACF, 2.5 / float(np.sqrt(n)))


def yearly(values: Array, freq: Freq) -> bool:
    """A yearly cycle: needs two years; for daily data, the 29-day average (the week taken
    out) correlates with itself a year before, the trend removed; for weeks and months the
    autocorrelation at one year does."""
    season = YEAR[freq]
    if len(values) < 2 * season:
        return False
    t = np.arange(len(values), dtype=np.float64)
    if freq != "D":
        detrended = values - np.polyval(np.polyfit(t, values, 1), t)
        return _acf(detrended, season) > YEARLY_MIN_CORR * 0.6
    smooth = moving_average(values, YEARLY_SMOOTH)
    smooth = smooth - np.polyval(np.polyfit(t, smooth, 1), t)
    now, before = smooth[season:], smooth[:-season]
    if now.std() <= 1e-9 or before.std() <= 1e-9:
        return False
    if now.std() < 0.05 * max(float(values.mean()), 1e-9):  # too faint to matter
        return False
    return float(np.corrcoef(now, before)[0, 1]) > YEARLY_MIN_CORR


def detect(values: Array, freq: Freq) -> Seasonality:
    """The season to give the models: a week on daily data, a year on weekly or monthly data;
    and, on daily data, whether a yearly shape is there to apply."""
    if freq == "D":
        return Seasonality(7 if weekly(values) else 1, yearly(values, "D"))
    found = yearly(values, freq)
    return Seasonality(YEAR[freq] if found else 1, False)


def year_ratio(history: Array, horizon: int, season: int = 365) -> Array:
    """How last year moved from the day a year before the last one to each day a year
    before the forecast's: multiplying a forecast by it lays last year's shape on it. Uses
    only the history (the smoothed value at `t - 365` for a target `t`)."""
    n = len(history)
    smooth = moving_average(history, YEARLY_SMOOTH)
    base_at = n - 1 - season
    if base_at < 0:
        return np.ones(horizon)
    base = float(smooth[base_at])
    targets = np.arange(n, n + horizon) - season
    targets = np.clip(targets, 0, n - 1)
    if base < 0.5:  # a near-empty day a year ago: a ratio to it would explode
        return np.ones(horizon)
    return np.asarray(np.clip(smooth[targets] / base, 0.2, 5.0), dtype=np.float64)


def mase_scale(train: Array, period: int) -> float:
    """The in-sample mean absolute error of the seasonal naive forecast (MASE's unit)."""
    m = period if len(train) > period else 1
    if len(train) <= m:
        return max(float(np.mean(np.abs(train))), 1.0)
    scale = float(np.mean(np.abs(train[m:] - train[:-m])))
    return scale if scale > 1e-9 else max(float(np.mean(np.abs(train))), 1.0)


@dataclass(frozen=True)
class Band:
    """A forecast and its intervals, one value per period."""

    mean: Array
    lo80: Array
    hi80: Array
    lo95: Array
    hi95: Array

    def tidy(self) -> Band:
        """Never negative, nested lo95 ≤ lo80 ≤ mean ≤ hi80 ≤ hi95 (NaN → the mean)."""
        mean = np.maximum(np.nan_to_num(self.mean, nan=0.0), 0.0)

        def clean(a: Array) -> Array:
            return np.maximum(np.where(np.isfinite(a), a, mean), 0.0)

        lo80 = np.minimum(clean(self.lo80), mean)
        hi80 = np.maximum(clean(self.hi80), mean)
        lo95 = np.minimum(clean(self.lo95), lo80)
        hi95 = np.maximum(clean(self.hi95), hi80)
        return Band(mean, lo80, hi80, lo95, hi95)

    def scaled(self, ratio: Array) -> Band:
        return Band(*(a * ratio for a in (self.mean, self.lo80, self.hi80, self.lo95, self.hi95)))


def seasonal_naive(history: Array, period: int, horizon: int) -> Band:
    """Each period as the same one a season before, with the textbook intervals: the
    residuals' spread widened by the square root of the seasons ahead."""
    m = period if len(history) > period else 1
    if len(history) == 0:
        zero = np.zeros(horizon)
        return Band(zero, zero, zero, zero, zero)
    last = history[-m:]
    mean = np.asarray(np.resize(last, horizon), dtype=np.float64)
    residuals = history[m:] - history[:-m] if len(history) > m else history - history.mean()
    sigma = float(np.sqrt(np.mean(residuals**2))) if len(residuals) else 0.0
    if sigma <= 1e-9:  # a constant history, or one value: no spread to learn from it
        sigma = float(np.sqrt(max(float(history.mean()), 0.0)))  # Poisson-like
    width = sigma * np.sqrt(np.arange(horizon) // m + 1.0)
    band = Band(
        mean, mean - Z80 * width, mean + Z80 * width, mean - Z95 * width, mean + Z95 * width
    )
    return band.tidy()


def zero_share(values: Array) -> float:
    return float(np.mean(values <= 0)) if len(values) else 1.0
