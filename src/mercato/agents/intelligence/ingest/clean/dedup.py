"""Deduplication, most recent wins (seed 001, property 5): of records sharing a key, the one
observed last is kept; of two observed at the same moment, the one that came later."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import datetime
from typing import TypeVar

T = TypeVar("T")


def deduplicate(
    records: Iterable[T], *, key: Callable[[T], Hashable], at: Callable[[T], datetime]
) -> list[T]:
    """One record per key, in the order each key was first seen."""
    kept: dict[Hashable, T] = {}
    for record in records:
        k = key(record)
        current = kept.get(k)
        if current is None or at(record) >= at(current):
            kept[k] = record
    return list(kept.values())


def is_newer(candidate: datetime, stored: datetime | None) -> bool:
    """Whether a record observed at `candidate` replaces the stored one (same rule)."""
    return stored is None or candidate >= stored
