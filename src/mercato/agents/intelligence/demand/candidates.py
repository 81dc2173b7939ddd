"""The models the engine weighs, built (and statsforecast imported) only when a forecast
runs. Fast set for many series: AutoETS restricted to additive error without trend (the
cheap fit), Theta; thorough set for a few: the full AutoETS search, AutoTheta, AutoARIMA
(approximate likelihood in its search: the exact one cost 4 s a daily series here).
Intermittent series (mostly zeros) get Croston's SBA, ADIDA, IMAPA and TSB instead, which
have no intervals of their own (the engine uses their backtest errors)."""

from __future__ import annotations

from typing import Any

NATIVE = frozenset({"AutoETS", "ETS", "Theta", "AutoTheta", "AutoARIMA"})
"""Candidates with intervals of their own (the others' come from their backtest errors)."""
WINDOW: dict[str, int] = {"D": 371, "W": 156, "M": 60}
"""Periods of history the models are fitted on (a year and a week of days): the yearly
shape is laid on by the engine from the whole history, so the fits need no more."""


def candidates(period: int, intermittent: bool, thorough: bool) -> list[Any]:
    """The candidate models for series of this season length and kind (their `str` is the
    name the engine and the output use)."""
    from statsforecast.models import (
        ADIDA,
        IMAPA,
        TSB,
        AutoARIMA,
        AutoETS,
        AutoTheta,
        CrostonSBA,
        Theta,
    )

    if intermittent:
        return [CrostonSBA(), ADIDA(), IMAPA(), TSB(alpha_d=0.1, alpha_p=0.1)]
    if thorough:
        return [
            AutoETS(season_length=period),
            AutoTheta(season_length=period),
            AutoARIMA(season_length=period, approximation=True, max_p=3, max_q=3),
        ]
    spec = "ANA" if period > 1 else "ANN"
    return [AutoETS(season_length=period, model=spec, alias="ETS"), Theta(season_length=period)]
