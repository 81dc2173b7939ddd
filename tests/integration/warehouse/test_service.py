"""The warehouse's service, called as other agents, the demo and a warehouse system's
adapter call it: each command with the caller's unit of work. What the routes' schemas
already refuse (no lines, a negative count, two ways of packing at once) is refused here
too, and a refusal leaves every table as it was."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from decimal import Decimal

import pytest

from mercato.agents.inventory import service as inventory
from mercato.agents.warehouse import demo
from mercato.agents.warehouse import service as warehouse
from mercato.agents.warehouse.problems import (
    BinNotFound,
    CountStale,
    InvalidWarehouseRequest,
    OrderNotPickable,
)
from mercato.agents.warehouse.statuses import (
    CountStatus,
    PickListStatus,
    PurchaseOrderStatus,
    TaskKind,
    TaskStatus,
    ZoneKind,
)
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork
from tests.integration.warehouse.conftest import WarehouseShop


@asynccontextmanager
async def work(shop: WarehouseShop, *, commit: bool = True) -> AsyncIterator[UnitOfWork]:
    """A unit of work of the default store, committed when the block ends well."""
    with bind(tenant_id="default"):
        async with shop.kernel.uow() as uow:
            yield uow
            if commit:
                await uow.commit()


async def other_location(shop: WarehouseShop) -> str:
    async with work(shop) as uow:
        made = await inventory.create_location(
            uow, code="SHOP-2", name="High street", kind="store", now=shop.now()
        )
    return made.id


async def test_a_count_through_the_service_books_its_differences(shop: WarehouseShop) -> None:
    # given 5 tees put away in a bin of a storage zone
    tee = await shop.product(stock=5)
    location = await shop.main_location()
    async with work(shop) as uow:
        zone = await warehouse.create_zone(
            uow,
            location_id=location,
            code="STO",
            name="Storage",
            kind=ZoneKind.STORAGE,
            sequence=1,
            now=shop.now(),
        )
        made = await warehouse.create_bin(uow, zone_id=zone.id, code="A-01-1", now=shop.now())
        held = await warehouse.put_away(
            uow, location_id=location, sku=tee.sku, quantity=5, bin_id=made.bin.id, now=shop.now()
        )
    assert held.contents == [(tee.variant_id, 5)]

    # when the zone is counted (4 found), and the count completed
    async with work(shop) as uow:
        count = await warehouse.create_count(
            uow, location_id=location, zone_id=zone.id, now=shop.now()
        )
        recorded = await warehouse.record(
            uow,
            count_id=count.count.id,
            lines=[(made.bin.id, tee.variant_id, None, 4)],
            now=shop.now(),
        )
        done = await warehouse.complete(uow, count_id=count.count.id, now=shop.now())

    # then the line says 5 were expected and 4 found, and the bin and stock lost one
    assert [(x.expected, x.counted) for x in recorded.lines] == [(5, 4)]
    assert done.count.status is CountStatus.COMPLETED
    assert await shop.in_bin(made.bin.id) == {tee.variant_id: 4}
    assert await shop.stock_of(tee.variant_id) == 4
    async with work(shop, commit=False) as uow:
        listed = await warehouse.list_counts(uow)
        count_tasks = await warehouse.list_tasks(uow, kind=TaskKind.COUNT)
    assert [c.id for c in listed] == [count.count.id]
    assert [t.status for t in count_tasks] == [TaskStatus.DONE]


async def test_a_bin_emptied_since_it_was_counted_makes_the_count_stale(
    shop: WarehouseShop,
) -> None:
    # given 2 tees in a bin, counted as none, then picked for an order before completing
    tee = await shop.product(stock=2)
    bins = await shop.bins(await shop.zone("STO"), "A-01-1")
    await shop.put(tee.variant_id, bins["A-01-1"], 2)
    async with work(shop) as uow:
        count = await warehouse.create_count(
            uow, location_id=shop.location_id or "", bin_ids=[bins["A-01-1"]], now=shop.now()
        )
        await warehouse.record(
            uow,
            count_id=count.count.id,
            lines=[(bins["A-01-1"], tee.variant_id, None, 0)],
            now=shop.now(),
        )
    order = await shop.order([(tee.variant_id, 2)])
    made = await shop.ok("POST", "/pick-lists", {"order_ids": [order.id]})
    await shop.ok("POST", f"/pick-lists/{made['id']}/pick")
    before = await shop.footprint()

    # when the count is completed, then it is stale: nothing is booked
    with pytest.raises(CountStale) as stale:
        async with work(shop) as uow:
            await warehouse.complete(uow, count_id=count.count.id, now=shop.now())
    assert stale.value.code == "cycle_count_stale"
    assert await shop.footprint() == before
    assert await shop.in_bin(bins["A-01-1"]) == {}
    # and over HTTP it is a 409 with the same code
    answer = await shop.call("POST", f"/cycle-counts/{count.count.id}/complete")
    assert (answer.status_code, answer.json()["code"]) == (409, "cycle_count_stale")
    assert await shop.footprint() == before


async def test_a_bad_count_is_refused_by_the_service_and_nothing_changes(
    shop: WarehouseShop,
) -> None:
    # given an empty zone, a zone with a bin holding tees (with an open count), and a
    # zone at another location
    tee = await shop.product(stock=3)
    empty = await shop.zone("EMPTY")
    zone = await shop.zone("STO", sequence=2)
    bins = await shop.bins(zone, "A-01-1")
    await shop.put(tee.variant_id, bins["A-01-1"], 3)
    elsewhere = await other_location(shop)
    location = await shop.main_location()
    count = await shop.ok(
        "POST", "/cycle-counts", {"location_id": location, "bin_ids": [bins["A-01-1"]]}
    )
    before = await shop.footprint()

    # when counts are asked with neither zone nor bins, of a zone with no bins, of a zone
    # at another location, and lines recorded that are empty or negative
    now = shop.now()
    asks: list[Callable[[UnitOfWork], Awaitable[object]]] = [
        lambda uow: warehouse.create_count(uow, location_id=location, now=now),
        lambda uow: warehouse.create_count(uow, location_id=location, zone_id=empty["id"], now=now),
        lambda uow: warehouse.create_count(uow, location_id=elsewhere, zone_id=zone["id"], now=now),
        lambda uow: warehouse.record(uow, count_id=count["id"], lines=[], now=now),
        lambda uow: warehouse.record(
            uow, count_id=count["id"], lines=[(bins["A-01-1"], tee.variant_id, None, -1)], now=now
        ),
    ]
    for ask in asks:
        # then each is refused
        with pytest.raises(InvalidWarehouseRequest):
            async with work(shop) as uow:
                await ask(uow)
    # and nothing changed
    assert await shop.footprint() == before
    assert (await shop.ok("GET", f"/cycle-counts/{count['id']}"))["lines"][0]["counted"] is None


async def test_bins_are_found_by_what_they_hold(shop: WarehouseShop) -> None:
    # given two bins of a zone, one holding tees, and a zone with no bins
    tee = await shop.product(stock=4)
    zone = await shop.zone("STO")
    bins = await shop.bins(zone, "A-01-1", "A-02-1")
    await shop.put(tee.variant_id, bins["A-01-1"], 4)
    empty = await shop.zone("EMPTY", sequence=2)

    # when bins are listed by variant, and those of the empty zone
    async with work(shop, commit=False) as uow:
        holding = await warehouse.list_bins(uow, variant_id=tee.variant_id)
        none = await warehouse.list_bins(uow, zone_id=empty["id"])
        read = await warehouse.get_bin(uow, bins["A-01-1"])
    over_http = await shop.ok("GET", "/bins", variant_id=tee.variant_id)

    # then only the bin holding tees is listed, and the empty zone has none
    assert [v.bin.code for v in holding] == ["A-01-1"]
    assert [b["code"] for b in over_http["items"]] == ["A-01-1"]
    assert none == []
    assert read.contents == [(tee.variant_id, 4)]


async def test_an_unknown_bin_is_refused_and_nothing_changes(shop: WarehouseShop) -> None:
    tee = await shop.product(stock=2)
    await shop.bins(await shop.zone("STO"), "A-01-1")
    before = await shop.footprint()

    with pytest.raises(BinNotFound):
        async with work(shop) as uow:
            await warehouse.get_bin(uow, "nope")
    answer = await shop.call(
        "POST",
        "/putaway",
        {
            "location_id": shop.location_id,
            "variant_id": tee.variant_id,
            "quantity": 1,
            "bin_id": "nope",
        },
    )

    assert (answer.status_code, answer.json()["code"]) == (404, "bin_not_found")
    assert await shop.footprint() == before


async def test_purchase_orders_through_the_service(shop: WarehouseShop) -> None:
    # given two POs at the main location, and one at another
    tee = await shop.product(stock=None)
    location = await shop.main_location()
    elsewhere = await other_location(shop)
    async with work(shop) as uow:
        first = await warehouse.create_purchase_order(
            uow,
            number="PO-1",
            supplier_name="Acme",
            location_id=location,
            lines=[(tee.variant_id, None, 2), (None, tee.sku, 1)],
            now=shop.now(),
        )
        second = await warehouse.create_purchase_order(
            uow,
            number="PO-2",
            supplier_name="Acme",
            location_id=location,
            lines=[(tee.variant_id, None, 5)],
            now=shop.now(),
        )
        await warehouse.create_purchase_order(
            uow,
            number="PO-3",
            supplier_name="Acme",
            location_id=elsewhere,
            lines=[(tee.variant_id, None, 1)],
            now=shop.now(),
        )
    # then two lines naming the same variant make one
    assert [(x.sku, x.quantity_ordered) for x in first.lines] == [(tee.sku, 3)]

    # when the first is received in full, and the second's receive task is cancelled first
    async with work(shop) as uow:
        receipt = await warehouse.receive(
            uow, purchase_order_id=first.order.id, lines=[(tee.variant_id, None, 3)], now=shop.now()
        )
        [task] = await warehouse.list_tasks(uow, kind=TaskKind.RECEIVE, reference=second.order.id)
        await warehouse.act(uow, task_id=task.id, action="cancel", now=shop.now())
        cancelled = await warehouse.cancel_purchase_order(
            uow, purchase_order_id=second.order.id, now=shop.now()
        )

    # then the first is received, the second cancelled, and the lists filter by location
    assert receipt.lines[0]["received"] == 3
    assert cancelled.order.status is PurchaseOrderStatus.CANCELLED
    async with work(shop, commit=False) as uow:
        here = await warehouse.list_purchase_orders(uow, location_id=location)
        there = await warehouse.list_purchase_orders(uow, location_id=elsewhere)
        received = await warehouse.list_purchase_orders(uow, status=PurchaseOrderStatus.RECEIVED)
    assert [v.order.number for v in here] == ["PO-2", "PO-1"]
    assert [v.order.number for v in there] == ["PO-3"]
    assert [v.order.number for v in received] == ["PO-1"]
    over_http = await shop.ok("GET", "/purchase-orders", location_id=elsewhere)
    assert [p["number"] for p in over_http["items"]] == ["PO-3"]
    assert await shop.stock_of(tee.variant_id) == 3

    # when a receipt with no lines is booked against PO-3, then it is refused
    before = await shop.footprint()
    [third] = there
    with pytest.raises(InvalidWarehouseRequest):
        async with work(shop) as uow:
            await warehouse.receive(uow, purchase_order_id=third.order.id, lines=[], now=shop.now())
    assert await shop.footprint() == before


async def test_pick_lists_through_the_service(shop: WarehouseShop) -> None:
    # given 3 tees in a bin and an order of 2, and an order whose stock was given back
    tee = await shop.product(stock=5)
    bins = await shop.bins(await shop.zone("STO"), "A-01-1")
    await shop.put(tee.variant_id, bins["A-01-1"], 3)
    order = await shop.order([(tee.variant_id, 2)])
    released = await shop.order([(tee.variant_id, 1)])
    async with work(shop) as uow:
        await inventory.release(uow, reference=released.id, now=shop.now())
    before = await shop.footprint()

    # when a list is asked for no order, or for the order holding nothing, then it is refused
    with pytest.raises(InvalidWarehouseRequest):
        async with work(shop) as uow:
            await warehouse.create_pick_list(uow, order_ids=[], now=shop.now())
    with pytest.raises(OrderNotPickable):
        async with work(shop) as uow:
            await warehouse.create_pick_list(uow, order_ids=[released.id], now=shop.now())
    assert await shop.footprint() == before

    # when the other order is listed, its pick task cancelled, a unit picked and the
    # list cancelled
    async with work(shop) as uow:
        made = await warehouse.create_pick_list(uow, order_ids=[order.id], now=shop.now())
        [task] = await warehouse.list_tasks(uow, kind=TaskKind.PICK, reference=made.pick_list.id)
        await warehouse.act(uow, task_id=task.id, action="cancel", now=shop.now())
        [line] = made.lines
        picking = await warehouse.pick(
            uow, pick_list_id=made.pick_list.id, lines=[(line.id, 1)], now=shop.now()
        )
        status_after_pick = picking.pick_list.status
        cancelled = await warehouse.cancel_pick_list(
            uow, pick_list_id=made.pick_list.id, now=shop.now()
        )

    # then the unit picked stays out of its bin, and the list is cancelled
    assert status_after_pick is PickListStatus.PICKING
    assert cancelled.pick_list.status is PickListStatus.CANCELLED
    assert await shop.in_bin(bins["A-01-1"]) == {tee.variant_id: 2}
    async with work(shop, commit=False) as uow:
        lists = await warehouse.list_pick_lists(uow)
        read = await warehouse.get_pick_list(uow, made.pick_list.id)
    assert [p.id for p in lists] == [made.pick_list.id]
    assert [line.picked for line in read.lines] == [1]


async def test_putaway_through_the_service(shop: WarehouseShop) -> None:
    # given tees in one of two storage bins, a bin at another location, and a putaway task
    # already done
    tee = await shop.product(stock=6)
    bins = await shop.bins(await shop.zone("STO"), "A-01-1", "A-02-1")
    await shop.put(tee.variant_id, bins["A-01-1"], 2)
    location = await shop.main_location()
    elsewhere = await other_location(shop)
    async with work(shop) as uow:
        far = await warehouse.create_zone(
            uow,
            location_id=elsewhere,
            code="STO",
            name="Storage",
            kind=ZoneKind.STORAGE,
            sequence=1,
            now=shop.now(),
        )
        far_bin = await warehouse.create_bin(uow, zone_id=far.id, code="A-01-1", now=shop.now())
        task = warehouse.open_task(uow, kind=TaskKind.PUTAWAY, reference="R-1", now=shop.now())
        await warehouse.act(uow, task_id=task.id, action="cancel", now=shop.now())

    # when one suggestion is asked, then it is the bin holding tees (no empty one is sought)
    async with work(shop, commit=False) as uow:
        [best] = await warehouse.suggest(
            uow, location_id=location, variant_id=tee.variant_id, limit=1
        )
    assert (best.bin.code, best.reason, best.quantity) == ("A-01-1", "holds_variant", 2)

    # when 2 more are put away there under the cancelled task, then they are, the task
    # staying cancelled
    async with work(shop) as uow:
        held = await warehouse.put_away(
            uow,
            location_id=location,
            variant_id=tee.variant_id,
            quantity=2,
            task_id=task.id,
            now=shop.now(),
        )
        after = await warehouse.get_task(uow, task.id)
    assert held.contents == [(tee.variant_id, 4)]
    assert after.status is TaskStatus.CANCELLED

    # when no unit, or units into a bin of another location, are put away: refused
    before = await shop.footprint()
    for quantity, bin_id in ((0, bins["A-02-1"]), (1, far_bin.bin.id)):
        with pytest.raises(InvalidWarehouseRequest):
            async with work(shop) as uow:
                await warehouse.put_away(
                    uow,
                    location_id=location,
                    variant_id=tee.variant_id,
                    quantity=quantity,
                    bin_id=bin_id,
                    now=shop.now(),
                )
    assert await shop.footprint() == before


async def test_packing_through_the_service(shop: WarehouseShop) -> None:
    # given an order of 2 tees, on a list picked in full, and the store's own box
    tee = await shop.product(stock=5)
    order = await shop.order([(tee.variant_id, 2)])
    made = await shop.ok("POST", "/pick-lists", {"order_ids": [order.id]})
    await shop.ok("POST", f"/pick-lists/{made['id']}/pick")
    async with work(shop) as uow:
        box = await warehouse.create_box(
            uow,
            code="CUBE",
            name="Cube",
            length_mm=600,
            width_mm=600,
            height_mm=600,
            max_weight_grams=30000,
            tare_grams=500,
            cost=Decimal("0.10"),
            now=shop.now(),
        )

    # when the order, the list and loose items are packed
    async with work(shop) as uow:
        by_order = await warehouse.pack(uow, order_id=order.id, now=shop.now())
        by_list = await warehouse.pack(uow, pick_list_id=made["id"], now=shop.now())
        loose = await warehouse.pack(uow, items=[(tee.variant_id, 1)], now=shop.now())
        boxes = await warehouse.catalogue(uow)

    # then each goes in the store's box, and the list's pack task is done
    assert boxes == [warehouse.spec_of(box)]
    for packed, units in ((by_order, 2), (by_list, 2), (loose, 1)):
        [packing] = packed
        assert [(p["box_code"], p["items"][0]["quantity"]) for p in packing.packages] == [
            ("CUBE", units)
        ]
    assert by_list[0].order_id == order.id and by_list[0].pick_list_id == made["id"]
    tasks = await shop.ok("GET", "/tasks", kind="pack", reference=made["id"])
    assert [t["status"] for t in tasks["items"]] == ["done"]

    # when nothing, two things, no unit or too many units are packed: refused
    before = await shop.footprint()
    bad: list[dict[str, object]] = [
        {"items": []},
        {"items": [(tee.variant_id, 1)], "order_id": order.id},
        {"items": [(tee.variant_id, 0)]},
        {"items": [(tee.variant_id, 2001)]},
    ]
    for asked in bad:
        with pytest.raises(InvalidWarehouseRequest):
            async with work(shop) as uow:
                await warehouse.pack(uow, now=shop.now(), **asked)  # type: ignore[arg-type]
    assert await shop.footprint() == before


async def test_tasks_through_the_service(shop: WarehouseShop) -> None:
    # given an open task
    async with work(shop) as uow:
        task = warehouse.open_task(uow, kind=TaskKind.COUNT, reference="C-1", now=shop.now())
    before = await shop.footprint()

    # when an unknown action, or an assignment to nobody, is asked: refused, unchanged
    for action, assignee in (("finish", None), ("assign", None)):
        with pytest.raises(InvalidWarehouseRequest):
            async with work(shop) as uow:
                await warehouse.act(
                    uow, task_id=task.id, action=action, assignee=assignee, now=shop.now()
                )
    assert await shop.footprint() == before

    # when it is assigned, started and completed
    async with work(shop) as uow:
        await warehouse.act(uow, task_id=task.id, action="assign", assignee="bo", now=shop.now())
        await warehouse.act(uow, task_id=task.id, action="start", assignee="al", now=shop.now())
        done = await warehouse.act(uow, task_id=task.id, action="complete", now=shop.now())

    # then it is done, still Bo's
    assert (done.status, done.assignee) == (TaskStatus.DONE, "bo")


async def test_the_demo_lays_out_a_location_and_puts_its_stock_in_bins(
    shop: WarehouseShop,
) -> None:
    # given a location holding 7 tees and 3 caps
    tee = await shop.product(stock=7)
    cap = await shop.product(stock=3)
    location = await shop.main_location()

    # when the demo's warehouse is seeded, twice
    for _ in range(2):
        async with work(shop) as uow:
            await demo.seed(uow, location_ids=[location], now=shop.now())

    # then the location has its four zones once, the default boxes as the store's own, and
    # every unit in a storage bin
    zones = await shop.ok("GET", "/zones", location_id=location)
    assert [z["code"] for z in zones["items"]] == ["RCV", "FWD", "STO", "PACK"]
    boxes = await shop.ok("GET", "/boxes")
    assert [b["code"] for b in boxes["items"]] == [b.code for b in warehouse.DEFAULT_BOXES]
    assert not any(b["default"] for b in boxes["items"])
    tees = await shop.ok("GET", "/bins", variant_id=tee.variant_id)
    caps = await shop.ok("GET", "/bins", variant_id=cap.variant_id)
    assert [b["zone_code"] for b in tees["items"] + caps["items"]] == ["STO", "STO"]
    assert tees["items"][0]["contents"][0]["quantity"] == 7
    assert caps["items"][0]["contents"][0]["quantity"] == 3
    bins = await shop.ok("GET", "/bins", location_id=location, limit=200)
    assert len(bins["items"]) == 2 + 10 + 4 * 8 * 3
