"""Cycle counts, and the whole road through the warehouse: a receipt against a PO, its
putaway, a pick list picked, then a count whose differences land in the bins and, as
adjustments with the reason `count`, in inventory's ledger."""

from __future__ import annotations

import pytest

from tests.integration.warehouse.conftest import WarehouseShop


async def test_receipt_putaway_pick_and_count_keep_bins_and_ledger_together(
    shop: WarehouseShop,
) -> None:
    # given a PO for 12 tees, received in full and put away in one bin
    tee = await shop.product(stock=None)
    location = await shop.main_location()
    zone = await shop.zone("STO")
    bins = await shop.bins(zone, "A-01-1", "A-02-1")
    po = await shop.ok(
        "POST",
        "/purchase-orders",
        {
            "number": "PO-77",
            "supplier_name": "Acme",
            "location_id": location,
            "lines": [{"sku": tee.sku, "quantity": 12}],
        },
    )
    receipt = await shop.ok(
        "POST",
        "/receipts",
        {"purchase_order_id": po["id"], "lines": [{"sku": tee.sku, "quantity": 12}]},
    )
    [task] = (await shop.ok("GET", "/tasks", kind="putaway", reference=receipt["id"]))["items"]
    await shop.ok(
        "POST",
        "/putaway",
        {
            "location_id": location,
            "variant_id": tee.variant_id,
            "quantity": 12,
            "bin_id": bins["A-01-1"],
            "task_id": task["id"],
        },
    )

    # and an order of 2 picked from it
    order = await shop.order([(tee.variant_id, 2)])
    made = await shop.ok("POST", "/pick-lists", {"order_ids": [order.id]})
    await shop.ok("POST", f"/pick-lists/{made['id']}/pick")
    assert await shop.in_bin(bins["A-01-1"]) == {tee.variant_id: 10}

    # when the zone is counted: 9 tees in A-01, and 1 stray tee found in A-02
    count = await shop.ok("POST", "/cycle-counts", {"location_id": location, "zone_id": zone["id"]})
    assert [(x["bin_code"], x["expected"], x["counted"]) for x in count["lines"]] == [
        ("A-01-1", 10, None)
    ]
    recorded = await shop.ok(
        "POST",
        f"/cycle-counts/{count['id']}/lines",
        {
            "lines": [
                {"bin_id": bins["A-01-1"], "variant_id": tee.variant_id, "counted": 9},
                {"bin_id": bins["A-02-1"], "sku": tee.sku, "counted": 1},
            ]
        },
    )
    assert sorted((x["bin_code"], x["difference"]) for x in recorded["lines"]) == [
        ("A-01-1", -1),
        ("A-02-1", 1),
    ]
    on_hand_before = await shop.stock_of(tee.variant_id)
    done = await shop.ok("POST", f"/cycle-counts/{count['id']}/complete")

    # then the bins say what was found, the count and its task are done
    assert done["status"] == "completed"
    assert await shop.in_bin(bins["A-01-1"]) == {tee.variant_id: 9}
    assert await shop.in_bin(bins["A-02-1"]) == {tee.variant_id: 1}
    tasks = await shop.ok("GET", "/tasks", kind="count", reference=count["id"])
    assert [t["status"] for t in tasks["items"]] == ["done"]
    # and inventory's ledger has an adjustment per difference, with the count's reason
    counted = [m for m in await shop.movements(tee.variant_id) if m.kind == "adjustment"]
    assert sorted(m.on_hand_delta for m in counted) == [-1, 1]
    assert {m.reason for m in counted} == {"count"}
    assert all(count["id"] in (m.note or "") for m in counted)
    assert await shop.stock_of(tee.variant_id) == on_hand_before  # -1 and +1


