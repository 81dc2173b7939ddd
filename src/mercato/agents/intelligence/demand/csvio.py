"""Series from a CSV file (`series_id,date,quantity`) and forecasts back to one, for
`mercato intel forecast` on data from outside Mercato. The whole file is checked before
anything is forecast: the first bad line stops it with a message naming the line."""

from __future__ import annotations

import csv
import math
import os
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np

from mercato.agents.intelligence.demand.engine import Forecast, SeriesIn
from mercato.agents.intelligence.demand.series import Freq

COLUMNS = ("series_id", "date", "quantity")
OUTPUT = ("series_id", "date", "forecast", "lower_80", "upper_80", "lower_95", "upper_95", "model")


class BadInputError(ValueError):
    """The file cannot be forecast; the message names the line."""


def _period(day: date, first: date, freq: Freq, line: int) -> int:
    if freq == "D":
        return (day - first).days
    if freq == "W":
        days = (day - first).days
        if days % 7:
            raise BadInputError(
                f"line {line}: {day.isoformat()} is not a whole number of weeks after the "
                f"series' first date {first.isoformat()} (--freq W)"
            )
        return days // 7
    return (day.year - first.year) * 12 + day.month - first.month


def _quantity(text: str, line: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BadInputError(f"line {line}: quantity {text!r} is not a number") from None
    if not math.isfinite(value):
        raise BadInputError(f"line {line}: quantity {text!r} is not a finite number")
    if value < 0:
        raise BadInputError(f"line {line}: quantity {text!r} is negative")
    return value


def read_series(path: Path, freq: Freq) -> list[SeriesIn]:
    """One series per `series_id`, in the order first seen; periods with no row are 0."""
    rows: dict[str, list[tuple[date, float, int]]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise BadInputError(
                f"line 1: missing column(s) {', '.join(missing)} (want {','.join(COLUMNS)})"
            )
        for record in reader:
            line = reader.line_num
            series_id = (record.get("series_id") or "").strip()
            if not series_id:
                raise BadInputError(f"line {line}: series_id is empty")
            text = (record.get("date") or "").strip()
            try:
                day = date.fromisoformat(text)
            except ValueError:
                raise BadInputError(
                    f"line {line}: date {text!r} is not a date (YYYY-MM-DD)"
                ) from None
            rows[series_id].append(
                (day, _quantity((record.get("quantity") or "").strip(), line), line)
            )
    if not rows:
        raise BadInputError("line 2: the file has no data rows")
    return [_series(series_id, found, freq) for series_id, found in rows.items()]


def _series(series_id: str, found: list[tuple[date, float, int]], freq: Freq) -> SeriesIn:
    found.sort(key=lambda r: (r[0], r[2]))
    first = found[0][0]
    periods = [_period(day, first, freq, line) for day, _, line in found]
    values = np.zeros(periods[-1] + 1)
    seen: dict[int, int] = {}
    for (day, quantity, line), k in zip(found, periods, strict=True):
        if k in seen:
            raise BadInputError(
                f"line {line}: series {series_id!r} already has a quantity for "
                f"{day.isoformat()}'s period (line {seen[k]})"
            )
        seen[k] = line
        values[k] = quantity
    return SeriesIn(series_id, first, values)


def write_forecasts(path: Path, forecasts: Sequence[Forecast]) -> None:
    """Written beside the target and moved into place: a failure leaves no partial file."""
    target = path.resolve()
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(OUTPUT)
            for f in forecasts:
                b = f.band
                for k, day in enumerate(f.dates):
                    values = (b.mean[k], b.lo80[k], b.hi80[k], b.lo95[k], b.hi95[k])
                    writer.writerow(
                        [f.series_id, day.isoformat(), *(f"{v:.3f}" for v in values), f.model]
                    )
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
