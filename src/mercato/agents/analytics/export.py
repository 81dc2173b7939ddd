"""A report as CSV: one line per row, its fields flattened, under a header line that is there
even when there are no rows."""

from __future__ import annotations

import csv
import io
from typing import Any, get_args

from mercato.agents.analytics.reports.shapes import Report


def columns(report: Report) -> list[str]:
    """The header: the rows' fields as JSON names them."""
    (row_type,) = get_args(type(report).model_fields["rows"].annotation)
    return [field.alias or name for name, field in row_type.model_fields.items()]


def to_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns(report), lineterminator="\r\n")
    writer.writeheader()
    rows: list[Any] = list(report.rows)
    for row in rows:
        writer.writerow(
            {k: _cell(v) for k, v in row.model_dump(mode="json", by_alias=True).items()}
        )
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    return "" if value is None else value


def filename(report: Report) -> str:
    name = report.report
    return f"{name}-{report.from_.isoformat()}-{report.to.isoformat()}.csv"