async def test_units_picked_while_a_count_is_open_are_not_adjusted_twice(
    shop: WarehouseShop,
) -> None:
    # given 10 tees in a bin, counted (10 found: no difference) while an order was open
    tee = await shop.product(stock=10)
    bins = await shop.bins(await shop.zone("STO"), "A-01-1")
    await shop.put(tee.variant_id, bins["A-01-1"], 10)
    count = await shop.ok(
        "POST", "/cycle-counts", {"location_id": shop.location_id, "bin_ids": [bins["A-01-1"]]}
    )
    await shop.ok(
        "POST",
        f"/cycle-counts/{count['id']}/lines",
        {"lines": [{"bin_id": bins["A-01-1"], "variant_id": tee.variant_id, "counted": 10}]},
    )

    # when 3 are picked before the count is completed
    order = await shop.order([(tee.variant_id, 3)])
    made = await shop.ok("POST", "/pick-lists", {"order_ids": [order.id]})
    await shop.ok("POST", f"/pick-lists/{made['id']}/pick")
    done = await shop.ok("POST", f"/cycle-counts/{count['id']}/complete")

    # then the count books nothing: the pick already left the bin, and is not undone
    assert done["lines"][0]["difference"] == 0
    assert await shop.in_bin(bins["A-01-1"]) == {tee.variant_id: 7}
    assert not [m for m in await shop.movements(tee.variant_id) if m.reason == "count"]


async def test_a_closed_or_bad_count_changes_nothing(shop: WarehouseShop) -> None:
    tee = await shop.product(stock=4)
    zone = await shop.zone("STO")
    bins = await shop.bins(zone, "A-01-1")
    other = await shop.bins(await shop.zone("DOCK", "receiving"), "R-01-1")
    await shop.put(tee.variant_id, bins["A-01-1"], 4)
    count = await shop.ok(
        "POST", "/cycle-counts", {"location_id": shop.location_id, "zone_id": zone["id"]}
    )
    path = f"/cycle-counts/{count['id']}"
    before = await shop.footprint()

    outside = await shop.call(
        "POST",
        f"{path}/lines",
        {"lines": [{"bin_id": other["R-01-1"], "variant_id": tee.variant_id, "counted": 1}]},
    )
    neither = await shop.call("POST", "/cycle-counts", {"location_id": shop.location_id})
    unknown_bin = await shop.call(
        "POST", "/cycle-counts", {"location_id": shop.location_id, "bin_ids": ["nope"]}
    )
    assert (outside.status_code, neither.status_code, unknown_bin.status_code) == (422, 422, 422)
    assert await shop.footprint() == before

    cancelled = await shop.ok("POST", f"{path}/cancel")
    assert cancelled["status"] == "cancelled"
    after_cancel = await shop.footprint()
    late = await shop.call("POST", f"{path}/complete")
    assert (late.status_code, late.json()["code"]) == (409, "cycle_count_closed")
    assert await shop.footprint() == after_cancel
    listed = await shop.ok("GET", "/cycle-counts", status="cancelled")
    assert [c["id"] for c in listed["items"]] == [count["id"]]
    assert (await shop.ok("GET", path))["status"] == "cancelled"
    assert (await shop.call("GET", "/cycle-counts/nope")).status_code == 404


@pytest.mark.parametrize("counted", [0])
async def test_a_count_below_what_orders_hold_is_refused_whole(
    shop: WarehouseShop, counted: int
) -> None:
    # given 2 tees in a bin, both reserved by an order
    tee = await shop.product(stock=2)
    bins = await shop.bins(await shop.zone("STO"), "A-01-1", "A-02-1")
    await shop.put(tee.variant_id, bins["A-01-1"], 2)
    await shop.order([(tee.variant_id, 2)])
    count = await shop.ok(
        "POST",
        "/cycle-counts",
        {"location_id": shop.location_id, "bin_ids": [bins["A-01-1"], bins["A-02-1"]]},
    )
    await shop.ok(
        "POST",
        f"/cycle-counts/{count['id']}/lines",
        {"lines": [{"bin_id": bins["A-01-1"], "variant_id": tee.variant_id, "counted": counted}]},
    )
    before = await shop.footprint()

    # when it is completed, then inventory refuses to go below what is reserved
    refused = await shop.call("POST", f"/cycle-counts/{count['id']}/complete")
    assert (refused.status_code, refused.json()["code"]) == (409, "insufficient_stock")
    assert await shop.footprint() == before
    assert await shop.in_bin(bins["A-01-1"]) == {tee.variant_id: 2}
