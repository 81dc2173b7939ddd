"""Demand forecasts: accuracy by rolling-origin backtest, and time for 1,000 SKUs x 2 years of
daily history (issue 19, "What to measure"; bar: < 60 s on 2 cores).

1. **Accuracy.** `--series` daily series made by the project's generator
   (`src/mercato/agents/intelligence/demand/synth.py`: levels, trends, weekly and yearly
   cycles, promotions, one in six intermittent; seed `--seed`), two years each. From each of
   `--origins` rolling origins (the last blocks of `--horizon` days), the engine forecasts
   the next block from the days before it (choosing its model by its own inner backtest on
   those days only) and so does seasonal naive (a week's season); both are scored on what
   followed: MASE (scaled by the in-sample MAE of the weekly seasonal naive forecast) and the
   share of actual days inside the 80 % and 95 % intervals.
2. **Speed.** `--skus` series of 730 days forecast `--horizon` days ahead, in process
   (`engine.forecast`, statsforecast over all series at once, one process per core), and the
   same through `mercato intel forecast` on a CSV file (reading, validating, forecasting and
   writing included; the command's own start-up too).

    .venv/bin/python bench/forecast.py [--series 200] [--skus 1000] [--record]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

import benchlib
from mercato.agents.intelligence.demand import engine, synth
from mercato.agents.intelligence.demand import series as ts

START = date(2024, 1, 1)
ROOT = Path(__file__).resolve().parents[1]


def _score(actual: np.ndarray, band: ts.Band, scale: float) -> tuple[float, float, float]:
    mase = float(np.mean(np.abs(actual - band.mean))) / scale
    in80 = float(np.mean((actual >= band.lo80 - 1e-9) & (actual <= band.hi80 + 1e-9)))
    in95 = float(np.mean((actual >= band.lo95 - 1e-9) & (actual <= band.hi95 + 1e-9)))
    return mase, in80, in95


def accuracy(count: int, horizon: int, origins: int, seed: int, jobs: int) -> dict[str, Any]:
    made = synth.mixed(count, 730, seed)
    kinds = ["intermittent" if k % 6 == 5 else "regular" for k in range(count)]
    rows: list[dict[str, Any]] = []
    chosen: Counter[str] = Counter()
    low = 0
    for o in range(origins, 0, -1):
        cut = 730 - o * horizon
        items = [engine.SeriesIn(str(k), START, v[:cut]) for k, v in enumerate(made)]
        found = engine.forecast(items, horizon, engine.Options(n_jobs=jobs, thorough=False))
        for k, (values, f) in enumerate(zip(made, found, strict=True)):
            train, actual = values[:cut], values[cut : cut + horizon]
            scale = ts.mase_scale(train, 7)
            base = ts.seasonal_naive(train, 7, horizon)
            m, c80, c95 = _score(actual, f.band, scale)
            bm, b80, b95 = _score(actual, base, scale)
            rows.append({"kind": kinds[k], "mase": m, "c80": c80, "c95": c95,
                         "base_mase": bm, "base_c80": b80, "base_c95": b95})  # fmt: skip
            chosen[f.model] += 1
            low += f.confidence.low

    def summary(selected: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "forecasts": len(selected),
            "mase_mean": round(statistics.fmean(r["mase"] for r in selected), 3),
            "mase_median": round(statistics.median(r["mase"] for r in selected), 3),
            "baseline_mase_mean": round(statistics.fmean(r["base_mase"] for r in selected), 3),
            "baseline_mase_median": round(statistics.median(r["base_mase"] for r in selected), 3),
            "better_than_baseline": round(
                statistics.fmean(r["mase"] < r["base_mase"] for r in selected), 3
            ),
            "coverage_80": round(statistics.fmean(r["c80"] for r in selected), 3),
            "coverage_95": round(statistics.fmean(r["c95"] for r in selected), 3),
            "baseline_coverage_80": round(statistics.fmean(r["base_c80"] for r in selected), 3),
            "baseline_coverage_95": round(statistics.fmean(r["base_c95"] for r in selected), 3),
        }

    return {
        "series": count,
        "horizon": horizon,
        "origins": origins,
        "all": summary(rows),
        "regular": summary([r for r in rows if r["kind"] == "regular"]),
        "intermittent": summary([r for r in rows if r["kind"] == "intermittent"]),
        "models_chosen": dict(chosen.most_common()),
        "low_confidence_share": round(low / len(rows), 3),
    }


def _cpu() -> float:
    """CPU seconds of this process and its finished children (statsforecast's workers, the
    command): the work, whatever else keeps the machine busy."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def speed(skus: int, horizon: int, seed: int, jobs: int) -> dict[str, Any]:
    made = synth.mixed(skus, 730, seed + 1)
    items = [engine.SeriesIn(f"sku-{k}", START, v) for k, v in enumerate(made)]
    code = (
        "import time; t = time.perf_counter(); import statsforecast; print(time.perf_counter() - t)"
    )
    imported = float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                    text=True).stdout)  # fmt: skip
    began, cpu = time.perf_counter(), _cpu()
    found = engine.forecast(items, horizon, engine.Options(n_jobs=jobs))
    in_process, in_process_cpu = time.perf_counter() - began, _cpu() - cpu
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "series.csv", Path(tmp) / "out.csv"
        with source.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["series_id", "date", "quantity"])
            for item in items:
                writer.writerows(
                    [item.series_id, (START + timedelta(days=d)).isoformat(), int(v)]
                    for d, v in enumerate(item.values)
                )
        mercato = str(Path(sys.executable).parent / "mercato")
        command = [mercato, "intel", "forecast", "--input", str(source)]
        command += ["--horizon", str(horizon), "--output", str(out)]
        began, cpu = time.perf_counter(), _cpu()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        through_cli, cli_cpu = time.perf_counter() - began, _cpu() - cpu
        with out.open() as handle:
            written = sum(1 for _ in handle) - 1
    return {
        "skus": skus,
        "days": 730,
        "horizon": horizon,
        "n_jobs": jobs,
        "statsforecast_import_seconds": round(imported, 2),
        "in_process_seconds": round(in_process, 1),
        "in_process_cpu_seconds": round(in_process_cpu, 1),
        "cli_seconds": round(through_cli, 1),
        "cli_cpu_seconds": round(cli_cpu, 1),
        "cli_rows_written": written,
        "models_chosen": dict(Counter(f.model for f in found).most_common()),
    }


