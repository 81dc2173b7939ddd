"""Transfers, reorder points, levels and the ledger: both halves of a transfer change
together, `stock.low` fires once per fall, and the ledger pages newest first."""

from __future__ import annotations

import asyncio
from typing import Any

from mercato.agents.inventory.models import Movement, StockLevel, Transfer
from tests.integration.inventory.conftest import ADMIN_HEADERS, Shop, Stock, unique

# -- transfers ---------------------------------------------------------------------------


async def test_a_transfer_moves_units_and_creates_the_destination_row(shop: Shop) -> None:
    # given 8 units at a warehouse and none at a store
    sku, variant_id = await shop.variant()
    warehouse, store = await shop.location(), await shop.location()
    await shop.receive(sku, warehouse, 8)

    # when 3 are sent to the store
    answer = await shop.client.post(
        "/v1/inventory/transfers",
        json={
            "sku": sku,
            "from_location_id": warehouse,
            "to_location_id": store,
            "quantity": 3,
            "note": "restock",
        },
        headers=ADMIN_HEADERS,
    )

    # then both levels changed, the ledger has both halves, and one event tells it
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["from_level"]["on_hand"], body["to_level"]["on_hand"]) == (5, 3)
    assert await shop.ledger(variant_id, warehouse) == Stock(on_hand=5, reserved=0)
    assert await shop.ledger(variant_id, store) == Stock(on_hand=3, reserved=0)
    movements = await shop.client.get(
        "/v1/inventory/movements", params={"reference": body["id"]}, headers=ADMIN_HEADERS
    )
    assert sorted(m["kind"] for m in movements.json()["items"]) == ["transfer_in", "transfer_out"]
    transferred = await shop.events("stock.transferred")
    assert [(e["location_id"], e["to_location_id"], e["quantity"]) for e in transferred] == [
        (warehouse, store, 3)
    ]


async def test_a_refused_transfer_writes_nothing(shop: Shop) -> None:
    # given 2 units at a warehouse
    sku, variant_id = await shop.variant()
    warehouse, store = await shop.location(), await shop.location()
    await shop.receive(sku, warehouse, 2)
    before = await shop.footprint(Movement, StockLevel, Transfer)

    async def send(**body: Any) -> Any:
        body = {"sku": sku, "from_location_id": warehouse, "to_location_id": store, **body}
        return await shop.client.post("/v1/inventory/transfers", json=body, headers=ADMIN_HEADERS)

    # when more than there is, to the same place, or nothing at all is sent
    too_many = await send(quantity=3)
    same = await send(quantity=1, to_location_id=warehouse)
    nothing = await send(quantity=0)

    # then each is refused, and no row, movement, transfer or event was written
    assert (too_many.status_code, too_many.json()["code"]) == (409, "insufficient_stock")
    assert (same.status_code, same.json()["code"]) == (422, "same_location")
    assert nothing.status_code == 422
    assert await shop.footprint(Movement, StockLevel, Transfer) == before
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=2, reserved=0)


async def test_concurrent_transfers_both_ways_keep_the_total_and_never_go_negative(
    shop: Shop,
) -> None:
    # given 6 units at A and 6 at B
    sku, variant_id = await shop.variant()
    a, b = await shop.location(), await shop.location()
    await shop.receive(sku, a, 6)
    await shop.receive(sku, b, 6)

    # when 20 transfers of 1 race in each direction (rows locked in one order: no deadlock)
    async def send(source: str, target: str) -> int:
        answer = await shop.client.post(
            "/v1/inventory/transfers",
            json={"sku": sku, "from_location_id": source, "to_location_id": target, "quantity": 1},
            headers=ADMIN_HEADERS,
        )
        assert answer.status_code in {201, 409}, answer.text
        return answer.status_code

    await asyncio.gather(*(send(a, b) for _ in range(20)), *(send(b, a) for _ in range(20)))

    # then no unit was made or lost, neither side is negative, and the ledger agrees
    at_a, at_b = await shop.stock(variant_id, a), await shop.stock(variant_id, b)
    assert at_a.on_hand + at_b.on_hand == 12
    assert min(at_a.on_hand, at_b.on_hand) >= 0
    assert await shop.ledger(variant_id, a) == at_a
    assert await shop.ledger(variant_id, b) == at_b


# -- reorder points and stock.low --------------------------------------------------------


