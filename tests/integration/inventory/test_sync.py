"""The inventory_sync workflow: a warehouse's feed is compared with the system; small
differences are applied, larger ones wait for a person's review (BR019)."""

from __future__ import annotations

from typing import Any

import pytest

from mercato.agents.inventory.models import Movement, SyncDiscrepancy, SyncRun
from tests.integration.inventory.conftest import ADMIN_HEADERS, Shop, Stock, unique


async def feed(shop: Shop, location_id: str, lines: list[tuple[str, int]]) -> dict[str, Any]:
    answer = await shop.client.post(
        "/v1/inventory/sync",
        json={
            "location_id": location_id,
            "source": "wms-export.json",
            "lines": [{"sku": sku, "on_hand": on_hand} for sku, on_hand in lines],
        },
        headers=ADMIN_HEADERS,
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def stocked(shop: Shop, **quantities: int) -> tuple[dict[str, str], dict[str, str], str]:
    """Variants named by the keywords (unique SKUs), stocked at a new warehouse: (name →
    SKU, name → variant id, warehouse id)."""
    skus = {name: unique(name.upper()) for name in quantities}
    ids = await shop.variants(*skus.values())
    warehouse = await shop.location()
    for name, quantity in quantities.items():
        if quantity:
            await shop.receive(skus[name], warehouse, quantity)
    return skus, {name: ids[sku] for name, sku in skus.items()}, warehouse


@pytest.mark.business_rule("BR019")
async def test_br019_a_feed_is_applied_within_10_percent_and_held_beyond(shop: Shop) -> None:
    # given four SKUs with 100, 100, 100 and 50 units
    skus, ids, warehouse = await stocked(shop, same=100, close=100, far=100, edge=50)

    # when the warehouse reports 100 (equal), 92 (8 % off), 80 (20 % off), 55 (exactly 10 %)
    run = await feed(
        shop,
        warehouse,
        [(skus["same"], 100), (skus["close"], 92), (skus["far"], 80), (skus["edge"], 55)],
    )

    # then one is in sync, the small differences are applied, the large one is held
    assert (run["lines"], run["in_sync"], run["applied"], run["held"], run["rejected"]) == (
        4,
        1,
        2,
        1,
        0,
    )
    assert await shop.stock(ids["close"], warehouse) == Stock(on_hand=92, reserved=0)
    assert await shop.stock(ids["edge"], warehouse) == Stock(on_hand=55, reserved=0)
    assert await shop.stock(ids["far"], warehouse) == Stock(on_hand=100, reserved=0)
    (held,) = run["held_lines"]
    assert (held["sku"], held["system_on_hand"], held["feed_on_hand"], held["status"]) == (
        skus["far"],
        100,
        80,
        "pending",
    )
    # and the applied lines are in the ledger, the held one announced for review
    assert await shop.ledger(ids["close"], warehouse) == Stock(on_hand=92, reserved=0)
    synced = await shop.client.get(
        "/v1/inventory/movements", params={"kind": "sync"}, headers=ADMIN_HEADERS
    )
    assert sorted(m["on_hand_delta"] for m in synced.json()["items"]) == [-8, 5]
    sync_held = await shop.events("stock.sync_held")
    assert [(e["sku"], e["feed_on_hand"]) for e in sync_held] == [(skus["far"], 80)]


@pytest.mark.business_rule("BR019")
async def test_br019_a_held_line_is_applied_only_when_approved(shop: Shop) -> None:
    # given two lines held for review (100 → 150 and 100 → 10)
    skus, ids, warehouse = await stocked(shop, up=100, down=100)
    run = await feed(shop, warehouse, [(skus["up"], 150), (skus["down"], 10)])
    held = {d["sku"]: d["id"] for d in run["held_lines"]}
    pending = await shop.client.get(
        "/v1/inventory/sync/discrepancies", params={"status": "pending"}, headers=ADMIN_HEADERS
    )
    assert sorted(d["id"] for d in pending.json()["items"]) == sorted(held.values())

    # when a reviewer approves the first and rejects the second
    approved = await shop.client.post(
        f"/v1/inventory/sync/discrepancies/{held[skus['up']]}/approve", headers=ADMIN_HEADERS
    )
    rejected = await shop.client.post(
        f"/v1/inventory/sync/discrepancies/{held[skus['down']]}/reject", headers=ADMIN_HEADERS
    )

    # then the approved feed value is applied and the rejected one is not
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status"], approved.json()["decided_by"]) == (
        "approved",
        "bootstrap-admin",
    )
    assert rejected.json()["status"] == "rejected"
    assert await shop.stock(ids["up"], warehouse) == Stock(on_hand=150, reserved=0)
    assert await shop.stock(ids["down"], warehouse) == Stock(on_hand=100, reserved=0)
    assert await shop.ledger(ids["up"], warehouse) == Stock(on_hand=150, reserved=0)

    # and deciding again is refused without changing anything
    before = await shop.footprint(Movement)
    again = await shop.client.post(
        f"/v1/inventory/sync/discrepancies/{held[skus['down']]}/approve", headers=ADMIN_HEADERS
    )
    assert (again.status_code, again.json()["code"]) == (409, "discrepancy_already_decided")
    assert await shop.stock(ids["down"], warehouse) == Stock(on_hand=100, reserved=0)
    assert await shop.footprint(Movement) == before


