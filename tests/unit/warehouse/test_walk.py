"""The picker's walk: zones in sequence, aisles in order, each visited aisle walked the other
way from the one before (a serpentine), bottom level first."""

from __future__ import annotations

import pytest

from mercato.agents.warehouse.layout import parse_bin_code
from mercato.agents.warehouse.problems import InvalidWarehouseRequest
from mercato.agents.warehouse.walk import Place, walk_order


def place(code: str, zone: int = 1, location: str = "L1") -> Place:
    aisle, bay, level, _ = parse_bin_code(code)
    return Place(location, zone, aisle, bay, level, code)


def walked(*places: Place) -> list[str]:
    return [p.code for p in walk_order(places, lambda p: p)]


def test_aisles_alternate_direction_and_levels_go_up_within_a_bay() -> None:
    # given bins over three aisles, given in no order
    bins = [place(c) for c in ("C-01-1", "A-05-1", "B-02-1", "A-01-2", "B-07-1", "A-01-1")]
    # when walked, then aisle A goes up the bays, B comes back down, C goes up again
    assert walked(*bins) == ["A-01-1", "A-01-2", "A-05-1", "B-07-1", "B-02-1", "C-01-1"]


def test_an_aisle_with_nothing_to_pick_does_not_flip_the_direction() -> None:
    # given stops in aisles A and C only (nothing in B)
    bins = [place(c) for c in ("A-01-1", "A-04-1", "C-01-1", "C-04-1")]
    # then C is walked back down, as the second aisle visited
    assert walked(*bins) == ["A-01-1", "A-04-1", "C-04-1", "C-01-1"]


def test_zones_come_in_their_sequence_whatever_their_aisles() -> None:
    # given a picking zone walked first (sequence 1) and storage after (sequence 2)
    bins = [place("A-01-1", zone=2), place("Z-09-1", zone=1), place("B-03-1", zone=2)]
    # then the picking zone's bin comes first, then storage's aisles in order
    assert walked(*bins) == ["Z-09-1", "A-01-1", "B-03-1"]


def test_each_location_starts_its_own_serpentine() -> None:
    bins = [place("B-01-1", location="L2"), place("B-05-1", location="L2"), place("A-02-1")]
    assert walked(*bins) == ["A-02-1", "B-01-1", "B-05-1"]


def test_a_bin_code_gives_its_aisle_bay_level_and_position() -> None:
    assert parse_bin_code("A-03-2-B") == (1, 3, 2, "B")
    assert parse_bin_code("aa-10-1") == (27, 10, 1, "")
    assert parse_bin_code("12-1-0-3") == (12, 1, 0, "3")


def test_a_code_of_another_shape_is_refused() -> None:
    with pytest.raises(InvalidWarehouseRequest, match="aisle-bay-level"):
        parse_bin_code("SHELF")
