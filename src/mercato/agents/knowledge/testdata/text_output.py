"""The generated records as JSON (a list, one record per line) or CSV (one row per record,
nested values flattened to dotted columns)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any


def as_json(records: list[dict[str, Any]]) -> str:
    """A JSON list of the records, one per line; text as it is (not \\u-escaped)."""
    if not records:
        return "[]\n"
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    parts = ["[\n"]
    for record in records:
        parts.append(dumps(record))
        parts.append(",\n")
    parts[-1] = "\n]\n"
    return "".join(parts)  # one copy of the document, not one per concatenation


def flatten(
    record: dict[str, Any], prefix: str = "", out: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Scalar columns of a record: nested objects as `a.b`, a list of objects as its length
    (`lines` → `lines_count`), a list of scalars joined with `|`, None as empty."""
    row: dict[str, Any] = {} if out is None else out
    for key, value in record.items():
        name = prefix + key
        if isinstance(value, dict):
            flatten(value, name + ".", row)
        elif isinstance(value, list):
            if value and isinstance(value[0], dict):
                row[name + "_count"] = len(value)
            else:
                row[name] = "|".join(str(v) for v in value)
        elif value is None:
            row[name] = ""
        elif isinstance(value, bool):
            row[name] = "true" if value else "false"
        else:
            row[name] = value
    return row


def as_csv(records: list[dict[str, Any]]) -> str:
    """A header of every column any record has (in the order first seen), a row per record."""
    rows = [flatten(record) for record in records]
    columns: dict[str, None] = {}
    for row in rows:
        for name in row:
            if name not in columns:
                columns[name] = None
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
