"""Fulfilment planning: which location ships which of an order's units.

Fewest shipments first, then the nearest location: a greedy cover that takes, each round,
the location able to send the most of what is left (ties: the nearer, then the location's
priority), until every unit has a location. Greedy set cover is within a small factor of
the fewest possible and, for the two to five locations a store has, almost always exact.

The stock a location can send for an order is what it holds for it: the order's
reservation there (inventory drew it at checkout, from its locations by priority). A unit
is never planned from a location whose ledger would not show it leaving.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Site:
    location_id: str
    nearness: int
    """0 the same postal district … 4 unknown (see `origins.nearness`)."""
    priority: int
    stock: Mapping[str, int]
    """Variant → units it can send for the order."""


@dataclass(frozen=True)
class PlannedShipment:
    location_id: str
    lines: dict[str, int] = field(default_factory=dict)
    """Order line id → units."""


def plan(
    wanted: Sequence[tuple[str, str, int]], sites: Sequence[Site]
) -> tuple[list[PlannedShipment], dict[str, int]]:
    """`wanted`: (line id, variant id, units) still to ship. Returns the shipments in the
    order chosen, and what no location can send (line id → units; empty when all can)."""
    left = {line_id: units for line_id, _, units in wanted if units > 0}
    variant_of = {line_id: variant_id for line_id, variant_id, _ in wanted}
    stock = {site.location_id: dict(site.stock) for site in sites}
    by_id = {site.location_id: site for site in sites}
    shipments: list[PlannedShipment] = []
    while left:
        best: tuple[int, int, int, str] | None = None
        needed: dict[str, int] = {}
        for line_id, units in left.items():  # lines of one variant share its stock
            needed[variant_of[line_id]] = needed.get(variant_of[line_id], 0) + units
        for site in sites:
            covers = sum(
                min(units, stock[site.location_id].get(variant_id, 0))
                for variant_id, units in needed.items()
            )
            if covers:
                key = (-covers, site.nearness, site.priority, site.location_id)
                best = key if best is None or key < best else best
        if best is None:
            break
        chosen = by_id[best[3]]
        shipment = PlannedShipment(chosen.location_id)
        for line_id in list(left):
            variant_id = variant_of[line_id]
            take = min(left[line_id], stock[chosen.location_id].get(variant_id, 0))
            if take:
                shipment.lines[line_id] = take
                stock[chosen.location_id][variant_id] -= take
                left[line_id] -= take
                if not left[line_id]:
                    del left[line_id]
        shipments.append(shipment)
    return shipments, left
