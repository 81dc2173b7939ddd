"""Putaway: the suggested bin is a storage bin already holding the variant, else the first
empty storage bin along the walk; units put away must be in the location and in no bin."""

from __future__ import annotations

from tests.integration.warehouse.conftest import WarehouseShop


async def test_suggestions_prefer_a_bin_holding_the_variant_then_empty_ones_in_walk_order(
    shop: WarehouseShop,
) -> None:
    # given storage bins in two aisles, a receiving dock, and 10 tees in stock
    tee = await shop.product(stock=10)
    storage = await shop.zone("STO", "storage", sequence=2)
    dock = await shop.zone("DOCK", "receiving", sequence=0)
    bins = await shop.bins(storage, "A-01-1", "A-02-1", "B-01-1")
    await shop.bins(dock, "R-01-1")

    # when suggestions are asked before anything is put away
    first = await shop.ok("GET", "/putaway/suggestions", location_id=shop.location_id, sku=tee.sku)
    # then the empty storage bins come in walk order (never the dock)
    assert [(s["bin_code"], s["reason"]) for s in first["items"]] == [
        ("A-01-1", "empty"),
        ("A-02-1", "empty"),
        ("B-01-1", "empty"),
    ]

    # when 4 tees are put away with no bin named, then they go to the first suggestion
    held = await shop.ok(
        "POST",
        "/putaway",
        {"location_id": shop.location_id, "variant_id": tee.variant_id, "quantity": 4},
    )
    assert held["code"] == "A-01-1"
    assert held["contents"] == [{"variant_id": tee.variant_id, "sku": tee.sku, "quantity": 4}]

    # and the bin holding tees is now suggested first
    second = await shop.ok(
        "GET",
        "/putaway/suggestions",
        location_id=shop.location_id,
        variant_id=tee.variant_id,
        limit=2,
    )
    assert [(s["bin_code"], s["reason"], s["quantity"]) for s in second["items"]] == [
        ("A-01-1", "holds_variant", 4),
        ("A-02-1", "empty", 0),
    ]
    assert await shop.in_bin(bins["A-01-1"]) == {tee.variant_id: 4}


async def test_a_putaway_finishes_its_task(shop: WarehouseShop) -> None:
    tee = await shop.product(stock=3)
    storage = await shop.zone("STO")
    bins = await shop.bins(storage, "A-01-1")
    task = await shop.ok("POST", "/tasks", {"kind": "putaway", "reference": "delivery-1"})
    body = {
        "location_id": shop.location_id,
        "sku": tee.sku,
        "quantity": 3,
        "bin_id": bins["A-01-1"],
        "task_id": task["id"],
    }
    await shop.ok("POST", "/putaway", body)
    done = await shop.ok("GET", "/tasks", reference="delivery-1")
    assert [t["status"] for t in done["items"]] == ["done"]


async def test_more_units_than_are_in_no_bin_are_refused(shop: WarehouseShop) -> None:
    # given 5 tees in stock, 3 already in a bin
    tee = await shop.product(stock=5)
    storage = await shop.zone("STO")
    bins = await shop.bins(storage, "A-01-1", "A-02-1")
    await shop.put(tee.variant_id, bins["A-01-1"], 3)
    before = await shop.footprint()

    # when 3 more are put away (only 2 are in no bin)
    answer = await shop.call(
        "POST",
        "/putaway",
        {
            "location_id": shop.location_id,
            "variant_id": tee.variant_id,
            "quantity": 3,
            "bin_id": bins["A-02-1"],
        },
    )

    # then 409, saying how many are unlocated, and nothing moved
    assert answer.status_code == 409
    assert (answer.json()["code"], answer.json()["unlocated"]) == ("more_than_unlocated", 2)
    assert await shop.footprint() == before
    assert await shop.in_bin(bins["A-02-1"]) == {}


async def test_a_putaway_with_no_storage_bin_or_a_wrong_task_is_refused(
    shop: WarehouseShop,
) -> None:
    tee = await shop.product(stock=5)
    dock = await shop.zone("DOCK", "receiving")
    bins = await shop.bins(dock, "R-01-1")
    task = await shop.ok("POST", "/tasks", {"kind": "pick"})
    before = await shop.footprint()

    nowhere = await shop.call(
        "POST",
        "/putaway",
        {"location_id": shop.location_id, "variant_id": tee.variant_id, "quantity": 1},
    )
    wrong_task = await shop.call(
        "POST",
        "/putaway",
        {
            "location_id": shop.location_id,
            "variant_id": tee.variant_id,
            "quantity": 1,
            "bin_id": bins["R-01-1"],
            "task_id": task["id"],
        },
    )

    assert (nowhere.status_code, nowhere.json()["code"]) == (409, "no_free_bin")
    assert (wrong_task.status_code, wrong_task.json()["code"]) == (422, "invalid_warehouse_request")
    assert await shop.footprint() == before


async def test_a_variant_named_twice_or_not_at_all_is_refused(shop: WarehouseShop) -> None:
    # given tees in stock and a storage bin
    tee = await shop.product(stock=2)
    bins = await shop.bins(await shop.zone("STO"), "A-01-1")
    before = await shop.footprint()

    # when a putaway names the variant both by id and SKU, or by neither
    body = {"location_id": shop.location_id, "quantity": 1, "bin_id": bins["A-01-1"]}
    both = await shop.call(
        "POST", "/putaway", {**body, "variant_id": tee.variant_id, "sku": tee.sku}
    )
    neither = await shop.call("POST", "/putaway", body)

    # then both are 422, and nothing moved
    assert (both.status_code, neither.status_code) == (422, 422)
    assert await shop.footprint() == before
    assert await shop.in_bin(bins["A-01-1"]) == {}
