"""BR009 per line: an order delivered in parts gives each line its own window, counted from
the delivery of the last shipment that carried it, not from the order's last delivery."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.cart.conftest import Product
from tests.integration.returns.conftest import ReturnsShop, line_ids


async def delivered_in_two_parts(
    shop: ReturnsShop,
) -> tuple[dict[str, Any], dict[str, str], tuple[str, str], tuple[Product, Product]]:
    """An order of two lines: the first shipped alone and delivered 40 days ago, the second
    shipped later and delivered 5 days ago; (order, guest headers, (old, recent) line ids,
    (old, recent) products)."""
    old, recent = await shop.product("20.00"), await shop.product("30.00")
    order, guest = await shop.checked_out((old, 1), (recent, 1))
    first, second = line_ids(order)
    await shop.deliver(await shop.ship(order["id"], {first: 1}))
    shop.advance(35)
    await shop.deliver(await shop.ship(order["id"], {second: 1}))
    shop.advance(5)
    return await shop.order(order["id"]), guest, (first, second), (old, recent)


@pytest.mark.business_rule("BR009")
async def test_the_recently_delivered_line_of_an_order_delivered_in_parts_is_returnable(
    shop: ReturnsShop,
) -> None:
    # given an order whose lines were delivered 40 and 5 days ago
    order, guest, (_, recent), _ = await delivered_in_two_parts(shop)

    # when its shopper asks to return the line delivered 5 days ago
    answer = await shop.ask(order["id"], {recent: 1}, headers=guest)

    # then it is accepted, on time
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert (made["late"], made["exception_note"]) == (False, None)
    assert [line["line_id"] for line in made["lines"]] == [recent]


@pytest.mark.business_rule("BR009")
@pytest.mark.edge_case("EC039")
async def test_the_line_delivered_40_days_ago_is_refused_though_another_came_later(
    shop: ReturnsShop,
) -> None:
    # given an order whose lines were delivered 40 and 5 days ago
    order, guest, (old, recent), (old_product, _) = await delivered_in_two_parts(shop)
    before = await shop.returns_footprint()

    # when its shopper asks to return the line delivered 40 days ago, alone or with the other
    alone = await shop.ask(order["id"], {old: 1}, headers=guest)
    both = await shop.ask(order["id"], {old: 1, recent: 1}, headers=guest)

    # then 422 BR009 naming the late line and its days, and nothing is written
    for answer in (alone, both):
        assert answer.status_code == 422, answer.text
        problem = answer.json()
        assert (problem["code"], problem["rule"]) == ("br009_return_window", "BR009")
        assert f"line {old} ({old_product.sku}) was delivered 40 days ago" in problem["detail"]
        assert recent not in problem["detail"]
    assert await shop.returns_footprint() == before
    assert [line["returned_quantity"] for line in (await shop.order(order["id"]))["lines"]] == [
        0,
        0,
    ]


@pytest.mark.business_rule("BR009")
async def test_staff_accept_the_late_line_with_a_recorded_note(shop: ReturnsShop) -> None:
    # given an order whose lines were delivered 40 and 5 days ago
    order, _, (old, recent), _ = await delivered_in_two_parts(shop)

    # when staff accept a return of both lines, saying why
    answer = await shop.ask(order["id"], {old: 1, recent: 1}, exception_note="parcel mislaid")

    # then it is accepted, marked late, counted from the late line's delivery
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert made["late"] is True
    assert made["exception_note"].startswith("parcel mislaid (accepted 40 days after delivery")
    assert sorted(line["line_id"] for line in made["lines"]) == sorted([old, recent])
    told = [e for e in await shop.events("return.requested") if e["return_id"] == made["id"]]
    assert [e["late"] for e in told] == [True]
