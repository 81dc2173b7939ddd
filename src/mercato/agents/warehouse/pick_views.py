"""A pick list as the picker reads it: stops along the walk, each a bin and a variant with
the units per order (tote) to take there; unlocated units last, with no bin."""

from __future__ import annotations

from dataclasses import dataclass

from mercato.agents.warehouse.models import PickLine, PickList


@dataclass(frozen=True)
class ToteLine:
    line_id: str
    order_id: str
    order_number: str
    tote: int
    quantity: int
    picked: int


@dataclass(frozen=True)
class Stop:
    stop: int
    location_id: str
    bin_id: str | None
    bin_code: str | None
    variant_id: str
    sku: str
    quantity: int
    picked: int
    totes: list[ToteLine]

    @property
    def unlocated(self) -> bool:
        return self.bin_id is None


@dataclass(frozen=True)
class PickListView:
    pick_list: PickList
    lines: list[PickLine]
    stops: list[Stop]


def view_of(pick_list: PickList, lines: list[PickLine]) -> PickListView:
    """The lines (read in stop, then tote order) grouped into stops."""
    grouped: dict[int, list[PickLine]] = {}
    for line in lines:
        grouped.setdefault(line.stop, []).append(line)
    stops = [
        Stop(
            stop=number,
            location_id=first.location_id,
            bin_id=first.bin_id,
            bin_code=first.bin_code,
            variant_id=first.variant_id,
            sku=first.sku,
            quantity=sum(line.quantity for line in group),
            picked=sum(line.picked for line in group),
            totes=[
                ToteLine(
                    line.id, line.order_id, line.order_number, line.tote, line.quantity, line.picked
                )
                for line in group
            ],
        )
        for number, group in grouped.items()
        for first in group[:1]
    ]
    return PickListView(pick_list, lines, stops)
