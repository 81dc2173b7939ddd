"""The forecast engine on series whose shape is known (`synth.py`): the model is chosen by
backtest against seasonal naive, the week is found and used, intermittent demand goes to
Croston's family, the intervals are nested and never negative, and the app does not import
statsforecast until a forecast runs."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from mercato.agents.intelligence.demand import engine, synth
from mercato.agents.intelligence.demand import series as ts
from mercato.agents.intelligence.demand.confidence import SHORT_HISTORY

START = date(2025, 1, 6)  # a Monday


def _nested(band: ts.Band) -> bool:
    return bool(
        np.all(band.lo95 >= 0)
        and np.all(band.lo95 <= band.lo80)
        and np.all(band.lo80 <= band.mean)
        and np.all(band.mean <= band.hi80)
        and np.all(band.hi80 <= band.hi95)
    )


def test_weekly_series_are_forecast_by_a_model_that_beats_or_is_seasonal_naive() -> None:
    # given a year of weekly-seasonal demand, a strongly intermittent series and a short one
    rng = np.random.default_rng(11)
    weekly = synth.daily(synth.Shape(level=40, yearly=0.0, promotions=0), 400, rng)
    sparse = synth.daily(synth.Shape(level=3, intermittent=True), 400, rng)
    short = weekly[:20]
    items = [
        engine.SeriesIn("weekly", START, weekly),
        engine.SeriesIn("sparse", START, sparse),
        engine.SeriesIn("short", START, short),
    ]
    # when they are forecast 28 days ahead with the fast candidate set
    weekly_f, sparse_f, short_f = engine.forecast(items, 28, engine.Options(thorough=False))
    # then the week is found and the chosen model's backtest is no worse than seasonal naive's
    assert weekly_f.seasonality.period == 7 and "weekly" in weekly_f.seasonality.describe()
    assert weekly_f.mase is not None and weekly_f.baseline_mase is not None
    assert weekly_f.mase <= weekly_f.baseline_mase
    shape = weekly_f.band.mean[:7]
    expected = synth.WEEK_SHAPE[[(d.weekday()) for d in weekly_f.dates[:7]]]
    assert np.corrcoef(shape, expected)[0, 1] > 0.7
    # and intermittent demand is weighed by Croston's family (or falls back to the baseline)
    assert sparse_f.model in {"CrostonSBA", "ADIDA", "IMAPA", "TSB", engine.BASELINE}
    # and the short history is flagged
    assert short_f.confidence.low and SHORT_HISTORY in short_f.confidence.reasons
    for found, item in zip((weekly_f, sparse_f, short_f), items, strict=True):
        last = engine.last_date(item, "D")
        assert found.dates == [last + timedelta(days=k) for k in range(1, 29)]
        assert _nested(found.band) and found.model


def test_yearly_shape_is_found_on_two_years_and_laid_on_the_forecast() -> None:
    # given two years of demand with a strong yearly cycle and no week
    rng = np.random.default_rng(5)
    values = synth.daily(synth.Shape(level=30, weekly=0.0, yearly=0.6, trend=0.0), 760, rng)
    # when seasonality is detected and last year's shape taken for the next 60 days
    found = ts.detect(values, "D")
    ratio = ts.year_ratio(values, 60)
    # then the year is found and the ratio follows what last year did over those days
    assert found.yearly and "yearly" in found.describe()
    smooth = ts.moving_average(values, ts.YEARLY_SMOOTH)
    last_year = smooth[len(values) - 365 : len(values) - 305] / smooth[len(values) - 1 - 365]
    assert np.allclose(ratio, np.clip(last_year, 0.2, 5.0))


def test_weekly_and_monthly_frequencies_step_by_their_period() -> None:
    # given monthly sales over three years and weekly ones over a year
    rng = np.random.default_rng(3)
    monthly = 100 + 30 * np.sin(2 * np.pi * np.arange(36) / 12) + rng.normal(0, 3, 36)
    weekly = 50 + rng.normal(0, 5, 60)
    month_item = engine.SeriesIn("m", date(2023, 1, 31), monthly)
    week_item = engine.SeriesIn("w", date(2025, 1, 6), weekly)
    # when each is forecast at its frequency
    (m,) = engine.forecast([month_item], 3, engine.Options(freq="M", thorough=False))
    (w,) = engine.forecast([week_item], 2, engine.Options(freq="W", thorough=False))
    # then months keep the day (clipped) and weeks step by seven days; a yearly monthly
    # cycle is the models' season
    assert m.dates == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
    assert m.seasonality.period == 12
    assert w.dates == [date(2026, 3, 2), date(2026, 3, 9)]
    assert _nested(m.band) and _nested(w.band)


def test_no_module_imports_statsforecast_at_import_time() -> None:
    # given the demand part's modules (a fresh interpreter to watch sys.modules costs the
    # whole app's import: the module-level statements are read instead)
    package = Path(engine.__file__).parent
    # when their top-level imports are listed
    found = []
    for module in package.glob("*.py"):
        for node in ast.parse(module.read_text()).body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [alias.name for alias in node.names]
                found += [
                    (module.name, n) for n in names if n.startswith(("statsforecast", "pandas"))
                ]
    # then none is statsforecast's (or pandas'): they load when a forecast runs
    assert found == []
