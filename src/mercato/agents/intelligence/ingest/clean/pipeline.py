"""One candidate record through the cleaning steps, in order: missing data (`missing`),
identifiers (SKU per source format, GTIN with its check digit), spam (reviews), then the
kind's schema (`records`). Pure: the run stores what it answers."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mercato.agents.intelligence.ingest.clean.identifiers import normalize_gtin
from mercato.agents.intelligence.ingest.clean.missing import fill_missing, is_missing
from mercato.agents.intelligence.ingest.clean.records import CleanModel, Kind, validate
from mercato.agents.intelligence.ingest.clean.sku import normalize_sku

STEP = "fill_missing+normalise+validate"
"""The transformation lineage names for a record made by this pipeline."""


def canonical_json(payload: Any) -> str:
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def json_safe(payload: Any) -> Any:
    """The payload as its canonical JSON reads back: what a JSON column can keep (numbers a
    file gave as Decimal are kept as their exact text, as the checksum reads them)."""
    return json.loads(canonical_json(payload))


def checksum(payload: Any) -> str:
    """sha256 of the canonical JSON: the same content in any key order is the same record."""
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


def spam_reasons(text: str) -> list[str]:
    """The reviews agent's spam checks (imported where used: only reviews need them)."""
    from mercato.agents.reviews.service import spam_reasons as reasons

    return reasons(text)


@dataclass
class Cleaned:
    record: CleanModel | None
    flags: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def clean(
    kind: Kind,
    candidate: Mapping[str, Any],
    *,
    source_format: str,
    defaults: Mapping[str, Any] | None = None,
) -> Cleaned:
    filled = fill_missing(kind, candidate, defaults or {})
    if filled.errors:
        return Cleaned(None, filled.flags, filled.errors)
    data, flags, errors = filled.data, filled.flags, []
    if not is_missing(data.get("sku")):
        try:
            data["sku"] = normalize_sku(str(data["sku"]), source_format)
        except ValueError as exc:
            errors.append(f"sku: {exc}")
    if not is_missing(data.get("gtin")):
        gtin = normalize_gtin(str(data["gtin"]))
        if gtin is None:
            flags.append("gtin:invalid")
            data.pop("gtin")
        else:
            data["gtin"] = gtin
    if kind == "review" and isinstance(data.get("text"), str):
        reasons = spam_reasons(data["text"])
        if reasons:
            errors.append(f"text: spam ({', '.join(reasons)})")
    if errors:
        return Cleaned(None, flags, errors)
    record, problems = validate(kind, data)
    return Cleaned(record, flags, problems)