async def test_a_feed_below_the_reserved_units_is_held_and_never_applied(shop: Shop) -> None:
    # given 20 units of which 19 are reserved
    skus, ids, warehouse = await stocked(shop, busy=20)
    reserved = await shop.client.post(
        "/v1/inventory/reservations",
        json={"reference": "r", "lines": [{"variant_id": ids["busy"], "quantity": 19}]},
        headers=ADMIN_HEADERS,
    )
    assert reserved.status_code == 201, reserved.text

    # when the feed says 18 (within 10 %, but below what is promised)
    run = await feed(shop, warehouse, [(skus["busy"], 18)])

    # then it is held, and approving it is refused while the units are reserved
    assert (run["applied"], run["held"]) == (0, 1)
    discrepancy = run["held_lines"][0]["id"]
    approve = await shop.client.post(
        f"/v1/inventory/sync/discrepancies/{discrepancy}/approve", headers=ADMIN_HEADERS
    )
    assert (approve.status_code, approve.json()["code"]) == (409, "feed_below_reserved")
    assert await shop.stock(ids["busy"], warehouse) == Stock(on_hand=20, reserved=19)
    still = await shop.client.get(
        "/v1/inventory/sync/discrepancies", params={"status": "pending"}, headers=ADMIN_HEADERS
    )
    assert [d["id"] for d in still.json()["items"]] == [discrepancy]


@pytest.mark.business_rule("BR019")
async def test_br019_approving_a_line_whose_stock_moved_since_the_feed_is_refused(
    shop: Shop,
) -> None:
    """The feed's count was taken against the system's 100: once 5 units shipped (95), the
    count of 50 no longer says how many are there (45?). Approving it would invent stock, so
    it is refused until the warehouse counts again or sends a new feed."""
    # given 100 units, and a feed of 50 held for review
    skus, ids, warehouse = await stocked(shop, moved=100)
    run = await feed(shop, warehouse, [(skus["moved"], 50)])
    discrepancy = run["held_lines"][0]["id"]
    # and 5 units shipped since (reserved, then committed)
    await shop.reserve("shipped-order", [(ids["moved"], 5)])
    await shop.commit("shipped-order")
    assert await shop.stock(ids["moved"], warehouse) == Stock(on_hand=95, reserved=0)
    before = await shop.footprint(Movement, SyncDiscrepancy)

    # when a reviewer approves the held line
    approve = await shop.client.post(
        f"/v1/inventory/sync/discrepancies/{discrepancy}/approve", headers=ADMIN_HEADERS
    )

    # then it is refused, saying the stock moved since the feed
    assert approve.status_code == 409, approve.text
    body = approve.json()
    assert body["code"] == "stock_moved_since_feed"
    assert (body["system_on_hand"], body["on_hand"]) == (100, 95)
    # and nothing was written: the stock is as shipped, the line still waits for review
    assert await shop.stock(ids["moved"], warehouse) == Stock(on_hand=95, reserved=0)
    assert await shop.ledger(ids["moved"], warehouse) == Stock(on_hand=95, reserved=0)
    assert await shop.footprint(Movement, SyncDiscrepancy) == before
    pending = await shop.client.get(
        "/v1/inventory/sync/discrepancies", params={"status": "pending"}, headers=ADMIN_HEADERS
    )
    assert [d["id"] for d in pending.json()["items"]] == [discrepancy]


@pytest.mark.business_rule("BR019")
async def test_br019_a_held_line_is_approved_when_only_reservations_changed_since_the_feed(
    shop: Shop,
) -> None:
    """Reserved units are still on the shelf: a hold taken since the feed does not make its
    count stale."""
    # given 100 units, a feed of 150 held for review, then 10 units reserved
    skus, ids, warehouse = await stocked(shop, held=100)
    run = await feed(shop, warehouse, [(skus["held"], 150)])
    await shop.reserve("open-order", [(ids["held"], 10)])

    # when the line is approved
    approve = await shop.client.post(
        f"/v1/inventory/sync/discrepancies/{run['held_lines'][0]['id']}/approve",
        headers=ADMIN_HEADERS,
    )

    # then the feed's count is applied, the reservation kept
    assert approve.status_code == 200, approve.text
    assert await shop.stock(ids["held"], warehouse) == Stock(on_hand=150, reserved=10)
    assert await shop.ledger(ids["held"], warehouse) == Stock(on_hand=150, reserved=10)


