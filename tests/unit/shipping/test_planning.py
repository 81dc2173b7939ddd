"""Fulfilment planning: which location ships which units of an order. Every planned unit is
held by the location that sends it, no unit is planned twice, whatever some location holds
is planned, and one location holding everything sends one shipment."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.shipping.planning import Site, plan


def test_one_location_holding_everything_sends_one_shipment() -> None:
    # given two lines wholly held at the nearer of two locations, partly at the other
    wanted = [("l1", "v1", 2), ("l2", "v2", 1)]
    near = Site("near", nearness=0, priority=5, stock={"v1": 2, "v2": 1})
    far = Site("far", nearness=3, priority=1, stock={"v1": 1})
    # when planned / then one shipment from the nearer, nothing left over
    shipments, unplanned = plan(wanted, [far, near])
    assert [(s.location_id, s.lines) for s in shipments] == [("near", {"l1": 2, "l2": 1})]
    assert unplanned == {}


def test_fewest_shipments_first_then_the_nearest() -> None:
    # given a far location holding everything and a near one holding half
    wanted = [("l1", "v1", 1), ("l2", "v2", 1)]
    far = Site("far", nearness=3, priority=1, stock={"v1": 1, "v2": 1})
    near = Site("near", nearness=0, priority=1, stock={"v1": 1})
    # then the far one ships it all (one shipment beats two)
    shipments, _ = plan(wanted, [near, far])
    assert [s.location_id for s in shipments] == ["far"]
    # and with two equally able locations, the nearer one, then the lower priority
    twin = Site("twin", nearness=0, priority=0, stock={"v1": 1, "v2": 1})
    shipments, _ = plan(wanted, [far, twin])
    assert [s.location_id for s in shipments] == ["twin"]


def test_units_no_location_holds_are_left_unplanned() -> None:
    wanted = [("l1", "v1", 3), ("l2", "v2", 0)]
    shipments, unplanned = plan(wanted, [Site("a", 0, 0, {"v1": 1})])
    assert [s.lines for s in shipments] == [{"l1": 1}]
    assert unplanned == {"l1": 2}


VARIANTS = ["v1", "v2", "v3", "v4"]
lines = st.lists(
    st.tuples(st.sampled_from(VARIANTS), st.integers(min_value=0, max_value=6)),
    min_size=1,
    max_size=6,
)
sites = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=4),
        st.integers(min_value=0, max_value=100),
        st.dictionaries(st.sampled_from(VARIANTS), st.integers(min_value=0, max_value=8)),
    ),
    min_size=0,
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(lines, sites)
def test_a_plan_sends_only_what_is_held_never_twice_and_all_it_can(
    drawn_lines: list[tuple[str, int]], drawn_sites: list[tuple[int, int, dict[str, int]]]
) -> None:
    # given an order's lines (some of one variant) and locations holding some of its stock
    wanted = [(f"l{n}", variant, units) for n, (variant, units) in enumerate(drawn_lines)]
    places = [Site(f"s{n}", near, prio, stock) for n, (near, prio, stock) in enumerate(drawn_sites)]
    # when it is planned
    shipments, unplanned = plan(wanted, places)
    variant_of = {line_id: variant for line_id, variant, _ in wanted}
    # then each location sends no more of a variant than it holds
    for shipment in shipments:
        held = next(p for p in places if p.location_id == shipment.location_id).stock
        sent: dict[str, int] = {}
        for line_id, units in shipment.lines.items():
            assert units > 0
            sent[variant_of[line_id]] = sent.get(variant_of[line_id], 0) + units
        assert all(units <= held.get(variant, 0) for variant, units in sent.items())
    # and no location appears twice, no line's units are planned beyond what it wants
    assert len({s.location_id for s in shipments}) == len(shipments)
    planned: dict[str, int] = {}
    for shipment in shipments:
        for line_id, units in shipment.lines.items():
            planned[line_id] = planned.get(line_id, 0) + units
    for line_id, _, units in wanted:
        assert planned.get(line_id, 0) + unplanned.get(line_id, 0) == units
    # and nothing plannable is left: a variant left unplanned has no stock left anywhere
    left_over: dict[str, int] = {}
    for place in places:
        for variant, units in place.stock.items():
            left_over[variant] = left_over.get(variant, 0) + units
    for shipment in shipments:
        for line_id, units in shipment.lines.items():
            left_over[variant_of[line_id]] -= units
    for line_id in unplanned:
        assert left_over.get(variant_of[line_id], 0) == 0
    # and when one location holds everything, one shipment
    totals: dict[str, int] = {}
    for _, variant, units in wanted:
        totals[variant] = totals.get(variant, 0) + units
    whole = any(all(place.stock.get(v, 0) >= n for v, n in totals.items()) for place in places)
    if whole and any(totals.values()):
        assert len(shipments) == 1 and not unplanned


def test_lines_of_one_variant_share_a_locations_stock() -> None:
    # given two lines of the same variant, a near location holding one unit of it and a far
    # one holding both
    wanted = [("l1", "v1", 1), ("l2", "v1", 1)]
    near = Site("near", nearness=0, priority=0, stock={"v1": 1})
    far = Site("far", nearness=3, priority=0, stock={"v1": 2})
    # when planned / then the far one sends both (the near one's unit counts once, not twice)
    shipments, unplanned = plan(wanted, [near, far])
    assert [(s.location_id, s.lines) for s in shipments] == [("far", {"l1": 1, "l2": 1})]
    assert unplanned == {}
