"""Archive files: JSON lines, gzip-compressed, one file per store, kind and archival run
under the data directory (`archive/<store>/<kind>/<run>.jsonl.gz`). A run that archives in
several batches appends a gzip member per batch (`gzip` reads them as one stream). An
object store (S3) is not supported here yet: archives stay on the host's disk."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import anyio


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def relative_location(store: str, kind: str, run_id: str) -> str:
    """Where a run's archive of a kind goes, relative to the data directory."""
    return f"archive/{store}/{kind}/{run_id}.jsonl.gz"


def _append(path: Path, lines: Sequence[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "at", encoding="utf-8", compresslevel=6) as out:
        for line in lines:
            out.write(json.dumps(line, default=jsonable, sort_keys=True, separators=(",", ":")))
            out.write("\n")


async def append(path: Path, lines: Sequence[dict[str, Any]]) -> None:
    """Append the lines to the archive at `path` (off the event loop)."""
    await anyio.to_thread.run_sync(_append, path, lines)


def read(path: Path) -> Iterator[dict[str, Any]]:
    """Every line of an archive file (for restoring, and tests)."""
    with gzip.open(path, "rt", encoding="utf-8") as source:
        for line in source:
            if line.strip():
                yield json.loads(line)
