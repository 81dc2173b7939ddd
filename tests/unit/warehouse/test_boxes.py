"""Box choice: the cheapest box that takes every unit, else a split by first-fit decreasing;
every package's units fit it by size, volume and weight, and every unit is packed once."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.warehouse.boxes import (
    FILL_PERCENT,
    OWN_PACKAGING,
    BoxSpec,
    Package,
    Unit,
    choose,
    fits,
)
from mercato.agents.warehouse.packing import DEFAULT_BOXES

BY_CODE = {box.code: box for box in DEFAULT_BOXES}


def units(variant: str, count: int, sides: tuple[int, int, int], grams: int) -> list[Unit]:
    return [Unit(variant, *sides, grams)] * count


def packed(packages: list[Package]) -> Counter[str]:
    total: Counter[str] = Counter()
    for package in packages:
        for variant, quantity in package.items:
            total[variant] += quantity
    return total


def test_small_items_go_in_the_cheapest_box_that_takes_them() -> None:
    # given two paperbacks (mailer-sized)
    chosen = choose(DEFAULT_BOXES, units("book", 2, (200, 130, 20), 300))
    # then one mailer, weighing the books and the mailer
    assert [p.box_code for p in chosen] == ["MAILER-S"]
    assert chosen[0].weight_grams == 600 + BY_CODE["MAILER-S"].tare_grams
    assert chosen[0].items == (("book", 2),)


def test_a_long_item_goes_in_a_box_it_fits_in_some_rotation() -> None:
    # given a poster tube 450 mm long (fits BOX-L lengthwise, no smaller box)
    chosen = choose(DEFAULT_BOXES, units("tube", 1, (80, 450, 80), 400))
    assert [p.box_code for p in chosen] == ["BOX-L"]


def test_units_too_heavy_for_one_box_are_split() -> None:
    # given 7 dumbbells of 8 kg: no box carries 56 kg
    chosen = choose(DEFAULT_BOXES, units("dumbbell", 7, (300, 120, 120), 8000))
    # then several packages, each within its box's load, all 7 packed
    assert len(chosen) > 1
    assert packed(chosen) == {"dumbbell": 7}
    for package in chosen:
        box = BY_CODE[package.box_code]
        assert package.weight_grams - box.tare_grams <= box.max_weight_grams


def test_a_unit_no_box_takes_travels_in_its_own_packaging() -> None:
    chosen = choose(DEFAULT_BOXES, units("kayak", 1, (3000, 600, 400), 20000))
    assert chosen == [Package(OWN_PACKAGING, 3000, 600, 400, 20000, (("kayak", 1),))]


def test_nothing_to_pack_makes_no_package() -> None:
    assert choose(DEFAULT_BOXES, []) == []


def test_a_store_catalogue_is_used_cheapest_first() -> None:
    # given two boxes of one size, one cheaper
    boxes = [
        BoxSpec("DEAR", 300, 300, 300, 9000, 100, Decimal("3.00")),
        BoxSpec("CHEAP", 300, 300, 300, 9000, 120, Decimal("1.00")),
    ]
    assert [p.box_code for p in choose(boxes, units("mug", 3, (120, 100, 100), 350))] == ["CHEAP"]


sides = st.integers(min_value=10, max_value=400)
variants = st.tuples(
    st.sampled_from(["v1", "v2", "v3", "v4"]),
    st.integers(min_value=1, max_value=12),
    st.tuples(sides, sides, st.integers(min_value=5, max_value=300)),
    st.integers(min_value=1, max_value=9000),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(variants, min_size=1, max_size=5))
def test_every_package_holds_its_units_and_every_unit_is_packed_once(
    lines: list[tuple[str, int, tuple[int, int, int], int]],
) -> None:
    # given units of up to four variants (a variant has one size: its last line's)
    size = {variant: (dims, grams) for variant, _, dims, grams in lines}
    wanted: Counter[str] = Counter()
    all_units: list[Unit] = []
    for variant, count, _, _ in lines:
        dims, grams = size[variant]
        all_units += units(variant, count, dims, grams)
        wanted[variant] += count

    # when boxes are chosen
    chosen = choose(DEFAULT_BOXES, all_units)

    # then every unit is in exactly one package
    assert packed(chosen) == wanted
    for package in chosen:
        if package.box_code == OWN_PACKAGING:
            continue
        box = BY_CODE[package.box_code]
        inside = [Unit(v, *size[v][0], size[v][1]) for v, n in package.items for _ in range(n)]
        # and each unit fits the box in some rotation, within its volume and weight
        assert all(fits(box, unit) for unit in inside)
        assert sum(unit.volume for unit in inside) <= box.volume
        if len(inside) > 1:
            assert sum(u.volume for u in inside) * 100 <= box.volume * FILL_PERCENT
        assert sum(unit.weight_grams for unit in inside) <= box.max_weight_grams
        assert package.weight_grams == box.tare_grams + sum(u.weight_grams for u in inside)
