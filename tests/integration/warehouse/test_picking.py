"""Pick lists: the orders' reserved units assigned to the bins holding them, in walk order,
grouped per bin with a tote per order; units no bin holds listed last, unlocated. Picking
takes the units out of their bins; an order not confirmed, already listed, or an over-pick
changes nothing."""

from __future__ import annotations

from tests.integration.warehouse.conftest import WarehouseShop


async def test_a_batch_pick_list_walks_the_bins_and_splits_units_per_tote(
    shop: WarehouseShop,
) -> None:
    # given tees in two bays of aisle B (walked back down, the second aisle visited), caps in
    # a forward picking zone walked first, and mugs in stock but in no bin
    tee = await shop.product(stock=20)
    cap = await shop.product(stock=20)
    mug = await shop.product(stock=20)
    storage = await shop.zone("STO", sequence=2)
    front = await shop.zone("FWD", "picking", sequence=1)
    bins = await shop.bins(storage, "B-01-1", "B-05-1")
    bins |= await shop.bins(front, "P-01-1")
    await shop.put(tee.variant_id, bins["B-01-1"], 2)
    await shop.put(tee.variant_id, bins["B-05-1"], 10)
    await shop.put(cap.variant_id, bins["P-01-1"], 10)

    # and two confirmed orders: 3 tees + 1 cap, then 1 tee + 1 mug
    first = await shop.order([(tee.variant_id, 3), (cap.variant_id, 1)])
    second = await shop.order([(tee.variant_id, 1), (mug.variant_id, 1)])

    # when a pick list is made for both
    made = await shop.ok("POST", "/pick-lists", {"order_ids": [first.id, second.id]})

    # then the walk goes to the forward zone first, then down aisle B from the back, where
    # bay 5 comes before bay 1: both orders' tees are taken there, a tote each
    stops = [(s["bin_code"], s["sku"], s["quantity"]) for s in made["stops"]]
    assert stops == [("P-01-1", cap.sku, 1), ("B-05-1", tee.sku, 4), (None, mug.sku, 1)]
    tees = made["stops"][1]["totes"]
    assert [(t["order_number"], t["tote"], t["quantity"]) for t in tees] == [
        (first.number, 1, 3),
        (second.number, 2, 1),
    ]
    # and the mug, in no bin, is listed last as unlocated rather than dropped
    assert made["stops"][-1]["unlocated"] is True
    assert made["status"] == "open"
    tasks = await shop.ok("GET", "/tasks", kind="pick", reference=made["id"])
    assert [t["status"] for t in tasks["items"]] == ["open"]

    # when one tote's tees are picked, then they leave the bin and the list is being picked
    line = tees[0]["line_id"]
    picking = await shop.ok(
        "POST", f"/pick-lists/{made['id']}/pick", {"lines": [{"line_id": line, "quantity": 3}]}
    )
    assert picking["status"] == "picking"
    assert await shop.in_bin(bins["B-05-1"]) == {tee.variant_id: 7}

    # when everything else is picked, then the list is picked, its pick task done and a
    # pack task open
    picked = await shop.ok("POST", f"/pick-lists/{made['id']}/pick")
    assert picked["status"] == "picked"
    assert all(s["picked"] == s["quantity"] for s in picked["stops"])
    assert await shop.in_bin(bins["P-01-1"]) == {cap.variant_id: 9}
    done = await shop.ok("GET", "/tasks", reference=made["id"])
    assert sorted((t["kind"], t["status"]) for t in done["items"]) == [
        ("pack", "open"),
        ("pick", "done"),
    ]
    listed = await shop.ok("GET", "/pick-lists", status="picked")
    assert [p["id"] for p in listed["items"]] == [made["id"]]
    assert (await shop.ok("GET", f"/pick-lists/{made['id']}"))["stops"] == picked["stops"]


async def test_units_promised_to_an_open_list_are_not_promised_again(shop: WarehouseShop) -> None:
    # given 2 tees in a bin and 3 in stock with no bin
    tee = await shop.product(stock=5)
    bins = await shop.bins(await shop.zone("STO"), "A-01-1")
    await shop.put(tee.variant_id, bins["A-01-1"], 2)
    first = await shop.order([(tee.variant_id, 2)])
    second = await shop.order([(tee.variant_id, 1)])
    await shop.ok("POST", "/pick-lists", {"order_ids": [first.id]})

    # when the second order is listed, then its tee is unlocated: the bin's two are the first's
    made = await shop.ok("POST", "/pick-lists", {"order_ids": [second.id]})
    assert [(s["bin_code"], s["quantity"]) for s in made["stops"]] == [(None, 1)]


