"""Who reads which orders: customers their own, guests their session's, merchants the
orders with their lines (only those lines), staff every order; lists filter and page."""

from __future__ import annotations

from typing import Any

from tests.integration.identity.conftest import ADMIN, add_store, in_store, sign_up
from tests.integration.orders.conftest import OrdersShop


async def listed(shop: OrdersShop, headers: dict[str, str], **params: Any) -> list[str]:
    answer = await shop.client.get("/v1/orders", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["items"]]


async def test_each_role_lists_the_orders_it_may_see(shop: OrdersShop) -> None:
    # given two customers' orders, a guest's, and a merchant's product in one of them
    mine = await shop.merchant_product("merchant-1")
    other = await shop.product("5.00")
    alice = await shop.order([(mine.variant_id, 1), (other.variant_id, 2)])
    bob = await shop.order([(other.variant_id, 1)])
    guest = await shop.order([(other.variant_id, 1)], headers=await shop.guest())
    merchant = (await sign_up(shop.client, "merchant", merchant_id="merchant-1")).headers
    support = (await sign_up(shop.client, "support")).headers
    # then each sees its own, newest first
    assert await listed(shop, alice.headers) == [alice.id]
    assert await listed(shop, bob.headers) == [bob.id]
    assert await listed(shop, guest.headers) == [guest.id]
    assert await listed(shop, merchant) == [alice.id]
    assert await listed(shop, support) == [guest.id, bob.id, alice.id]
    assert await listed(shop, ADMIN) == [guest.id, bob.id, alice.id]
    # and a merchant sees only its own lines
    answer = await shop.client.get("/v1/orders", headers=merchant)
    assert [line["sku"] for line in answer.json()["items"][0]["lines"]] == [mine.sku]
    read = await shop.read(alice.id, merchant)
    assert [line["sku"] for line in read["lines"]] == [mine.sku]
    assert (await shop.client.get(f"/v1/orders/{bob.id}", headers=merchant)).status_code == 404


async def test_another_shoppers_order_is_404_and_a_guest_reads_its_own(shop: OrdersShop) -> None:
    product = await shop.product("10.00")
    guest = await shop.order([(product.variant_id, 1)], headers=await shop.guest())
    assert (await shop.read(guest.id, guest.headers))["id"] == guest.id
    for stranger in (await shop.guest(), await shop.customer()):
        answer = await shop.client.get(f"/v1/orders/{guest.id}", headers=stranger)
        assert (answer.status_code, answer.json()["code"]) == (404, "order_not_found")
    anonymous = await shop.client.get(f"/v1/orders/{guest.id}")
    assert anonymous.status_code == 401


async def test_an_order_is_read_by_its_number_with_the_same_rules_as_by_id(
    shop: OrdersShop,
) -> None:
    # given a customer's order, numbered like ORD-2026-0000001
    product = await shop.product("10.00")
    placed = await shop.order([(product.variant_id, 1)])
    assert placed.number.startswith("ORD-")
    # when its customer and the admin read it by its number
    for headers in (placed.headers, ADMIN):
        by_number = await shop.client.get(f"/v1/orders/{placed.number}", headers=headers)
        # then it is the order they read by its id, ETag included
        by_id = await shop.client.get(f"/v1/orders/{placed.id}", headers=headers)
        assert by_number.status_code == 200, by_number.text
        assert by_number.json() == by_id.json()
        assert by_number.headers["ETag"] == by_id.headers["ETag"]
    # and another customer, a guest and another store do not find it
    await add_store(shop.kernel, "shop-b")
    for stranger in (await shop.customer(), await shop.guest(), in_store("shop-b", ADMIN)):
        answer = await shop.client.get(f"/v1/orders/{placed.number}", headers=stranger)
        assert (answer.status_code, answer.json()["code"]) == (404, "order_not_found")
    # and a number no order has is 404 too
    missing = await shop.client.get("/v1/orders/ORD-1999-0000001", headers=ADMIN)
    assert (missing.status_code, missing.json()["code"]) == (404, "order_not_found")


async def test_an_order_is_cancelled_by_its_number(shop: OrdersShop) -> None:
    # given a confirmed order
    product = await shop.product("10.00", stock=10)
    placed = await shop.order([(product.variant_id, 1)])
    # when its customer cancels it by its number
    answer = await shop.client.post(f"/v1/orders/{placed.number}/cancel", headers=placed.headers)
    # then that order is cancelled
    assert answer.status_code == 200, answer.text
    assert (answer.json()["id"], answer.json()["status"]) == (placed.id, "cancelled")
    assert (await shop.read(placed.id))["status"] == "cancelled"


async def test_lists_filter_and_page(shop: OrdersShop) -> None:
    product = await shop.product("10.00")
    headers = await shop.customer()
    placed = []
    for _ in range(5):
        assert shop.clock is not None
        shop.clock.advance(seconds=1)
        placed.append(await shop.order([(product.variant_id, 1)], headers=headers))
    await shop.client.post(f"/v1/orders/{placed[0].id}/cancel", json={}, headers=headers)
    # filters
    assert await listed(shop, ADMIN, status="cancelled") == [placed[0].id]
    assert await listed(shop, ADMIN, q=placed[2].number) == [placed[2].id]
    assert len(await listed(shop, ADMIN, q="CASEY@example.com")) == 5
    # pages of two, newest first, with no repeats
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await shop.client.get("/v1/orders", params=params, headers=headers)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [p.id for p in reversed(placed)]
    bad = await shop.client.get("/v1/orders", params={"cursor": "nonsense"}, headers=headers)
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_cursor")
