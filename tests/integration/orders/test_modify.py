"""Modifying an order before fulfilment: re-priced with its own prices and the store's tax and
shipping rules, its reservation following the new quantities (409 and nothing changed when
stock is short), `order.modified` with both totals; refused once shipped."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.identity.conftest import ADMIN
from tests.integration.orders.conftest import OrdersShop

NEW_ADDRESS = {
    "name": "Casey Customer",
    "line1": "9 Elm St",
    "city": "Sacramento",
    "region": "CA",
    "postal_code": "95814",
    "country": "US",
}


async def patch(
    shop: OrdersShop, order_id: str, headers: dict[str, str], body: dict[str, Any], **more: str
) -> Any:
    return await shop.client.patch(f"/v1/orders/{order_id}", json=body, headers={**headers, **more})


async def test_more_units_re_price_the_order_and_hold_more_stock(shop: OrdersShop) -> None:
    # given a confirmed order of 2 x 10.00 (+ 5.00 shipping) holding 2 of 10 units
    product = await shop.product("10.00", stock=10)
    placed = await shop.order([(product.variant_id, 2)])
    order = await shop.read(placed.id, placed.headers)
    [line] = order["lines"]
    # when its customer asks for 8
    answer = await patch(
        shop,
        placed.id,
        placed.headers,
        {"lines": [{"line_id": line["id"], "quantity": 8}]},
        **{"if-match": f'"{order["version"]}"'},
    )
    # then the order is re-priced (shipping free over 75.00), 8 units are held (allocated)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["subtotal"], body["shipping_total"], body["total"]) == ("80.00", "0.00", "80.00")
    assert body["lines"][0]["quantity"] == 8
    assert answer.headers["etag"] == f'"{body["version"]}"'
    assert await shop.available(product.variant_id) == 2
    [event] = await shop.order_events("order.modified", placed.id)
    assert (event["previous_total"], event["total"]) == ("25.00", "80.00")
    assert event["changes"]["lines"][0]["previous_quantity"] == 2
    assert body["timeline"][-1]["kind"] == "modified"


async def test_a_new_address_is_taxed_where_it_is(shop: OrdersShop) -> None:
    # given California taxes 7.25 % and an order taxed at the store's default place
    await shop.tax_rates({"country": "US", "region": "CA", "rate_percent": "7.25", "name": "CA"})
    product = await shop.product("20.00")
    placed = await shop.order([(product.variant_id, 1)])
    # when the customer moves the delivery to Sacramento
    answer = await patch(shop, placed.id, placed.headers, {"shipping_address": NEW_ADDRESS})
    # then the order is taxed there
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["tax_total"], body["total"]) == ("1.45", "26.45")
    assert body["shipping_address"]["city"] == "Sacramento"


async def test_too_little_stock_refuses_the_change_and_changes_nothing(shop: OrdersShop) -> None:
    # given an order holding 2 of 5 units
    product = await shop.product("10.00", stock=5)
    placed = await shop.order([(product.variant_id, 2)])
    before = await shop.read(placed.id)
    events_before = await shop.event_count()
    # when its customer asks for 6
    answer = await patch(
        shop,
        placed.id,
        placed.headers,
        {"lines": [{"line_id": before["lines"][0]["id"], "quantity": 6}]},
    )
    # then 409 insufficient_stock, and the order and its stock are as they were
    assert (answer.status_code, answer.json()["code"]) == (409, "insufficient_stock")
    assert await shop.read(placed.id) == before
    assert await shop.available(product.variant_id) == 3
    assert await shop.event_count() == events_before


async def test_removing_a_line_keeps_at_least_one(shop: OrdersShop) -> None:
    first, second = await shop.product("10.00"), await shop.product("30.00")
    placed = await shop.order([(first.variant_id, 1), (second.variant_id, 1)])
    lines = (await shop.read(placed.id))["lines"]
    removed = await patch(
        shop, placed.id, placed.headers, {"lines": [{"line_id": lines[0]["id"], "quantity": 0}]}
    )
    assert removed.status_code == 200, removed.text
    assert [line["sku"] for line in removed.json()["lines"]] == [second.sku]
    assert await shop.available(first.variant_id) == 50
    emptied = await patch(
        shop, placed.id, placed.headers, {"lines": [{"line_id": lines[1]["id"], "quantity": 0}]}
    )
    assert (emptied.status_code, emptied.json()["code"]) == (422, "invalid_order_modification")


async def test_a_stale_if_match_is_a_conflict(shop: OrdersShop) -> None:
    product = await shop.product("10.00")
    placed = await shop.order([(product.variant_id, 1)])
    answer = await patch(
        shop, placed.id, placed.headers, {"shipping_address": NEW_ADDRESS}, **{"if-match": '"1"'}
    )
    assert (answer.status_code, answer.json()["code"]) == (409, "order_version_conflict")


async def test_a_shipped_order_is_not_modifiable(shop: OrdersShop) -> None:
    product = await shop.product("10.00")
    placed = await shop.order([(product.variant_id, 1)])
    shipped = await shop.client.post(f"/v1/orders/{placed.id}/ship", json={}, headers=ADMIN)
    assert shipped.status_code == 200
    answer = await patch(shop, placed.id, ADMIN, {"shipping_address": NEW_ADDRESS})
    assert (answer.status_code, answer.json()["code"]) == (409, "order_not_modifiable")


@pytest.mark.business_rule("BR005")
async def test_br005_still_holds_after_a_modification(shop: OrdersShop) -> None:
    # a digital line and a physical one, shipped to an address: removing the digital line
    # keeps the address (no way to drop it), so the rule is checked on what remains
    digital = await shop.product("10.00", requires_shipping=False)
    physical = await shop.product("10.00")
    placed = await shop.order([(digital.variant_id, 1), (physical.variant_id, 1)])
    lines = {line["sku"]: line["id"] for line in (await shop.read(placed.id))["lines"]}
    answer = await patch(
        shop,
        placed.id,
        placed.headers,
        {"lines": [{"line_id": lines[digital.sku], "quantity": 0}]},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["shipping_address"] is not None
