"""An order's whole life in the read models: modified before shipping (re-priced), shipped
(its units leave the stock), delivered (still a sale); and every event redelivered changes
nothing."""

from __future__ import annotations

from decimal import Decimal

from tests.integration.analytics.conftest import Store
from tests.integration.identity.conftest import ADMIN


async def test_a_modified_order_is_counted_as_it_now_is(store: Store) -> None:
    # given an order of three pairs of boots
    boots = await store.product("20.00")
    placed = await store.order((boots, 3))
    order_id = placed["order"]["id"]
    [line] = placed["order"]["lines"]
    # when it is changed to one pair before shipping
    changed = await store.client.patch(
        f"/v1/orders/{order_id}",
        json={"lines": [{"line_id": line["id"], "quantity": 1}]},
        headers=ADMIN,
    )
    assert changed.status_code == 200, changed.text
    await store.settled()
    # then the sales count one pair at the order's new total
    totals = (await store.report("sales"))["totals"]
    assert (totals["units"], totals["gross_revenue"]) == (1, "20.00")
    assert Decimal(totals["revenue"]) == Decimal(changed.json()["total"])
    top = await store.report("top-products")
    assert [(r["id"], r["units"], r["revenue"]) for r in top["rows"]] == [(boots.id, 1, "20.00")]


async def test_shipped_and_delivered_orders_stay_sales_and_their_units_leave_the_stock(
    store: Store,
) -> None:
    # given an order of two mugs, out of 100 on hand
    mugs = await store.product("6.00")
    placed = await store.order((mugs, 2))
    order_id = placed["order"]["id"]
    # when it ships, then is delivered
    for step in ("ship", "deliver"):
        moved = await store.client.post(f"/v1/orders/{order_id}/{step}", json={}, headers=ADMIN)
        assert moved.status_code == 200, moved.text
    await store.settled()
    # then it is still a sale, and 98 mugs are on hand
    assert (await store.report("sales"))["totals"]["orders"] == 1
    [row] = (await store.report("inventory"))["rows"]
    assert (row["variant_id"], row["units_sold"], row["on_hand"]) == (mugs.variant_id, 2, 98)
    orders = (await store.report("orders"))["totals"]
    assert (orders["orders"], orders["pending"], orders["cancelled"]) == (1, 0, 0)


async def test_a_redelivered_event_changes_nothing(store: Store) -> None:
    # given an order partly refunded, all of it handled
    hats = await store.product("15.00")
    placed = await store.order((hats, 2))
    assert (await store.refund(placed, "4.00")).status_code == 201
    await store.settled()
    before = (await store.snapshot(), await store.report("sales"), await store.report("carts"))
    # when the broker hands analytics each of its events again
    for event_type in (
        "order.placed", "order.confirmed", "payment.refunded", "cart.created",
        "cart.item_changed", "cart.checked_out", "session.started", "stock.adjusted",
    ):  # fmt: skip
        assert await store.shop.redeliver(event_type, "analytics.follow") == "handled"
    # then the read models and the reports are as they were
    after = (await store.snapshot(), await store.report("sales"), await store.report("carts"))
    assert after == before
    assert before[1]["totals"]["refunds"] == "4.00"


async def test_a_return_refunded_as_store_credit_counts_as_a_refund(store: Store) -> None:
    # given a delivered order of two hats at 15.00
    hats = await store.product("15.00")
    placed = await store.order((hats, 2))
    order_id = placed["order"]["id"]
    [line] = placed["order"]["lines"]
    for step in ("ship", "deliver"):
        moved = await store.client.post(f"/v1/orders/{order_id}/{step}", json={}, headers=ADMIN)
        assert moved.status_code == 200, moved.text
    # when one hat comes back in its original condition, refunded as store credit
    asked = await store.client.post(
        f"/v1/orders/{order_id}/returns",
        json={"lines": [{"line_id": line["id"], "quantity": 1, "reason": "wrong_size"}]},
        headers=ADMIN,
    )
    assert asked.status_code == 201, asked.text
    return_id = asked.json()["id"]
    for step, body in (
        ("receive", None),
        ("inspect", {"condition": "original"}),
        ("refund", {"method": "store_credit"}),
    ):
        done = await store.client.post(f"/v1/returns/{return_id}/{step}", json=body, headers=ADMIN)
        assert done.status_code == 200, done.text
    assert Decimal(done.json()["refunded_to_credit"]) == Decimal("15.00")
    await store.settled()
    # then the sales report counts the 15.00 as refunded, as a refund to the card would be
    assert (await store.report("sales"))["totals"]["refunds"] == "15.00"
    # and the event handled again changes nothing
    before = await store.report("sales")
    assert await store.shop.redeliver("refund.issued", "analytics.follow") == "handled"
    assert await store.report("sales") == before
