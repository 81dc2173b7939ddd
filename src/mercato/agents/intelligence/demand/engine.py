"""The forecast engine: pure, usable without the database (the CLI, the bench, the store).

Per series: detect the season, backtest the candidates on rolling origins (the last
`windows` blocks of the history, each forecast from the data before it), choose the one with
the lowest MASE, and keep it only if it beats seasonal naive; forecast with it and its 80 %
and 95 % intervals (the model's own, or for models without any the empirical quantiles of
its backtest errors). Series are batched per candidate set so statsforecast fits all of them
in one call, and statsforecast is imported only here, when a forecast runs (it costs a
second at import; the app must start fast).
"""

from __future__ import annotations

import importlib
import warnings
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import structlog

from mercato.agents.intelligence.demand import series as ts
from mercato.agents.intelligence.demand.candidates import NATIVE, WINDOW, candidates
from mercato.agents.intelligence.demand.confidence import Confidence, Limits, assess
from mercato.agents.intelligence.demand.series import Array, Band, Freq, Seasonality

log = structlog.get_logger(__name__)

BASELINE = "SeasonalNaive"
YEARLY_SUFFIX = "+yearly"
INTERMITTENT_ZEROS = 0.5
"""Share of zero periods from which a series is intermittent (Croston and kin)."""
MIN_GAIN = 0.02
"""How much lower than seasonal naive's a model's MASE must be to be chosen."""
THOROUGH_MAX = 5
"""Up to this many series, the full candidate set (AutoARIMA, full AutoETS, AutoTheta)."""


@dataclass(frozen=True)
class SeriesIn:
    """One series: a value per period from `start`, zeros where nothing sold."""

    series_id: str
    start: date
    values: Array


@dataclass(frozen=True)
class Options:
    freq: Freq = "D"
    windows: int = 2
    """Rolling origins of the backtest."""
    backtest_horizon: int = 28
    """Longest block a backtest window forecasts (the horizon if shorter)."""
    thorough: bool | None = None
    """The full candidate set; None: when there are at most `THOROUGH_MAX` series."""
    n_jobs: int = 1
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True)
class Forecast:
    series_id: str
    dates: list[date]
    band: Band
    model: str
    seasonality: Seasonality
    history: int
    mase: float | None
    """The chosen model's backtest MASE (None: the history was too short to backtest)."""
    baseline_mase: float | None
    confidence: Confidence


@dataclass
class _Prepared:
    index: int
    item: SeriesIn
    values: Array
    season: Seasonality
    intermittent: bool
    h_bt: int
    scale: float = 1.0
    scores: dict[str, float] = field(default_factory=dict)
    errors: dict[str, Array] = field(default_factory=dict)


def last_date(item: SeriesIn, freq: Freq) -> date:
    return ts.step(item.start, freq, len(item.values) - 1)