def markdown(data: dict[str, Any]) -> str:
    acc, spd = data["accuracy"], data["speed"]
    lines = benchlib.report_header("Demand forecasts: accuracy and speed", data)
    lines += ["## Bars", "", *benchlib.bars_markdown([benchlib.Bar(**b) for b in data["bars"]])]
    lines += ["", f"## Accuracy ({acc['series']} series x {acc['origins']} rolling origins, "
              f"{acc['horizon']}-day blocks)", "",
              "| series | forecasts | MASE mean (median) | seasonal naive MASE mean (median) | "
              "better than naive | 80 % coverage | 95 % coverage | naive 80 % / 95 % |",
              "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for name in ("all", "regular", "intermittent"):
        s = acc[name]
        lines.append(
            f"| {name} | {s['forecasts']} | {s['mase_mean']} ({s['mase_median']}) | "
            f"{s['baseline_mase_mean']} ({s['baseline_mase_median']}) | "
            f"{s['better_than_baseline']:.0%} | {s['coverage_80']:.1%} | {s['coverage_95']:.1%} | "
            f"{s['baseline_coverage_80']:.1%} / {s['baseline_coverage_95']:.1%} |"
        )
    lines += ["", f"Models chosen: {acc['models_chosen']}.",
              f"Low-confidence forecasts: {acc['low_confidence_share']:.0%}.", "",
              f"## Speed ({spd['skus']} SKUs x {spd['days']} days, horizon {spd['horizon']})", "",
              f"- statsforecast import (a fresh interpreter): "
              f"{spd['statsforecast_import_seconds']} s",
              f"- `engine.forecast` in process (n_jobs={spd['n_jobs']}): "
              f"{spd['in_process_seconds']} s wall, {spd['in_process_cpu_seconds']} CPU-s",
              f"- `mercato intel forecast` on a CSV ({spd['cli_rows_written']} rows written), "
              f"start-up included: {spd['cli_seconds']} s wall, {spd['cli_cpu_seconds']} CPU-s",
              f"- Models chosen: {spd['models_chosen']}", "",
              benchlib.noise_line(data["machine"])]  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=200)
    parser.add_argument("--origins", type=int, default=3)
    parser.add_argument("--horizon", type=int, default=28)
    parser.add_argument("--skus", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    conditions = benchlib.Conditions()
    jobs = os.cpu_count() or 1
    acc = accuracy(args.series, args.horizon, args.origins, args.seed, jobs)
    spd = speed(args.skus, 30, args.seed, jobs)
    data: dict[str, Any] = {
        "date": benchlib.now_iso(),
        "code": benchlib.code_revision(),
        "command": benchlib.command_line(),
        "machine": conditions.finish(),
        "accuracy": acc,
        "speed": spd,
    }
    s = acc["all"]
    data["bars"] = [
        benchlib.Bar("forecast 1,000 SKUs x 2 years (CLI, start-up included)", "< 60 s",
                     f"{spd['cli_seconds']} s", spd["cli_seconds"] < 60).as_dict(),
        benchlib.Bar("MASE vs seasonal naive (mean)", "lower",
                     f"{s['mase_mean']} vs {s['baseline_mase_mean']}",
                     s["mase_mean"] < s["baseline_mase_mean"]).as_dict(),
        benchlib.Bar("95 % interval coverage", "about 95 % (≥ 90 %)", f"{s['coverage_95']:.1%}",
                     s["coverage_95"] >= 0.9).as_dict(),
    ]  # fmt: skip
    text = markdown(data)
    print(text)
    if args.record:
        benchlib.write_results("forecast", data, text)


if __name__ == "__main__":
    main()