async def test_unknown_and_repeated_skus_are_rejected_and_reported(shop: Shop) -> None:
    skus, ids, warehouse = await stocked(shop, known=10)
    run = await feed(shop, warehouse, [(skus["known"], 10), ("GHOST-1", 4), (skus["known"], 11)])
    assert (run["lines"], run["in_sync"], run["rejected"]) == (3, 1, 2)
    assert run["rejected_lines"] == [
        {"sku": "GHOST-1", "reason": "unknown_sku"},
        {"sku": skus["known"], "reason": "duplicate_sku"},
    ]
    assert await shop.stock(ids["known"], warehouse) == Stock(on_hand=10, reserved=0)


async def test_a_newer_feed_supersedes_a_pending_discrepancy(shop: Shop) -> None:
    skus, ids, warehouse = await stocked(shop, drift=100)
    first = await feed(shop, warehouse, [(skus["drift"], 50)])
    # when the next feed agrees with the system, the old discrepancy no longer applies
    await feed(shop, warehouse, [(skus["drift"], 100)])
    old = first["held_lines"][0]["id"]
    approve = await shop.client.post(
        f"/v1/inventory/sync/discrepancies/{old}/approve", headers=ADMIN_HEADERS
    )
    assert (approve.status_code, approve.json()["code"]) == (409, "discrepancy_already_decided")
    assert await shop.stock(ids["drift"], warehouse) == Stock(on_hand=100, reserved=0)


async def test_a_csv_feed_is_read_like_a_json_one(shop: Shop) -> None:
    # given two SKUs with 40 and 40 units
    skus, ids, warehouse = await stocked(shop, a=40, b=40)
    csv = f"sku,on_hand\n{skus['a']},38\n{skus['b']},10\nGHOST-2,3\n"

    # when the warehouse sends its export as text/csv
    answer = await shop.client.post(
        "/v1/inventory/sync",
        params={"location_id": warehouse, "source": "export.csv"},
        content=csv.encode(),
        headers={**ADMIN_HEADERS, "content-type": "text/csv"},
    )

    # then the small difference is applied, the large held, the unknown rejected
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["source"], body["applied"], body["held"], body["rejected"]) == (
        "export.csv",
        1,
        1,
        1,
    )
    assert await shop.stock(ids["a"], warehouse) == Stock(on_hand=38, reserved=0)


@pytest.mark.parametrize(
    ("content", "media", "params"),
    [
        ("sku;on_hand\nA;1\n", "text/csv", True),
        ("sku,on_hand\nA,many\n", "text/csv", True),
        ("sku,on_hand\nA,-1\n", "text/csv", True),
        ("sku,on_hand\nA,\u00b2\n", "text/csv", True),
        ("sku,on_hand\nA,\u0663\n", "text/csv", True),
        ("sku,on_hand\nA,1,2\n", "text/csv", True),
        ("sku,on_hand\nA,1\n", "text/csv", False),
        ("sku,on_hand\n", "text/csv", True),
        ('{"lines": []}', "application/json", True),
        ('{"location_id": "x", "source": "s", "lines": [{"sku": "A", "on_hand": "3"}]}',
         "application/json", True),
    ],
)  # fmt: skip
async def test_a_malformed_feed_is_refused_and_writes_nothing(
    shop: Shop, content: str, media: str, params: bool
) -> None:
    warehouse = await shop.location()
    before = await shop.footprint(SyncRun, SyncDiscrepancy, Movement)
    answer = await shop.client.post(
        "/v1/inventory/sync",
        params={"location_id": warehouse, "source": "bad.csv"} if params else None,
        content=content.encode(),
        headers={**ADMIN_HEADERS, "content-type": media},
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "validation_failed"
    assert await shop.footprint(SyncRun, SyncDiscrepancy, Movement) == before


async def test_a_feed_in_another_format_or_for_an_unknown_location_is_refused(
    shop: Shop,
) -> None:
    before = await shop.footprint(SyncRun)
    xml = await shop.client.post(
        "/v1/inventory/sync",
        content=b"<feed/>",
        headers={**ADMIN_HEADERS, "content-type": "application/xml"},
    )
    assert (xml.status_code, xml.json()["code"]) == (415, "unsupported_media_type")
    nowhere = await shop.client.post(
        "/v1/inventory/sync",
        json={"location_id": "nowhere", "source": "s", "lines": [{"sku": "A", "on_hand": 1}]},
        headers=ADMIN_HEADERS,
    )
    assert (nowhere.status_code, nowhere.json()["code"]) == (404, "location_not_found")
    assert await shop.footprint(SyncRun) == before