def forecast(
    items: Sequence[SeriesIn],
    horizon: int,
    options: Options | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Forecast]:
    """Forecast every series `horizon` periods ahead, in the order given. `progress` is told
    of each series done (twice: backtested, forecast)."""
    opts = options or Options()
    if horizon < 1:
        raise ValueError("the horizon is at least one period")
    thorough = opts.thorough if opts.thorough is not None else len(items) <= THOROUGH_MAX
    tick = progress or (lambda _n: None)
    prepared = [_prepare(i, item, horizon, opts) for i, item in enumerate(items)]
    groups: dict[tuple[int, bool, int], list[_Prepared]] = defaultdict(list)
    for p in prepared:
        if p.h_bt > 0:
            groups[(p.season.period, p.intermittent, p.h_bt)].append(p)
        else:
            tick(1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for (period, intermittent, h_bt), members in groups.items():
            _backtest(members, period, intermittent, h_bt, thorough, opts)
            tick(len(members))
        chosen = {p.index: _choose(p) for p in prepared}
        bands = _final(prepared, chosen, horizon, thorough, opts, tick)
    return [_result(p, chosen[p.index], bands[p.index], horizon, opts) for p in prepared]


def _prepare(index: int, item: SeriesIn, horizon: int, opts: Options) -> _Prepared:
    values = np.maximum(np.asarray(item.values, dtype=np.float64), 0.0)
    season = ts.detect(values, opts.freq)
    period = season.period
    min_train = max(3 * period, 10)
    room = (len(values) - min_train) // opts.windows
    h_bt = max(0, min(horizon, opts.backtest_horizon, room))
    intermittent = ts.zero_share(values) >= INTERMITTENT_ZEROS
    return _Prepared(index, item, values, season, intermittent, h_bt)


def _frame(rows: Sequence[tuple[int, Array]]) -> Any:
    """statsforecast's long frame, integer periods as `ds` (the calendar stays ours)."""
    pd: Any = importlib.import_module("pandas")  # untyped: kept out of mypy's sight

    ids = np.concatenate([np.full(len(v), k) for k, v in rows])
    ds = np.concatenate([np.arange(len(v)) for _, v in rows])
    y = np.concatenate([v for _, v in rows])
    return pd.DataFrame({"unique_id": ids, "ds": ds, "y": y})


def _backtest(
    members: list[_Prepared], period: int, intermittent: bool, h_bt: int, thorough: bool,
    opts: Options,
) -> None:  # fmt: skip
    """Score every candidate (and seasonal naive) by MASE over the rolling origins; keep
    each candidate's errors for the intervals of models that have none of their own. If
    statsforecast fails on the group, its series keep seasonal naive's score alone (and so
    seasonal naive)."""
    w, n_win = h_bt, opts.windows
    names, predictions, order = _cross_validate(members, period, intermittent, h_bt, thorough, opts)
    for p in members:
        cut = len(p.values) - n_win * w
        p.scale = ts.mase_scale(p.values[:cut], period)
        actual = np.stack([p.values[cut + k * w : cut + (k + 1) * w] for k in range(n_win)])
        histories = [p.values[: cut + k * w] for k in range(n_win)]
        made: dict[str, Array] = {
            BASELINE: np.stack([ts.seasonal_naive(h, period, w).mean for h in histories])
        }
        for name in names:
            made[name] = np.maximum(predictions[name][order[p.index]], 0.0)
        if p.season.yearly:
            ratios = np.stack([ts.year_ratio(h, w) for h in histories])
            for name in [BASELINE, *names]:
                made[name + YEARLY_SUFFIX] = made[name] * ratios
        for name, guess in made.items():
            if not np.all(np.isfinite(guess)):
                continue
            p.errors[name] = (actual - guess).ravel()
            p.scores[name] = float(np.mean(np.abs(actual - guess))) / p.scale


def _cross_validate(
    members: list[_Prepared], period: int, intermittent: bool, h_bt: int, thorough: bool,
    opts: Options,
) -> tuple[list[str], dict[str, Array], dict[int, int]]:  # fmt: skip
    """The candidates' backtest forecasts, per name: (series row, window, step)."""
    from statsforecast import StatsForecast

    models = candidates(period, intermittent, thorough)
    w, n_win = h_bt, opts.windows
    sf = StatsForecast(models=models, freq=1, n_jobs=opts.n_jobs)
    frame = _frame([(p.index, p.values[-(WINDOW[opts.freq] + n_win * w) :]) for p in members])
    refit = intermittent  # Croston and kin cannot roll forward; they are cheap to refit
    try:
        cv = sf.cross_validation(df=frame, h=w, n_windows=n_win, step_size=w, refit=refit)
    except Exception as exc:  # a model that cannot fit these series: the baseline remains
        log.warning("demand_backtest_failed", period=period, series=len(members), error=repr(exc))
        return [], {}, {}
    cv = cv.sort_values(["unique_id", "cutoff", "ds"])
    names = [str(m) for m in models]
    predictions = {
        name: cv[name].to_numpy(dtype=np.float64).reshape(-1, n_win, w) for name in names
    }
    order = {int(k): row for row, k in enumerate(cv["unique_id"].drop_duplicates().tolist())}
    return names, predictions, order


def _choose(p: _Prepared) -> str:
    if BASELINE not in p.scores:
        return BASELINE
    base = p.scores[BASELINE]
    best = min(p.scores, key=lambda name: (p.scores[name], name != BASELINE))
    return best if p.scores[best] < base * (1 - MIN_GAIN) else BASELINE


def _final(
    prepared: list[_Prepared], chosen: dict[int, str], horizon: int, thorough: bool,
    opts: Options, tick: Callable[[int], None],
) -> dict[int, Band]:  # fmt: skip
    """Forecast each series with its chosen model only, batched per model."""
    bands: dict[int, Band] = {}
    batches: dict[tuple[int, bool, str], list[_Prepared]] = defaultdict(list)
    for p in prepared:
        base = chosen[p.index].removesuffix(YEARLY_SUFFIX)
        if base == BASELINE:
            bands[p.index] = ts.seasonal_naive(p.values, p.season.period, horizon)
            tick(1)
        else:
            batches[(p.season.period, p.intermittent, base)].append(p)
    for (period, intermittent, name), members in batches.items():
        try:
            bands.update(_fit(members, period, intermittent, name, horizon, thorough, opts))
        except Exception as exc:  # the model chosen cannot forecast them after all
            log.warning("demand_forecast_failed", model=name, series=len(members), error=repr(exc))
            for p in members:
                chosen[p.index] = BASELINE
                bands[p.index] = ts.seasonal_naive(p.values, p.season.period, horizon)
        tick(len(members))
    for p in prepared:
        if chosen[p.index].endswith(YEARLY_SUFFIX):
            bands[p.index] = bands[p.index].scaled(ts.year_ratio(p.values, horizon))
    return bands


def _fit(
    members: list[_Prepared], period: int, intermittent: bool, name: str, horizon: int,
    thorough: bool, opts: Options,
) -> dict[int, Band]:  # fmt: skip
    from statsforecast import StatsForecast

    model = next(m for m in candidates(period, intermittent, thorough) if str(m) == name)
    native = name in NATIVE
    sf = StatsForecast(models=[model], freq=1, n_jobs=opts.n_jobs)
    frame = _frame([(p.index, p.values[-WINDOW[opts.freq] :]) for p in members])
    out = sf.forecast(df=frame, h=horizon, level=[80, 95] if native else None)
    out = out.sort_values(["unique_id", "ds"])
    row_of = {int(k): r for r, k in enumerate(out["unique_id"].to_numpy()[::horizon])}
    suffixes = ("", "-lo-80", "-hi-80", "-lo-95", "-hi-95") if native else ("",)
    columns = [out[name + s].to_numpy(dtype=np.float64).reshape(-1, horizon) for s in suffixes]
    bands: dict[int, Band] = {}
    for p in members:
        row = row_of[p.index]
        if native:
            bands[p.index] = Band(*(c[row] for c in columns))
        else:
            recent = p.values[-WINDOW[opts.freq] :]
            bands[p.index] = _empirical(columns[0][row], p.errors[name], recent)
    return bands


def _empirical(mean: Array, errors: Array, recent: Array) -> Band:
    """Intervals from the quantiles of the model's backtest errors (actual - forecast); the
    upper ends at least the same quantiles of the recent days' demand, since a backtest of a
    few weeks of mostly-zero demand sees too few of its rare days to place them."""
    q = np.quantile(errors, [0.025, 0.1, 0.9, 0.975]) if len(errors) else np.zeros(4)
    days = np.quantile(recent, [0.9, 0.975]) if len(recent) else np.zeros(2)
    hi80 = np.maximum(mean + q[2], days[0])
    hi95 = np.maximum(mean + q[3], days[1])
    return Band(mean, mean + q[1], hi80, mean + q[0], hi95)


def _result(p: _Prepared, model: str, band: Band, horizon: int, opts: Options) -> Forecast:
    band = band.tidy()
    mase = p.scores.get(model)
    return Forecast(
        series_id=p.item.series_id,
        dates=ts.future_dates(last_date(p.item, opts.freq), opts.freq, horizon),
        band=band,
        model=model,
        seasonality=p.season,
        history=len(p.values),
        mase=None if mase is None else round(mase, 4),
        baseline_mase=None if BASELINE not in p.scores else round(p.scores[BASELINE], 4),
        confidence=assess(history=len(p.values), band=band, mase=mase, limits=opts.limits),
    )
