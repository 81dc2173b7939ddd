"""`mercato intel forecast`: forecasts for series from outside Mercato (a CSV file in, a CSV
file out), with the progress on stderr. Bad input exits with code 2 and writes nothing."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mercato.kernel.commands import err, fail

PARALLEL_FROM = 50
"""Series from which the fits run in one process per core (starting them costs a second)."""


class FreqChoice(StrEnum):
    D = "D"
    W = "W"
    M = "M"


def register(group: typer.Typer) -> None:
    """Add this part's commands to `mercato intel`."""
    group.command("forecast")(forecast_command)


def forecast_command(
    input: Annotated[
        Path, typer.Option("--input", help="CSV with the columns series_id,date,quantity")
    ],
    horizon: Annotated[int, typer.Option("--horizon", min=1, max=1000, help="Periods ahead")],
    output: Annotated[Path, typer.Option("--output", help="Where the forecasts are written")],
    freq: Annotated[
        FreqChoice, typer.Option("--freq", help="D (days), W (weeks) or M (months)")
    ] = FreqChoice.D,
) -> None:
    """Forecast each series HORIZON periods past its last date, with 80 % and 95 % intervals
    and the model chosen for it by backtest (columns series_id,date,forecast,lower_80,
    upper_80,lower_95,upper_95,model)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from mercato.agents.intelligence.demand import csvio, engine

    if not input.is_file():
        raise fail(f"no such file: {input}")
    if not output.resolve().parent.is_dir():
        raise fail(f"no such directory for the output: {output.resolve().parent}")
    try:
        items = csvio.read_series(input, freq.value)
    except csvio.BadInputError as exc:
        raise fail(f"{input}: {exc}") from None
    except UnicodeDecodeError:
        raise fail(f"{input}: not a UTF-8 text file") from None
    jobs = (os.cpu_count() or 1) if len(items) >= PARALLEL_FROM else 1
    options = engine.Options(freq=freq.value, n_jobs=jobs)
    columns = ("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task(f"forecasting {len(items)} series", total=2 * len(items))
        found = engine.forecast(items, horizon, options, lambda n: bar.advance(task, n))
    csvio.write_forecasts(output, found)
    low = sum(f.confidence.low for f in found)
    err.print(f"{len(found)} series, {horizon} periods each → {output} ({low} low-confidence)")
