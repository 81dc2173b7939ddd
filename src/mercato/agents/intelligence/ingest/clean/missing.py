"""Missing data (seed 001, property 6): each field of each kind has one stated strategy.

- `reject`: the record cannot be used without it; it is rejected with `field: missing`.
- `source`: filled from the source's settings (`defaults` in its settings, e.g. the
  currency a CSV is priced in), flagged `field:from_source`; rejected when the source
  states none either.
- `default`: filled with a stated value, flagged `field:default`.
- `flag`: left empty and flagged `field:missing` (the record is still useful).

A field is missing when it is absent, None, or blank text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from mercato.agents.intelligence.ingest.clean.records import Kind

Strategy = Literal["reject", "source", "default", "flag"]
STRATEGIES: dict[Kind, dict[str, tuple[Strategy, Any]]] = {
    "product": {
        "external_id": ("reject", None),
        "title": ("reject", None),
        "price": ("flag", None),
        "currency": ("source", None),
        "sku": ("flag", None),
    },
    "offer": {
        "competitor": ("reject", None),
        "url": ("reject", None),
        "title": ("reject", None),
        "price": ("reject", None),
        "currency": ("source", None),
        "availability": ("default", "unknown"),
        "promotion": ("flag", None),
    },
    "sale": {
        "external_id": ("reject", None),
        "sku": ("reject", None),
        "quantity": ("default", 1),
        "price": ("reject", None),
        "currency": ("source", None),
        "sold_at": ("reject", None),
    },
    "inventory": {
        "sku": ("reject", None),
        "location": ("default", "default"),
        "available": ("reject", None),
    },
    "review": {
        "external_id": ("reject", None),
        "rating": ("reject", None),
        "text": ("default", ""),
        "sku": ("flag", None),
    },
}


@dataclass
class Filled:
    data: dict[str, Any]
    flags: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def fill_missing(kind: Kind, data: Mapping[str, Any], defaults: Mapping[str, Any]) -> Filled:
    """`data` with its missing fields handled by their strategy (`defaults`: the source's)."""
    result = Filled({k: v for k, v in data.items() if not is_missing(v)})
    for name, (strategy, value) in STRATEGIES[kind].items():
        if not is_missing(data.get(name)):
            continue
        if strategy == "source" and not is_missing(defaults.get(name)):
            result.data[name] = defaults[name]
            result.flags.append(f"{name}:from_source")
        elif strategy in ("reject", "source"):
            result.errors.append(f"{name}: missing")
        elif strategy == "default":
            result.data[name] = value
            result.flags.append(f"{name}:default")
        else:
            result.flags.append(f"{name}:missing")
    return result
