"""BR009: a return is requested within 30 days of delivery; staff may accept a late one
with a note, recorded on the return with who accepted it."""

from __future__ import annotations

import pytest

from tests.integration.returns.conftest import ReturnsShop, line_ids


@pytest.mark.business_rule("BR009")
@pytest.mark.edge_case("EC039")
async def test_a_return_31_days_after_delivery_is_refused_and_changes_nothing(
    shop: ReturnsShop,
) -> None:
    # given an order delivered 31 days ago
    product = await shop.product("20.00")
    order, guest = await shop.delivered((product, 1))
    [line] = line_ids(order)
    shop.advance(31)
    before = await shop.returns_footprint()

    # when its shopper asks to return it
    answer = await shop.ask(order["id"], {line: 1}, headers=guest)

    # then 422 BR009, and no return, no event, nothing else
    assert answer.status_code == 422, answer.text
    assert (answer.json()["code"], answer.json()["rule"]) == ("br009_return_window", "BR009")
    assert await shop.returns_footprint() == before
    assert (await shop.order(order["id"]))["lines"][0]["returned_quantity"] == 0


@pytest.mark.business_rule("BR009")
async def test_a_return_on_the_30th_day_is_accepted(shop: ReturnsShop) -> None:
    # given an order delivered exactly 30 days ago
    product = await shop.product("20.00")
    order, guest = await shop.delivered((product, 1))
    [line] = line_ids(order)
    shop.advance(30)

    # when its shopper asks to return it
    answer = await shop.ask(order["id"], {line: 1}, headers=guest)

    # then it is accepted, on time
    assert answer.status_code == 201, answer.text
    assert (answer.json()["status"], answer.json()["late"]) == ("approved", False)
    assert answer.json()["exception_note"] is None


@pytest.mark.business_rule("BR009")
@pytest.mark.edge_case("EC039")
async def test_staff_accept_a_late_return_with_a_recorded_note(shop: ReturnsShop) -> None:
    # given an order delivered 45 days ago
    product = await shop.product("20.00")
    order, _ = await shop.delivered((product, 1))
    [line] = line_ids(order)
    shop.advance(45)

    # when staff accept its return, saying why
    answer = await shop.ask(order["id"], {line: 1}, exception_note="carrier lost the first parcel")

    # then it is accepted, marked late, the note naming who accepted it and when
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert made["late"] is True
    assert made["exception_note"].startswith("carrier lost the first parcel (accepted 45 days")
    assert "by bootstrap-admin on " in made["exception_note"]
    told = [e for e in await shop.events("return.requested") if e["return_id"] == made["id"]]
    assert [e["late"] for e in told] == [True]
    # and the return goes on as any other
    done = await shop.through(made["id"])
    assert done["status"] == "refunded"


@pytest.mark.business_rule("BR009")
async def test_a_shoppers_exception_note_is_refused(shop: ReturnsShop) -> None:
    # given an order delivered 40 days ago
    product = await shop.product("20.00")
    order, guest = await shop.delivered((product, 1))
    [line] = line_ids(order)
    shop.advance(40)
    before = await shop.returns_footprint()

    # when its shopper tries to excuse the delay themselves
    answer = await shop.ask(order["id"], {line: 1}, headers=guest, exception_note="please")

    # then 422, and nothing is written
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "invalid_return"
    assert await shop.returns_footprint() == before
