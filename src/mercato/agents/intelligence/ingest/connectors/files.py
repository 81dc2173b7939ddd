"""CSV and JSON records from a file (under the import directory only) or a URL. Columns or
keys are the clean record's fields (`clean.records`); `kind` says which kind every record
is. JSON is a list of objects, or an object whose `items` is one. Numbers are read exactly
(JSON numbers as Decimal)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from mercato.agents.intelligence.ingest.clean.records import KINDS, Kind
from mercato.agents.intelligence.ingest.connectors.base import (
    ConnectorError,
    Context,
    Fetched,
    setting,
)

PAGE = 500


def parse(text: str, fmt: str) -> list[dict[str, Any]]:
    """The records of a CSV or JSON document."""
    if fmt == "csv":
        return [
            {k.strip(): v for k, v in row.items() if k is not None}
            for row in csv.DictReader(io.StringIO(text))
        ]
    if fmt == "json":
        loaded = json.loads(text, parse_float=Decimal)
        items = loaded.get("items") if isinstance(loaded, dict) else loaded
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ConnectorError("JSON records are a list of objects (or {items: [...]})")
        return cast(list[dict[str, Any]], items)
    raise ConnectorError(f"unknown format {fmt!r}: csv or json")


def external_id(kind: Kind, row: dict[str, Any], number: int) -> str:
    for name in ("external_id", "url", "sku"):
        if row.get(name):
            return str(row[name])
    return f"row-{number}"


def pages_of(kind: Kind, rows: list[dict[str, Any]]) -> list[list[Fetched]]:
    fetched = [
        Fetched(kind=kind, external_id=external_id(kind, row, n), payload=row, candidates=[row])
        for n, row in enumerate(rows, start=1)
    ]
    return [fetched[i : i + PAGE] for i in range(0, len(fetched), PAGE)]


def kind_of(context: Context) -> Kind:
    kind = setting(context, "kind")
    if kind not in KINDS:
        raise ConnectorError(f"unknown record kind {kind!r}: one of {', '.join(KINDS)}")
    return cast(Kind, kind)


class FileConnector:
    """`settings`: `path` (relative to the import directory), `format`, `kind`."""

    def __init__(self, import_dir: Path) -> None:
        self.import_dir = import_dir.resolve()

    async def pages(self, context: Context) -> AsyncIterator[list[Fetched]]:
        kind = kind_of(context)
        path = (self.import_dir / setting(context, "path")).resolve()
        if not path.is_relative_to(self.import_dir):
            raise ConnectorError("the file must be under the import directory")
        fmt = str(context.settings.get("format") or path.suffix.lstrip(".")).lower()
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ConnectorError(f"cannot read {path.name}: {exc.strerror}") from None
        for page in pages_of(kind, parse(text, fmt)):
            yield page


class UrlConnector:
    """`settings`: `url`, `format` (default: from the answer's content type), `kind`."""

    async def pages(self, context: Context) -> AsyncIterator[list[Fetched]]:
        kind = kind_of(context)
        url = setting(context, "url")
        if not url.startswith(("http://", "https://")):
            raise ConnectorError("the URL must be http or https")
        headers = {"user-agent": context.user_agent}
        if context.secret:
            headers["authorization"] = f"Bearer {context.secret}"
        answer = await context.http.get(url, headers=headers)
        if answer.status_code != 200:
            raise ConnectorError(f"{url} answered {answer.status_code}")
        fmt = context.settings.get("format")
        if not fmt:
            fmt = "json" if "json" in answer.headers.get("content-type", "") else "csv"
        for page in pages_of(kind, parse(answer.text, str(fmt))):
            yield page
