"""Choosing boxes for a shipment's units (pure: no database).

A set of units fits a box when every unit fits in some rotation (its sorted sides within the
box's sorted sides), their volume is at most `FILL` of the box's (room for the units' odd
shapes and padding; a lone unit needs only to fit), and their weight is within what the box
carries. The cheapest box that takes every unit wins; when none does, the units are split by
first-fit decreasing (largest first, each into the first open package that still takes it,
else a new package in the largest box it fits), and each package is then moved into the
cheapest box that takes its contents. A unit no box takes travels in its own packaging.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

FILL_PERCENT = 85
OWN_PACKAGING = "own_packaging"


@dataclass(frozen=True)
class BoxSpec:
    code: str
    length_mm: int
    width_mm: int
    height_mm: int
    max_weight_grams: int
    tare_grams: int
    cost: Decimal

    @property
    def sides(self) -> tuple[int, ...]:
        return tuple(sorted((self.length_mm, self.width_mm, self.height_mm)))

    @property
    def volume(self) -> int:
        return self.length_mm * self.width_mm * self.height_mm


@dataclass(frozen=True)
class Unit:
    """One unit of a variant, as packing sees it."""

    variant_id: str
    length_mm: int
    width_mm: int
    height_mm: int
    weight_grams: int

    @property
    def sides(self) -> tuple[int, ...]:
        return tuple(sorted((self.length_mm, self.width_mm, self.height_mm)))

    @property
    def volume(self) -> int:
        return self.length_mm * self.width_mm * self.height_mm


@dataclass(frozen=True)
class Package:
    """A box as it leaves: its code and inner size, its weight (units and the box itself),
    and the units in it per variant (in the order first packed)."""

    box_code: str
    length_mm: int
    width_mm: int
    height_mm: int
    weight_grams: int
    items: tuple[tuple[str, int], ...]


@dataclass
class _Open:
    box: BoxSpec
    units: list[Unit] = field(default_factory=list)
    volume: int = 0
    weight: int = 0

    def takes(self, unit: Unit) -> bool:
        return takes(
            self.box,
            len(self.units) + 1,
            self.volume + unit.volume,
            self.weight + unit.weight_grams,
        ) and fits(self.box, unit)

    def add(self, unit: Unit) -> None:
        self.units.append(unit)
        self.volume += unit.volume
        self.weight += unit.weight_grams


def fits(box: BoxSpec, unit: Unit) -> bool:
    """Whether the unit goes in the box in some rotation."""
    return all(side <= room for side, room in zip(unit.sides, box.sides, strict=True))


def takes(box: BoxSpec, count: int, volume: int, weight: int) -> bool:
    """Whether `count` units (each fitting) of this volume and weight go in the box."""
    if weight > box.max_weight_grams:
        return False
    return count <= 1 or volume * 100 <= box.volume * FILL_PERCENT


def holds(box: BoxSpec, units: Sequence[Unit]) -> bool:
    volume = sum(unit.volume for unit in units)
    weight = sum(unit.weight_grams for unit in units)
    return all(fits(box, unit) for unit in units) and takes(box, len(units), volume, weight)


def choose(boxes: Sequence[BoxSpec], units: Sequence[Unit]) -> list[Package]:
    """The packages for `units`: one box when one takes them all, else a split."""
    if not units:
        return []
    cheapest_first = sorted(boxes, key=lambda b: (b.cost, b.volume, b.code))
    whole = next((box for box in cheapest_first if holds(box, units)), None)
    if whole is not None:
        return [package(whole, units)]
    largest_first = sorted(boxes, key=lambda b: (-b.volume, -b.max_weight_grams, b.code))
    opened: list[_Open] = []
    alone: list[Unit] = []
    for unit in sorted(units, key=lambda u: (-u.volume, -u.weight_grams, u.variant_id)):
        into = next((candidate for candidate in opened if candidate.takes(unit)), None)
        if into is None:
            box = next((b for b in largest_first if holds(b, [unit])), None)
            if box is None:
                alone.append(unit)
                continue
            into = _Open(box)
            opened.append(into)
        into.add(unit)
    packed = [
        package(next(b for b in cheapest_first if holds(b, group.units)), group.units)
        for group in opened
    ]
    return packed + [own_packaging(unit) for unit in alone]


def package(box: BoxSpec, units: Sequence[Unit]) -> Package:
    return Package(
        box_code=box.code,
        length_mm=box.length_mm,
        width_mm=box.width_mm,
        height_mm=box.height_mm,
        weight_grams=box.tare_grams + sum(unit.weight_grams for unit in units),
        items=tally(units),
    )


def own_packaging(unit: Unit) -> Package:
    return Package(
        box_code=OWN_PACKAGING,
        length_mm=unit.length_mm,
        width_mm=unit.width_mm,
        height_mm=unit.height_mm,
        weight_grams=unit.weight_grams,
        items=((unit.variant_id, 1),),
    )


def tally(units: Sequence[Unit]) -> tuple[tuple[str, int], ...]:
    counts: dict[str, int] = {}
    for unit in units:
        counts[unit.variant_id] = counts.get(unit.variant_id, 0) + 1
    return tuple(counts.items())