async def test_stock_low_is_published_once_per_fall(shop: Shop) -> None:
    # given 10 units with a reorder point of 4
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    level_id = (await shop.receive(sku, warehouse, 10))["level"]["id"]
    answer = await shop.client.patch(
        f"/v1/inventory/levels/{level_id}", json={"reorder_point": 4}, headers=ADMIN_HEADERS
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["reorder_point"] == 4

    async def sell(units: int) -> None:
        done = await shop.adjust(sku=sku, location_id=warehouse, delta=-units, reason="lost")
        assert done.status_code == 201, done.text

    # when stock falls to the point, then further below it
    await sell(6)
    await sell(2)
    # then one alert was published
    low = await shop.events("stock.low")
    assert [(e["available"], e["reorder_point"]) for e in low] == [(4, 4)]

    # when it is restocked above the point and falls again (through a reservation)
    await shop.receive(sku, warehouse, 10)  # 12 available
    held = await shop.client.post(
        "/v1/inventory/reservations",
        json={"reference": "big", "lines": [{"variant_id": variant_id, "quantity": 9}]},
        headers=ADMIN_HEADERS,
    )
    assert held.status_code == 201, held.text
    # then it alerts a second time, and the level lists as low
    low = await shop.events("stock.low")
    assert [e["available"] for e in low] == [4, 3]
    listed = await shop.client.get(
        "/v1/inventory/levels", params={"low": "true"}, headers=ADMIN_HEADERS
    )
    assert [item["id"] for item in listed.json()["items"]] == [level_id]


async def test_a_reorder_point_above_the_stock_alerts_at_once_and_can_be_cleared(
    shop: Shop,
) -> None:
    sku, _ = await shop.variant()
    warehouse = await shop.location()
    level_id = (await shop.receive(sku, warehouse, 3))["level"]["id"]
    # when the point is set above the stock, then it alerts at once
    await shop.client.patch(
        f"/v1/inventory/levels/{level_id}", json={"reorder_point": 5}, headers=ADMIN_HEADERS
    )
    assert len(await shop.events("stock.low")) == 1
    # when it is cleared, then the level is no longer low
    cleared = await shop.client.patch(
        f"/v1/inventory/levels/{level_id}", json={"reorder_point": None}, headers=ADMIN_HEADERS
    )
    assert cleared.json()["reorder_point"] is None
    assert cleared.json()["low_alerted"] is False
    refused = await shop.client.patch(
        f"/v1/inventory/levels/{level_id}", json={"reorder_point": -1}, headers=ADMIN_HEADERS
    )
    assert refused.status_code == 422
    missing = await shop.client.patch(
        "/v1/inventory/levels/nope", json={"reorder_point": 1}, headers=ADMIN_HEADERS
    )
    assert (missing.status_code, missing.json()["code"]) == (404, "stock_level_not_found")


# -- levels and the ledger ---------------------------------------------------------------


async def test_levels_are_filtered_and_totalled(shop: Shop) -> None:
    # given one SKU at two locations and another SKU at one
    skus = await shop.variants(unique("RED"), unique("BLUE"))
    red, blue = list(skus)
    north, south = await shop.location("NORTH"), await shop.location("SOUTH")
    await shop.receive(red, north, 5)
    await shop.receive(red, south, 7)
    await shop.receive(blue, north, 2)

    # when the levels of one SKU are asked for
    answer = await shop.client.get(
        "/v1/inventory/levels", params={"sku": red}, headers=ADMIN_HEADERS
    )

    # then both of its locations are listed with their codes, and totalled
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert sorted((i["location_code"], i["on_hand"]) for i in body["items"]) == [
        ("NORTH", 5),
        ("SOUTH", 7),
    ]
    assert body["totals"] == {"on_hand": 12, "reserved": 0, "available": 12}
    by_location = await shop.client.get(
        "/v1/inventory/levels", params={"location_id": north}, headers=ADMIN_HEADERS
    )
    assert by_location.json()["totals"]["on_hand"] == 7
    paged = await shop.client.get(
        "/v1/inventory/levels", params={"limit": 2}, headers=ADMIN_HEADERS
    )
    rest = await shop.client.get(
        "/v1/inventory/levels",
        params={"limit": 2, "cursor": paged.json()["next_cursor"]},
        headers=ADMIN_HEADERS,
    )
    ids = [i["id"] for i in paged.json()["items"] + rest.json()["items"]]
    assert len(ids) == len(set(ids)) == 3
    assert rest.json()["next_cursor"] is None


async def test_movements_are_listed_newest_first_page_by_page(shop: Shop) -> None:
    # given five receipts a minute apart
    sku, _ = await shop.variant()
    warehouse = await shop.location()
    for quantity in range(1, 6):
        await shop.receive(sku, warehouse, quantity)
        shop.clock.advance(minutes=1)

    # when the ledger is read two at a time
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"sku": sku, "kind": "adjustment", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = await shop.client.get(
            "/v1/inventory/movements", params=params, headers=ADMIN_HEADERS
        )
        assert page.status_code == 200, page.text
        seen += [m["on_hand_delta"] for m in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break

    # then every movement comes once, newest first
    assert seen == [5, 4, 3, 2, 1]
    bad = await shop.client.get(
        "/v1/inventory/movements", params={"cursor": "not-a-cursor"}, headers=ADMIN_HEADERS
    )
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_cursor")
