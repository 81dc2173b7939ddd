"""The picker's walk through a location: zones in their `sequence`, then aisles in order,
each aisle walked the other way from the one before (a serpentine: down aisle 1, up aisle 2,
…, so no one walks back to the front between aisles), bottom level first within a bay.

The direction alternates over the aisles the walk actually visits (an aisle with nothing to
pick is skipped and does not flip it), counted afresh in each location.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Place:
    """Where a bin is, as the walk sees it."""

    location_id: str
    zone_sequence: int
    aisle: int
    bay: int
    level: int
    code: str


def walk_order(stops: Iterable[T], place: Callable[[T], Place]) -> list[T]:
    """The stops in the order a picker reaches them (stable for stops at one place)."""
    listed = list(stops)
    aisles = sorted({(p.location_id, p.zone_sequence, p.aisle) for p in map(place, listed)})
    turn: dict[tuple[str, int, int], int] = {}
    last_location, index = None, 0
    for aisle in aisles:
        index = index + 1 if aisle[0] == last_location else 0
        last_location = aisle[0]
        turn[aisle] = 1 if index % 2 == 0 else -1

    def key(stop: T) -> tuple[str, int, int, int, int, str]:
        p = place(stop)
        direction = turn[(p.location_id, p.zone_sequence, p.aisle)]
        return (p.location_id, p.zone_sequence, p.aisle, direction * p.bay, p.level, p.code)

    return sorted(listed, key=key)
