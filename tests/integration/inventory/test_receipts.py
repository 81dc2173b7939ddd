"""Bulk goods receipts: a delivery of many lines is booked in at once — every stock row
created or added to, one ledger line per variant, ONE `stock.received` event — or, when
anything is wrong with it, nothing at all."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest
from sqlalchemy import select, update

from mercato.agents.inventory import service as inventory
from mercato.agents.inventory import stock as stock_rows
from mercato.agents.inventory.errors import InvalidStockRequest
from mercato.agents.inventory.models import Movement, StockLevel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.context import bind
from tests.integration.inventory.conftest import ADMIN_HEADERS, TENANT, Shop, Stock, unique


async def test_a_receipt_of_many_lines_stocks_every_variant_with_one_event(shop: Shop) -> None:
    # given 30 variants, the first 10 already holding 5 units at the warehouse
    skus = [unique("RCV") for _ in range(30)]
    ids = await shop.variants(*skus)
    warehouse = await shop.location()
    for sku in skus[:10]:
        await shop.receive(sku, warehouse, 5)
    adjusted_before = len(await shop.events("stock.adjusted"))

    # when a delivery brings n + 1 units of the n-th variant (every third named by its
    # variant id, the others by SKU), plus two more lines of the first variant
    lines: list[dict[str, Any]] = [
        {"variant_id": ids[sku], "quantity": n + 1}
        if n % 3 == 0
        else {"sku": sku, "quantity": n + 1}
        for n, sku in enumerate(skus)
    ]
    lines += [{"sku": skus[0], "quantity": 100}, {"variant_id": ids[skus[0]], "quantity": 1000}]
    answer = await shop.receipt(warehouse, lines, reference="PO-1001", note="pallet 7")

    # then each variant is answered once, its lines summed, with the stock it now holds
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["reference"], body["location_id"]) == ("PO-1001", warehouse)
    received = {sku: n + 1 + (1100 if n == 0 else 0) for n, sku in enumerate(skus)}
    on_hand = {sku: received[sku] + (5 if n < 10 else 0) for n, sku in enumerate(skus)}
    assert [(line["sku"], line["variant_id"]) for line in body["lines"]] == [
        (sku, ids[sku]) for sku in skus
    ]
    assert [(line["quantity"], line["on_hand"], line["available"]) for line in body["lines"]] == [
        (received[sku], on_hand[sku], on_hand[sku]) for sku in skus
    ]
    # and the rows hold it, the ledger sums to it, one `receipt` movement per variant
    for sku in skus:
        assert await shop.stock(ids[sku], warehouse) == Stock(on_hand=on_hand[sku], reserved=0)
        assert await shop.ledger(ids[sku], warehouse) == Stock(on_hand=on_hand[sku], reserved=0)
    movements = await shop.client.get(
        "/v1/inventory/movements",
        params={"kind": "receipt", "reference": "PO-1001"},
        headers=ADMIN_HEADERS,
    )
    items = movements.json()["items"]
    assert sorted(m["sku"] for m in items) == sorted(skus)
    assert {(m["reason"], m["note"], m["actor"]) for m in items} == {
        ("received", "pallet 7", "bootstrap-admin")
    }
    # and ONE event announces the whole receipt, with no per-line `stock.adjusted`
    (event,) = await shop.events("stock.received")
    assert (event["reference"], event["location_id"]) == ("PO-1001", warehouse)
    assert event["lines"] == [
        {"variant_id": ids[sku], "sku": sku, "quantity": received[sku]} for sku in skus
    ]
    assert len(await shop.events("stock.adjusted")) == adjusted_before


async def test_a_receipt_without_a_reference_is_given_one(shop: Shop) -> None:
    # given a variant and a warehouse
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()

    # when a delivery arrives with no reference
    answer = await shop.receipt(warehouse, [{"sku": sku, "quantity": 4}])

    # then it gets a new one, shared by its ledger line and its event (the event's aggregate)
    assert answer.status_code == 201, answer.text
    reference = answer.json()["reference"]
    assert reference
    movements = await shop.client.get(
        "/v1/inventory/movements", params={"reference": reference}, headers=ADMIN_HEADERS
    )
    assert [(m["variant_id"], m["on_hand_delta"]) for m in movements.json()["items"]] == [
        (variant_id, 4)
    ]
    async with shop.uow(writes=False) as uow:
        (record,) = await uow.session.scalars(
            select(OutboxRecord).where(OutboxRecord.type == "stock.received")
        )
    assert (record.aggregate_id, record.payload["reference"]) == (reference, reference)


async def test_the_largest_receipt_is_1000_lines_and_its_repeated_lines_are_summed(
    shop: Shop,
) -> None:
    # given 10 variants
    skus = [unique("BIG") for _ in range(10)]
    ids = await shop.variants(*skus)
    warehouse = await shop.location()

    # when 1,000 lines of one unit each arrive, 100 per variant
    lines = [{"sku": skus[n % 10], "quantity": 1} for n in range(1000)]
    answer = await shop.receipt(warehouse, lines)

    # then each variant received 100 units, in one ledger line
    assert answer.status_code == 201, answer.text
    assert [(line["sku"], line["on_hand"]) for line in answer.json()["lines"]] == [
        (sku, 100) for sku in skus
    ]
    for sku in skus:
        assert await shop.ledger(ids[sku], warehouse) == Stock(on_hand=100, reserved=0)
    assert await shop.count(Movement) == 10


async def test_a_receipt_over_1000_lines_is_refused_and_writes_nothing(shop: Shop) -> None:
    # given a variant and a warehouse
    sku, _ = await shop.variant()
    warehouse = await shop.location()
    before = await shop.footprint(StockLevel, Movement)

    # when 1,001 lines are sent, through the API or to the service
    lines = [{"sku": sku, "quantity": 1}] * 1001
    answer = await shop.receipt(warehouse, lines)
    with bind(tenant_id=TENANT), pytest.raises(InvalidStockRequest):
        async with shop.uow() as uow:
            await inventory.receive(
                uow, location_id=warehouse, lines=[(None, sku, 1)] * 1001, now=shop.clock.now()
            )
            await uow.commit()

    # then both are refused and nothing was written
    assert answer.status_code == 422, answer.text
    assert await shop.footprint(StockLevel, Movement) == before


async def test_unknown_skus_or_variants_refuse_the_whole_receipt_and_are_listed(
    shop: Shop,
) -> None:
    # given a known variant and a warehouse
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    before = await shop.footprint(StockLevel, Movement)

    # when a delivery names it, an unknown SKU (twice) and an unknown variant id; or
    # arrives at an unknown location
    unknown = await shop.receipt(
        warehouse,
        [
            {"sku": sku, "quantity": 1},
            {"sku": "NO-SUCH-SKU", "quantity": 1},
            {"variant_id": "no-such-variant", "quantity": 2},
            {"sku": "NO-SUCH-SKU", "quantity": 3},
        ],
    )
    nowhere = await shop.receipt("nowhere", [{"sku": sku, "quantity": 1}])

    # then each is refused, naming what is unknown, and nothing was written (no event)
    assert unknown.status_code == 404, unknown.text
    problem = unknown.json()
    assert problem["code"] == "unknown_variant"
    assert (problem["skus"], problem["variant_ids"]) == (["NO-SUCH-SKU"], ["no-such-variant"])
    assert (nowhere.status_code, nowhere.json()["code"]) == (404, "location_not_found")
    assert await shop.footprint(StockLevel, Movement) == before
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=0, reserved=0)


async def test_a_receipt_that_would_overfill_a_row_is_refused_whole(shop: Shop) -> None:
    # given a row one unit short of the most a row may hold, and a variant never stocked
    (full_sku, full_id), (new_sku, new_id) = await shop.variant(), await shop.variant()
    warehouse = await shop.location()
    await shop.receive(full_sku, warehouse, 1)
    with bind(tenant_id=TENANT):
        async with shop.uow() as uow:  # a state no API call reaches quickly
            await uow.session.execute(
                update(StockLevel)
                .where(StockLevel.variant_id == full_id)
                .values(on_hand=stock_rows.MAX_ON_HAND - 1)
            )
            await uow.commit()
    before = await shop.footprint(StockLevel, Movement)

    # when a delivery brings 2 more of it, and 5 of the other
    answer = await shop.receipt(
        warehouse, [{"sku": new_sku, "quantity": 5}, {"sku": full_sku, "quantity": 2}]
    )

    # then it is refused naming the full row, and neither line was booked
    assert answer.status_code == 409, answer.text
    assert (answer.json()["code"], answer.json()["variant_ids"]) == (
        "stock_limit_exceeded",
        [full_id],
    )
    assert await shop.footprint(StockLevel, Movement) == before
    assert await shop.stock(new_id, warehouse) == Stock(on_hand=0, reserved=0)
    full = await shop.stock(full_id, warehouse)
    assert full == Stock(on_hand=stock_rows.MAX_ON_HAND - 1, reserved=0)


@pytest.mark.parametrize(
    "change",
    [
        {"lines": []},
        {"lines": [{"sku": "{sku}", "quantity": 0}]},
        {"lines": [{"sku": "{sku}", "quantity": "5"}]},
        {"lines": [{"sku": "{sku}", "quantity": 1_000_001}]},
        {"lines": [{"sku": "{sku}", "variant_id": "v", "quantity": 1}]},
        {"lines": [{"quantity": 1}]},
        {"reference": ""},
        {"reference": "R" * 121},
        {"colour": "red"},
    ],
)
async def test_a_malformed_receipt_is_refused_and_writes_nothing(
    shop: Shop, change: dict[str, Any]
) -> None:
    sku, _ = await shop.variant()
    warehouse = await shop.location()
    before = await shop.footprint(StockLevel, Movement)
    body: dict[str, Any] = {"lines": [{"sku": sku, "quantity": 1}], **change}
    body["lines"] = [
        {k: sku if v == "{sku}" else v for k, v in line.items()} for line in body["lines"]
    ]
    answer = await shop.receipt(warehouse, **body)
    assert answer.status_code == 422, answer.text
    assert await shop.footprint(StockLevel, Movement) == before


async def test_a_receipt_above_the_reorder_point_rearms_the_low_stock_alert(shop: Shop) -> None:
    # given 3 units under a reorder point of 5: `stock.low` was published
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    level_id = (await shop.receive(sku, warehouse, 3))["level"]["id"]
    pointed = await shop.client.patch(
        f"/v1/inventory/levels/{level_id}", json={"reorder_point": 5}, headers=ADMIN_HEADERS
    )
    assert pointed.json()["low_alerted"] is True
    assert len(await shop.events("stock.low")) == 1

    # when a delivery of 10 arrives
    answer = await shop.receipt(warehouse, [{"sku": sku, "quantity": 10}])

    # then the alert is re-armed, so the next fall to the point alerts again
    assert answer.status_code == 201, answer.text
    level = await shop.client.get(f"/v1/inventory/levels?sku={sku}", headers=ADMIN_HEADERS)
    assert level.json()["items"][0]["low_alerted"] is False
    fell = await shop.adjust(variant_id=variant_id, location_id=warehouse, delta=-8, reason="lost")
    assert fell.json()["level"]["on_hand"] == 5
    assert len(await shop.events("stock.low")) == 2


async def test_concurrent_receipts_and_reservations_lose_no_unit_and_never_deadlock(
    shop: Shop,
) -> None:
    # given 8 variants with 100 units each at warehouse A, none yet at warehouse B
    skus = [unique("RACE") for _ in range(8)]
    ids = await shop.variants(*skus)
    a, b = await shop.location(priority=1), await shop.location(priority=2)
    first = await shop.receipt(a, [{"sku": sku, "quantity": 100} for sku in skus])
    assert first.status_code == 201, first.text
    chance = random.Random(7)

    # when 12 receipts of every variant (each in its own order, alternately at A and B)
    # race 40 reservations of 3 variants each
    async def deliver(n: int, order: list[str]) -> None:
        lines = [{"sku": sku, "quantity": n + 1} for sku in order]
        answer = await shop.receipt(a if n % 2 else b, lines)
        assert answer.status_code == 201, answer.text

    async def hold(n: int, picked: list[str]) -> None:
        await shop.reserve(f"cart-{n}", [(ids[sku], 2) for sku in picked])

    work = [deliver(n, chance.sample(skus, len(skus))) for n in range(12)]
    work += [hold(n, chance.sample(skus, 3)) for n in range(40)]
    chance.shuffle(work)
    await asyncio.gather(*work)

    # then every unit received is there, every reservation holds its units, and the ledger
    # agrees row by row
    at_a = 100 + sum(n + 1 for n in range(12) if n % 2)
    at_b = sum(n + 1 for n in range(12) if n % 2 == 0)
    reserved = 0
    for sku in skus:
        stock_a, stock_b = await shop.stock(ids[sku], a), await shop.stock(ids[sku], b)
        assert (stock_a.on_hand, stock_b.on_hand) == (at_a, at_b)
        assert await shop.ledger(ids[sku], a) == stock_a
        assert await shop.ledger(ids[sku], b) == stock_b
        reserved += stock_a.reserved + stock_b.reserved
    assert reserved == 40 * 3 * 2
    assert len(await shop.events("stock.received")) == 13
