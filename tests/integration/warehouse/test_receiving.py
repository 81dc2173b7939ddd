"""Purchase orders and receipts against them: the units are booked into inventory's stock
(its ledger names the PO), each line says what is over or short, the PO's status follows,
and putaway tasks are opened; a closed PO or a variant not on it changes nothing."""

from __future__ import annotations

from typing import Any

from tests.integration.warehouse.conftest import WarehouseShop


async def a_purchase_order(shop: WarehouseShop, lines: list[tuple[str, int]]) -> dict[str, Any]:
    body = {
        "number": f"PO-{len(lines)}-{lines[0][1]}",
        "supplier_name": "Acme Textiles",
        "location_id": await shop.main_location(),
        "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
    }
    return dict(await shop.ok("POST", "/purchase-orders", body))


async def test_a_receipt_books_stock_and_says_what_is_over_and_short(shop: WarehouseShop) -> None:
    # given a PO for 10 tees and 4 caps at the warehouse
    tee, cap = await shop.product(stock=None), await shop.product(stock=None)
    po = await a_purchase_order(shop, [(tee.sku, 10), (cap.sku, 4)])
    assert po["status"] == "open"
    tasks = await shop.ok("GET", "/tasks", kind="receive", reference=po["id"])
    assert [t["status"] for t in tasks["items"]] == ["open"]

    # when 6 tees and 5 caps arrive
    receipt = await shop.ok(
        "POST",
        "/receipts",
        {
            "purchase_order_id": po["id"],
            "lines": [
                {"sku": tee.sku, "quantity": 6},
                {"variant_id": cap.variant_id, "quantity": 5},
            ],
        },
    )

    # then the tees are 4 short, the caps 1 over, and the PO is partially received
    lines = {line["sku"]: line for line in receipt["lines"]}
    assert (lines[tee.sku]["short"], lines[tee.sku]["over"]) == (4, 0)
    assert (lines[cap.sku]["short"], lines[cap.sku]["over"]) == (0, 1)
    assert receipt["purchase_order_status"] == "partially_received"
    # and inventory holds them, its ledger naming the PO
    assert await shop.available(tee.variant_id) == 6
    [movement] = await shop.movements(tee.variant_id)
    assert (movement.kind, movement.reason, movement.reference) == (
        "receipt",
        "received",
        po["number"],
    )
    # and a putaway task is open per variant received
    putaway = await shop.ok("GET", "/tasks", kind="putaway", reference=receipt["id"])
    assert sorted(t["note"] for t in putaway["items"]) == sorted(
        [f"6 x {tee.sku}", f"5 x {cap.sku}"]
    )

    # when the other 4 tees arrive, then the PO is received and its receive task done
    last = await shop.ok(
        "POST",
        "/receipts",
        {
            "purchase_order_id": po["id"],
            "lines": [{"sku": tee.sku, "quantity": 4}],
        },
    )
    assert last["purchase_order_status"] == "received"
    read = await shop.ok("GET", f"/purchase-orders/{po['id']}")
    assert [(x["quantity_ordered"], x["quantity_received"]) for x in read["lines"]] == [
        (10, 10),
        (4, 5),
    ]
    tasks = await shop.ok("GET", "/tasks", kind="receive", reference=po["id"])
    assert [t["status"] for t in tasks["items"]] == ["done"]
    listed = await shop.ok("GET", "/purchase-orders", status="received")
    assert [p["id"] for p in listed["items"]] == [po["id"]]


async def test_a_refused_receipt_changes_nothing(shop: WarehouseShop) -> None:
    # given a PO for tees, and a cap not on it
    tee, cap = await shop.product(stock=None), await shop.product(stock=None)
    po = await a_purchase_order(shop, [(tee.sku, 3)])
    before = await shop.footprint()

    # when the cap is received against it, then 422 and nothing is booked
    stray = await shop.call(
        "POST",
        "/receipts",
        {
            "purchase_order_id": po["id"],
            "lines": [{"sku": cap.sku, "quantity": 1}],
        },
    )
    assert stray.status_code == 422 and stray.json()["code"] == "not_on_purchase_order"
    # and an unknown PO is 404
    unknown = await shop.call(
        "POST",
        "/receipts",
        {
            "purchase_order_id": "nope",
            "lines": [{"sku": tee.sku, "quantity": 1}],
        },
    )
    assert unknown.status_code == 404
    assert await shop.footprint() == before
    assert await shop.available(cap.variant_id) == 0


async def test_a_cancelled_purchase_order_takes_no_receipt(shop: WarehouseShop) -> None:
    tee = await shop.product(stock=None)
    po = await a_purchase_order(shop, [(tee.sku, 3)])
    cancelled = await shop.ok("POST", f"/purchase-orders/{po['id']}/cancel")
    assert cancelled["status"] == "cancelled"
    before = await shop.footprint()

    late = await shop.call(
        "POST",
        "/receipts",
        {
            "purchase_order_id": po["id"],
            "lines": [{"sku": tee.sku, "quantity": 3}],
        },
    )
    again = await shop.call("POST", f"/purchase-orders/{po['id']}/cancel")

    assert (late.status_code, late.json()["code"]) == (409, "purchase_order_closed")
    assert again.status_code == 409
    assert await shop.footprint() == before


async def test_a_purchase_order_number_is_unique(shop: WarehouseShop) -> None:
    tee = await shop.product(stock=None)
    await a_purchase_order(shop, [(tee.sku, 3)])
    before = await shop.footprint()
    body = {
        "number": "PO-1-3",
        "supplier_name": "Other",
        "location_id": shop.location_id,
        "lines": [{"sku": tee.sku, "quantity": 1}],
    }
    taken = await shop.call("POST", "/purchase-orders", body)
    unknown = await shop.call(
        "POST",
        "/purchase-orders",
        {**body, "number": "PO-X", "lines": [{"sku": "NO-SUCH", "quantity": 1}]},
    )
    assert (taken.status_code, unknown.status_code) == (409, 404)
    assert await shop.footprint() == before
