"""Notes (internal ones for staff only), tags (staff), and the timeline that records them."""

from __future__ import annotations

from tests.integration.identity.conftest import ADMIN, sign_up
from tests.integration.orders.conftest import OrdersShop


async def test_notes_internal_ones_for_staff_only(shop: OrdersShop) -> None:
    # given an order, its customer's note and support's internal note
    product = await shop.product("10.00")
    placed = await shop.order([(product.variant_id, 1)])
    support = (await sign_up(shop.client, "support")).headers
    mine = await shop.client.post(
        f"/v1/orders/{placed.id}/notes",
        json={"body": "Leave it by the door"},
        headers=placed.headers,
    )
    assert mine.status_code == 201, mine.text
    internal = await shop.client.post(
        f"/v1/orders/{placed.id}/notes",
        json={"body": "Customer called twice", "internal": True},
        headers=support,
    )
    assert internal.status_code == 201, internal.text
    # then the customer sees its note only, staff both
    as_customer = await shop.read(placed.id, placed.headers)
    assert [n["body"] for n in as_customer["notes"]] == ["Leave it by the door"]
    as_support = await shop.read(placed.id, support)
    assert [n["body"] for n in as_support["notes"]] == [
        "Leave it by the door",
        "Customer called twice",
    ]
    # and the timeline shows the internal note to staff only
    assert [e["kind"] for e in as_customer["timeline"]].count("note_added") == 1
    assert [e["kind"] for e in as_support["timeline"]].count("note_added") == 2


async def test_a_customer_cannot_write_internal_notes(shop: OrdersShop) -> None:
    product = await shop.product("10.00")
    placed = await shop.order([(product.variant_id, 1)])
    refused = await shop.client.post(
        f"/v1/orders/{placed.id}/notes",
        json={"body": "psst", "internal": True},
        headers=placed.headers,
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "not_your_order")
    assert (await shop.read(placed.id))["notes"] == []


async def test_staff_tag_orders_and_lists_filter_by_tag(shop: OrdersShop) -> None:
    product = await shop.product("10.00")
    placed = await shop.order([(product.variant_id, 1)])
    other = await shop.order([(product.variant_id, 1)])
    tagged = await shop.client.put(
        f"/v1/orders/{placed.id}/tags", json={"tags": ["VIP", "gift", "vip"]}, headers=ADMIN
    )
    assert tagged.status_code == 200, tagged.text
    assert tagged.json()["tags"] == ["gift", "vip"]
    retagged = await shop.client.put(
        f"/v1/orders/{placed.id}/tags", json={"tags": ["gift"]}, headers=ADMIN
    )
    assert retagged.json()["tags"] == ["gift"]
    listed = await shop.client.get("/v1/orders", params={"tag": "gift"}, headers=ADMIN)
    assert [item["id"] for item in listed.json()["items"]] == [placed.id]
    assert other.id not in [item["id"] for item in listed.json()["items"]]
    order = await shop.read(placed.id)
    assert order["tags"] == ["gift"]
    tagging = [e for e in order["timeline"] if e["kind"] == "tagged"]
    assert [(e["detail"]["added"], e["detail"]["removed"]) for e in tagging] == [
        (["gift", "vip"], []),
        ([], ["vip"]),
    ]
    # customers neither tag nor see tags
    refused = await shop.client.put(
        f"/v1/orders/{placed.id}/tags", json={"tags": ["mine"]}, headers=placed.headers
    )
    assert refused.status_code == 403
    assert (await shop.read(placed.id, placed.headers))["tags"] == []
    bad = await shop.client.put(
        f"/v1/orders/{placed.id}/tags", json={"tags": ["no spaces"]}, headers=ADMIN
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_order_request")
