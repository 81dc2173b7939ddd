"""BR010: an item in its original condition refunds in full; opened, less the store's
restocking fee; damaged, the store's part; missing, nothing; staff never give a full refund
for an item not in its original condition. What goes back to stock, and what does not."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.integration.returns.conftest import (
    CENT,
    DAMAGED_REFUND,
    RESTOCKING_FEE,
    ReturnsShop,
    line_ids,
)


def _by_line(ret: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {line["line_id"]: line for line in ret["lines"]}


@pytest.mark.business_rule("BR010")
async def test_each_condition_refunds_its_part(shop: ReturnsShop) -> None:
    # given a delivered order of four lines, all asked back and received
    products = [await shop.product(p) for p in ("30.00", "25.00", "19.99", "12.50")]
    order, _ = await shop.delivered(*((p, 1) for p in products))
    original, opened, damaged, missing = line_ids(order)
    ret = await shop.asked(order["id"], dict.fromkeys(line_ids(order), 1))
    await shop.acted(ret["id"], "receive", None)

    # when staff inspect them
    inspected = await shop.acted(
        ret["id"],
        "inspect",
        {
            "lines": [
                {"line_id": original, "condition": "original"},
                {"line_id": opened, "condition": "opened"},
                {"line_id": damaged, "condition": "damaged"},
                {"line_id": missing, "condition": "missing"},
            ]
        },
    )

    # then original refunds in full, opened less the fee, damaged its part, missing nothing
    lines = _by_line(inspected)
    paid = {k: Decimal(v["paid_amount"]) for k, v in lines.items()}
    fee = (paid[opened] * RESTOCKING_FEE / 100).quantize(CENT)
    expected = {
        original: paid[original],
        opened: paid[opened] - fee,
        damaged: (paid[damaged] * DAMAGED_REFUND / 100).quantize(CENT),
        missing: Decimal("0.00"),
    }
    assert {k: Decimal(v["refund_amount"]) for k, v in lines.items()} == expected
    assert Decimal(lines[opened]["fee_amount"]) == fee
    assert Decimal(inspected["refund_amount"]) == sum(expected.values())
    assert {k: v["disposition"] for k, v in lines.items()} == {
        original: "restock",
        opened: "restock",
        damaged: "write_off",
        missing: "write_off",
    }
    # and the refund pays that, and puts back only what is sellable, saying which return
    done = await shop.acted(ret["id"], "refund")
    assert Decimal(done["refunded_to_payment"]) == sum(expected.values())
    assert await shop.refunded(order["id"]) == sum(expected.values())
    for product, line in zip(products, (original, opened, damaged, missing), strict=True):
        restocked = [m for m in await shop.movements(sku=product.sku) if m["reason"] == "returned"]
        want = [1] if line in {original, opened} else []
        assert [m["on_hand_delta"] for m in restocked] == want, line
        assert all(ret["number"] in m["note"] for m in restocked)


@pytest.mark.business_rule("BR010")
async def test_staff_cannot_refund_a_damaged_item_in_full(shop: ReturnsShop) -> None:
    # given a received return of one item
    product = await shop.product("40.00")
    order, _ = await shop.delivered((product, 1))
    [line] = line_ids(order)
    ret = await shop.asked(order["id"], {line: 1})
    received = await shop.acted(ret["id"], "receive", None)
    paid = received["lines"][0]["paid_amount"]
    before = await shop.returns_footprint()

    # when staff find it damaged and still refund all that was paid
    answer = await shop.act(
        ret["id"],
        "inspect",
        {"lines": [{"line_id": line, "condition": "damaged", "refund_amount": paid}]},
    )

    # then 422 BR010, and the return is as it was
    assert answer.status_code == 422, answer.text
    assert (answer.json()["code"], answer.json()["rule"]) == ("br010_return_condition", "BR010")
    assert await shop.get_return(ret["id"]) == received
    assert await shop.returns_footprint() == before


@pytest.mark.business_rule("BR010")
async def test_staff_set_their_own_partial_refund_and_disposition(shop: ReturnsShop) -> None:
    # given a received return of two units of one line
    product = await shop.product("40.00")
    order, _ = await shop.delivered((product, 2))
    [line] = line_ids(order)
    ret = await shop.asked(order["id"], {line: 2})
    await shop.acted(ret["id"], "receive", None)
    # when staff ask more than was paid: 422, nothing changes
    above = await shop.act(
        ret["id"],
        "inspect",
        {"lines": [{"line_id": line, "condition": "opened", "refund_amount": "80.01"}]},
    )
    assert (above.status_code, above.json()["code"]) == (422, "invalid_return")

    # when they refund 55.00 of an opened item, and write it off all the same
    inspected = await shop.acted(
        ret["id"],
        "inspect",
        {
            "lines": [
                {
                    "line_id": line,
                    "condition": "opened",
                    "refund_amount": "55.00",
                    "disposition": "write_off",
                }
            ]
        },
    )

    # then that is the refund, the rest the fee, and nothing goes back to stock
    assert (inspected["refund_amount"], inspected["fee_amount"]) == ("55.00", "25.00")
    stocked = await shop.on_hand(product)
    done = await shop.acted(ret["id"], "refund")
    assert done["refunded_to_payment"] == "55.00"
    assert await shop.on_hand(product) == stocked
    assert not [m for m in await shop.movements(sku=product.sku) if m["reason"] == "returned"]
    # and inspecting again is refused: it is refunded
    again = await shop.act(ret["id"], "inspect", {"condition": "original"})
    assert (again.status_code, again.json()["code"]) == (409, "return_status_conflict")


async def test_units_received_with_no_location_go_back_to_the_warehouse_that_shipped_them(
    shop: ReturnsShop,
) -> None:
    # given a second warehouse (not the store's first location) that shipped a delivered order
    product = await shop.product("12.00", stock=5)
    west = await shop.ok(
        "POST", "/inventory/locations", {"code": "WEST", "name": "West", "kind": "warehouse"}
    )
    await shop.ok(
        "POST",
        "/inventory/adjustments",
        {"sku": product.sku, "location_id": west["id"], "delta": 5, "reason": "received"},
    )
    await shop.ok(
        "PUT",
        f"/shipping/origins/{west['id']}",
        {
            "name": "West",
            "line1": "2100 E Carson St",
            "city": "Long Beach",
            "region": "CA",
            "postal_code": "90810",
            "country": "US",
        },
    )
    order, guest = await shop.checked_out((product, 1))
    [line] = line_ids(order)
    sent = await shop.shipment(order["id"], {line: 1}, location_id=west["id"])
    await shop.call("POST", f"/shipments/{sent['id']}/ship", {"tracking_number": "TRKWEST1"})
    await shop.deliver(sent["id"])
    ret = await shop.asked(order["id"], {line: 1}, headers=guest)

    # when it comes back in its original condition, received with no location named
    await shop.through(ret["id"])

    # then its unit is restocked at the warehouse that shipped it
    [restocked] = [m for m in await shop.movements(sku=product.sku) if m["reason"] == "returned"]
    assert (restocked["location_id"], restocked["on_hand_delta"]) == (west["id"], 1)