async def test_orders_that_cannot_be_picked_are_refused_and_nothing_changes(
    shop: WarehouseShop,
) -> None:
    # given a confirmed order on an open pick list, and an order not confirmed
    tee = await shop.product(stock=5)
    listed = await shop.order([(tee.variant_id, 1)])
    pending = await shop.order([(tee.variant_id, 1)], confirm=False)
    await shop.ok("POST", "/pick-lists", {"order_ids": [listed.id]})
    before = await shop.footprint()

    # when they are listed (and an order that does not exist)
    again = await shop.call("POST", "/pick-lists", {"order_ids": [listed.id]})
    unconfirmed = await shop.call("POST", "/pick-lists", {"order_ids": [pending.id]})
    unknown = await shop.call("POST", "/pick-lists", {"order_ids": ["no-such-order"]})

    # then each is refused with its reason, and nothing was written
    assert (again.status_code, again.json()["code"]) == (409, "order_not_pickable")
    assert again.json()["order_ids"] == [listed.id]
    assert (unconfirmed.status_code, unconfirmed.json()["code"]) == (409, "order_not_pickable")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "order_not_found")
    assert await shop.footprint() == before


async def test_an_over_pick_or_an_emptied_bin_changes_nothing(shop: WarehouseShop) -> None:
    # given an order of 2 tees listed from a bin
    tee = await shop.product(stock=4)
    bins = await shop.bins(await shop.zone("STO"), "A-01-1")
    await shop.put(tee.variant_id, bins["A-01-1"], 2)
    order = await shop.order([(tee.variant_id, 2)])
    made = await shop.ok("POST", "/pick-lists", {"order_ids": [order.id]})
    line = made["stops"][0]["totes"][0]["line_id"]
    path = f"/pick-lists/{made['id']}/pick"
    before = await shop.footprint()

    # when 3 are picked from the line of 2, or a line of another list
    over = await shop.call("POST", path, {"lines": [{"line_id": line, "quantity": 3}]})
    stranger = await shop.call("POST", path, {"lines": [{"line_id": "nope", "quantity": 1}]})

    # then both are refused
    assert (over.status_code, over.json()["code"]) == (409, "over_pick")
    assert (stranger.status_code, stranger.json()["code"]) == (404, "pick_line_not_found")
    assert await shop.footprint() == before

    # when the bin is emptied by a count before the pick, then the pick is refused
    count = await shop.ok(
        "POST", "/cycle-counts", {"location_id": shop.location_id, "bin_ids": [bins["A-01-1"]]}
    )
    await shop.ok(
        "POST",
        f"/cycle-counts/{count['id']}/lines",
        {"lines": [{"bin_id": bins["A-01-1"], "variant_id": tee.variant_id, "counted": 1}]},
    )
    await shop.ok("POST", f"/cycle-counts/{count['id']}/complete")
    short = await shop.call("POST", path)
    assert (short.status_code, short.json()["code"]) == (409, "bin_short")
    assert (await shop.ok("GET", f"/pick-lists/{made['id']}"))["status"] == "open"


async def test_a_cancelled_list_frees_its_orders(shop: WarehouseShop) -> None:
    tee = await shop.product(stock=4)
    order = await shop.order([(tee.variant_id, 1)])
    made = await shop.ok("POST", "/pick-lists", {"order_ids": [order.id]})
    cancelled = await shop.ok("POST", f"/pick-lists/{made['id']}/cancel")
    assert cancelled["status"] == "cancelled"
    closed = await shop.call("POST", f"/pick-lists/{made['id']}/pick")
    assert (closed.status_code, closed.json()["code"]) == (409, "pick_list_closed")
    assert (await shop.call("POST", f"/pick-lists/{made['id']}/cancel")).status_code == 409
    tasks = await shop.ok("GET", "/tasks", reference=made["id"])
    assert [t["status"] for t in tasks["items"]] == ["cancelled"]
    again = await shop.ok("POST", "/pick-lists", {"order_ids": [order.id]})
    assert again["order_ids"] == [order.id]
    assert (await shop.call("GET", "/pick-lists/nope")).status_code == 404
