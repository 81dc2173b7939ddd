"""Locations and adjustments: every change is one conditional update with its movement,
stock never goes below zero, and refused input writes nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select

from mercato.agents.inventory.models import Location, Movement, StockLevel
from mercato.kernel.bus.models import OutboxRecord
from tests.integration.identity.conftest import ADMIN, add_store, in_store
from tests.integration.inventory.conftest import ADMIN_HEADERS, Shop, Stock

# -- locations ---------------------------------------------------------------------------


async def test_locations_are_created_listed_by_priority_and_updated(shop: Shop) -> None:
    # given two locations, the store drawn from first
    backroom = await shop.location("BACK", priority=20)
    shelf = await shop.location("SHELF", priority=10)

    # when they are listed, then the lower priority comes first
    listed = await shop.client.get("/v1/inventory/locations", headers=ADMIN_HEADERS)
    assert listed.status_code == 200, listed.text
    assert [loc["code"] for loc in listed.json()["items"]] == ["SHELF", "BACK"]
    # and a page of one is followed by the next
    first = await shop.client.get(
        "/v1/inventory/locations", params={"limit": 1}, headers=ADMIN_HEADERS
    )
    second = await shop.client.get(
        "/v1/inventory/locations",
        params={"limit": 1, "cursor": first.json()["next_cursor"]},
        headers=ADMIN_HEADERS,
    )
    assert [loc["code"] for loc in first.json()["items"]] == ["SHELF"]
    assert [loc["code"] for loc in second.json()["items"]] == ["BACK"]
    assert second.json()["next_cursor"] is None

    # when one is renamed, made a store and closed
    changed = await shop.client.patch(
        f"/v1/inventory/locations/{backroom}",
        json={"name": "Back room", "kind": "store", "active": False},
        headers=ADMIN_HEADERS,
    )
    # then the change is answered and kept
    assert changed.status_code == 200, changed.text
    assert changed.json()["id"] == backroom
    assert (changed.json()["name"], changed.json()["kind"], changed.json()["active"]) == (
        "Back room",
        "store",
        False,
    )
    open_only = await shop.client.get(
        "/v1/inventory/locations", params={"active": "true"}, headers=ADMIN_HEADERS
    )
    assert [loc["id"] for loc in open_only.json()["items"]] == [shelf]


async def test_a_location_code_is_used_once_per_store(shop: Shop) -> None:
    # given a location coded MAIN
    await shop.location("MAIN")
    before = await shop.footprint(Location)
    # when another is created with the same code, then it is refused and nothing is written
    answer = await shop.client.post(
        "/v1/inventory/locations",
        json={"code": "MAIN", "name": "Second main"},
        headers=ADMIN_HEADERS,
    )
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "location_code_taken"
    assert await shop.footprint(Location) == before


@pytest.mark.parametrize(
    "body",
    [
        {"code": "bad code", "name": "x"},
        {"code": "OK", "name": ""},
        {"code": "OK", "name": "x", "kind": "garage"},
        {"code": "OK", "name": "x", "priority": -1},
        {"code": "OK", "name": "x", "priority": "1"},
    ],
)
async def test_an_invalid_location_is_refused(shop: Shop, body: dict[str, Any]) -> None:
    before = await shop.footprint(Location)
    answer = await shop.client.post("/v1/inventory/locations", json=body, headers=ADMIN_HEADERS)
    assert answer.status_code == 422, answer.text
    assert await shop.footprint(Location) == before


async def test_another_stores_location_is_not_found_and_the_attempt_is_recorded(
    shop: Shop,
) -> None:
    # given a location of the default store, and a second store
    location = await shop.location()
    await add_store(shop.kernel, "shop-b")
    # when the second store's admin tries to change it
    answer = await shop.client.patch(
        f"/v1/inventory/locations/{location}",
        json={"name": "Mine now"},
        headers=in_store("shop-b", ADMIN),
    )
    # then it does not exist for them, the location is untouched, and the try is recorded
    assert (answer.status_code, answer.json()["code"]) == (404, "location_not_found")
    listed = await shop.client.get("/v1/inventory/locations", headers=ADMIN_HEADERS)
    assert [loc["name"] for loc in listed.json()["items"]] == ["Warehouse"]
    async with shop.uow(writes=False) as uow:
        recorded = await uow.session.scalars(
            select(OutboxRecord).where(OutboxRecord.type == "security.violation")
        )
        assert [(r.tenant_id, r.payload["kind"]) for r in recorded] == [
            ("shop-b", "cross_tenant_access")
        ]


async def test_opening_or_closing_a_location_announces_the_variants_stocked_there(
    shop: Shop,
) -> None:
    """Closing a location takes its stock out of what is sellable (and opening it puts it
    back), so `inventory.location_changed` names the variants with stock rows there, for the
    catalog to refresh their availability; a change that leaves `active` alone says nothing."""
    # given two variants stocked at a warehouse, and a third stocked only elsewhere
    skus = await shop.variants("HERE-A", "HERE-B", "ELSEWHERE")
    warehouse = await shop.location()
    other = await shop.location()
    await shop.receive("HERE-A", warehouse, 5)
    await shop.receive("HERE-B", warehouse, 1)
    await shop.receive("ELSEWHERE", other, 7)
    stocked_here = sorted([skus["HERE-A"], skus["HERE-B"]])

    async def patch(body: dict[str, Any]) -> None:
        answer = await shop.client.patch(
            f"/v1/inventory/locations/{warehouse}", json=body, headers=ADMIN_HEADERS
        )
        assert answer.status_code == 200, answer.text

    async def announced() -> list[tuple[str, dict[str, Any]]]:
        async with shop.uow(writes=False) as uow:
            rows = await uow.session.scalars(
                select(OutboxRecord)
                .where(OutboxRecord.type == "inventory.location_changed")
                .order_by(OutboxRecord.seq)
            )
            return [(r.aggregate_id, dict(r.payload)) for r in rows]

    # when it is renamed and re-prioritised, then nothing is announced
    await patch({"name": "Renamed", "priority": 3, "active": True})
    assert await announced() == []

    # when it is closed (twice: the second changes nothing)
    await patch({"active": False})
    await patch({"active": False, "name": "Closed"})
    # then one event names the location and its variants
    closed = {"location_id": warehouse, "active": False, "variant_ids": stocked_here}
    assert await announced() == [(warehouse, closed)]

    # when it is opened again, then a second event says so
    await patch({"active": True})
    opened = {"location_id": warehouse, "active": True, "variant_ids": stocked_here}
    assert await announced() == [(warehouse, closed), (warehouse, opened)]


async def test_an_unknown_location_is_not_found(shop: Shop) -> None:
    answer = await shop.client.patch(
        "/v1/inventory/locations/nope", json={"name": "x"}, headers=ADMIN_HEADERS
    )
    assert answer.status_code == 404
    assert answer.json()["code"] == "location_not_found"


# -- adjustments -------------------------------------------------------------------------


async def test_the_first_receipt_creates_the_stock_row_and_writes_the_ledger(shop: Shop) -> None:
    # given a variant never stocked
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()

    # when 12 units are received (named by SKU), then 2 written off as damaged (by variant id)
    received = await shop.receive(sku, warehouse, 12)
    damaged = await shop.adjust(
        variant_id=variant_id, location_id=warehouse, delta=-2, reason="damaged", note="wet box"
    )

    # then the level and movements say so
    assert received["level"]["on_hand"] == 12
    assert received["movement"]["on_hand_delta"] == 12
    assert received["movement"]["reason"] == "received"
    assert damaged.status_code == 201, damaged.text
    body = damaged.json()
    assert (body["level"]["sku"], body["level"]["on_hand"], body["level"]["available"]) == (
        sku,
        10,
        10,
    )
    assert body["movement"]["note"] == "wet box"
    assert body["movement"]["actor"] == "bootstrap-admin"
    assert await shop.ledger(variant_id, warehouse) == Stock(on_hand=10, reserved=0)
    adjusted = await shop.events("stock.adjusted")
    assert [(e["quantity"], e["reason"], e["on_hand"]) for e in adjusted] == [
        (12, "received", 12),
        (-2, "damaged", 10),
    ]


async def test_concurrent_first_receipts_make_one_row_holding_them_all(shop: Shop) -> None:
    # given a variant never stocked at a location
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    # when 20 receipts of 1 unit arrive at once, each wanting to create the row
    answers = await asyncio.gather(
        *(shop.adjust(sku=sku, location_id=warehouse, delta=1) for _ in range(20))
    )
    # then all succeed into one row that holds the 20 units
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["level"]["id"] for a in answers}) == 1
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=20, reserved=0)
    assert await shop.ledger(variant_id, warehouse) == Stock(on_hand=20, reserved=0)


async def test_a_count_sets_on_hand_and_records_the_difference(shop: Shop) -> None:
    # given 10 units on the books
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    await shop.receive(sku, warehouse, 10)
    # when a count finds 7
    counted = await shop.adjust(sku=sku, location_id=warehouse, counted=7, reason="count")
    # then on hand is 7 and the ledger records -3
    assert counted.status_code == 201, counted.text
    assert counted.json()["movement"]["on_hand_delta"] == -3
    assert counted.json()["level"]["on_hand"] == 7
    assert await shop.ledger(variant_id, warehouse) == Stock(on_hand=7, reserved=0)


async def test_a_decrease_beyond_available_stock_is_refused_and_writes_nothing(
    shop: Shop,
) -> None:
    # given 5 units of which 3 are reserved
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    await shop.receive(sku, warehouse, 5)
    held = await shop.client.post(
        "/v1/inventory/reservations",
        json={"reference": "r1", "lines": [{"variant_id": variant_id, "quantity": 3}]},
        headers=ADMIN_HEADERS,
    )
    assert held.status_code == 201, held.text
    before = await shop.footprint(Movement, StockLevel)

    # when 3 are written off (only 2 are available), or a count finds fewer than reserved
    lost = await shop.adjust(sku=sku, location_id=warehouse, delta=-3, reason="lost")
    counted = await shop.adjust(sku=sku, location_id=warehouse, counted=2, reason="count")

    # then both are refused and nothing changed
    assert lost.status_code == 409, lost.text
    assert lost.json()["code"] == "insufficient_stock"
    assert lost.json()["lines"] == [{"variant_id": variant_id, "requested": 3, "available": 2}]
    assert counted.status_code == 409, counted.text
    assert counted.json()["code"] == "count_below_reserved"
    assert await shop.footprint(Movement, StockLevel) == before
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=5, reserved=3)


async def test_adjusting_unknown_things_is_not_found_and_writes_nothing(shop: Shop) -> None:
    sku, _ = await shop.variant()
    warehouse = await shop.location()
    before = await shop.footprint(Movement, StockLevel)
    unknown_sku = await shop.adjust(sku="NO-SUCH-SKU", location_id=warehouse, delta=1)
    unknown_variant = await shop.adjust(variant_id="no-such-id", location_id=warehouse, delta=1)
    unknown_location = await shop.adjust(sku=sku, location_id="nowhere", delta=1)
    never_stocked = await shop.adjust(sku=sku, location_id=warehouse, delta=-1, reason="lost")
    assert [r.json()["code"] for r in (unknown_sku, unknown_variant, unknown_location)] == [
        "unknown_variant",
        "unknown_variant",
        "location_not_found",
    ]
    assert never_stocked.json()["code"] == "insufficient_stock"
    assert await shop.footprint(Movement, StockLevel) == before


@pytest.mark.parametrize(
    "change",
    [
        {"delta": 0},
        {"delta": "5"},
        {"delta": 2.5},
        {"delta": 1_000_001},
        {"delta": -1_000_001},
        {"delta": 1, "counted": 1},
        {},
        {"counted": -1, "reason": "count"},
        {"counted": 3, "reason": "received"},
        {"delta": 1, "reason": "gift"},
        {"delta": 1, "sku": None},
        {"delta": 1, "variant_id": "also-named"},
        {"delta": 1, "colour": "red"},
    ],
)
async def test_a_malformed_adjustment_is_refused_and_writes_nothing(
    shop: Shop, change: dict[str, Any]
) -> None:
    sku, _ = await shop.variant()
    warehouse = await shop.location()
    before = await shop.footprint(Movement, StockLevel)
    answer = await shop.adjust(**{"sku": sku, "location_id": warehouse, **change})
    assert answer.status_code == 422, answer.text
    assert await shop.footprint(Movement, StockLevel) == before


async def test_concurrent_write_offs_never_take_stock_below_zero(shop: Shop) -> None:
    # given 10 units
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    await shop.receive(sku, warehouse, 10)

    # when 30 clerks each write off 1 at the same moment
    answers = await asyncio.gather(
        *(shop.adjust(sku=sku, location_id=warehouse, delta=-1, reason="lost") for _ in range(30))
    )

    # then 10 succeed, 20 are refused, and the stock is exactly empty
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] * 10 + [409] * 20
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=0, reserved=0)
    assert await shop.ledger(variant_id, warehouse) == Stock(on_hand=0, reserved=0)
