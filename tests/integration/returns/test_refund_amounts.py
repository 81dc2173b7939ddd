"""What a return refunds: exactly what the shopper paid for the units that came back (their
share of the discount and the tax, to the cent; never the shipping), also after a partial
shipment; partial returns of a line; units that never arrived refund nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.integration.returns.conftest import ReturnsShop, line_ids, share


@pytest.mark.edge_case("EC038")
async def test_a_return_after_a_partial_shipment_refunds_exactly_what_was_paid(
    shop: ReturnsShop,
) -> None:
    # given tax, a 15 % code, and an order of three lines of odd prices
    await shop.tax_rates({"country": "US", "rate_percent": "7.25", "name": "US"})
    await shop.code("FIFTEEN", "percent", "15")
    a, b, c = [await shop.product(p) for p in ("19.99", "7.33", "41.10")]
    order, _ = await shop.checked_out((a, 2), (b, 3), (c, 1), code="FIFTEEN")
    assert Decimal(order["discount_total"]) > 0 and Decimal(order["tax_total"]) > 0
    first, second, third = line_ids(order)
    # shipped in two shipments, the first delivered
    one = await shop.ship(order["id"], {first: 2, second: 1})
    await shop.ship(order["id"], {second: 2, third: 1})
    await shop.deliver(one)
    credit_before = await shop.returns_footprint()

    # when the shopper returns the first line (from the first shipment) and it is refunded
    ret = await shop.asked(order["id"], {first: 2})
    assert ret["status"] == "approved" and ret["label_url"]
    done = await shop.through(ret["id"])

    # then the payment's refunded amount is the line's paid amount, to the cent
    read = await shop.order(order["id"])
    paid = Decimal(next(x for x in read["lines"] if x["id"] == first)["paid_amount"])
    assert paid == share(order, first)
    assert await shop.refunded(order["id"]) == paid
    assert (done["status"], Decimal(done["refunded_to_payment"])) == ("refunded", paid)
    assert Decimal(done["refund_amount"]) == paid
    # and store credit is untouched
    assert Decimal(done["refunded_to_credit"]) == 0
    after = await shop.returns_footprint()
    assert after[2:4] == credit_before[2:4]
    assert next(x for x in read["lines"] if x["id"] == first)["returned_quantity"] == 2


@pytest.mark.edge_case("EC038")
async def test_a_partial_return_of_a_line_refunds_those_units_and_the_rest_later(
    shop: ReturnsShop,
) -> None:
    # given a delivered order of 3 units of one line and one of another, with a code
    await shop.code("TEN", "percent", "10")
    a, b = await shop.product("10.00"), await shop.product("5.55")
    order, _ = await shop.delivered((a, 3), (b, 1), code="TEN")
    first, _second = line_ids(order)
    paid = share(order, first)

    # when one unit comes back, then the other two
    one = await shop.through((await shop.asked(order["id"], {first: 1}))["id"])
    two = await shop.through((await shop.asked(order["id"], {first: 2}))["id"])

    # then the parts add up to what was paid for the line, exactly
    parts = Decimal(one["refunded_to_payment"]) + Decimal(two["refunded_to_payment"])
    assert parts == paid == await shop.refunded(order["id"])
    assert Decimal(one["refunded_to_payment"]) == (paid / 3).quantize(Decimal("0.01"), "ROUND_DOWN")
    # and nothing of the line is left to return: 409
    again = await shop.ask(order["id"], {first: 1})
    assert (again.status_code, again.json()["code"]) == (409, "units_not_returnable")


@pytest.mark.edge_case("EC040")
async def test_missing_items_refund_nothing(shop: ReturnsShop) -> None:
    # given a delivered order of 3 units, and a return of all of them
    product = await shop.product("12.00")
    order, _ = await shop.delivered((product, 3))
    [line] = line_ids(order)
    ret = await shop.asked(order["id"], {line: 3})

    # when only 2 arrive
    done = await shop.through(ret["id"], received={line: 2})

    # then the third is missing: those 2 are refunded, the third is not, nor restocked
    [returned] = done["lines"]
    assert (returned["quantity"], returned["received_quantity"]) == (3, 2)
    assert Decimal(done["refunded_to_payment"]) == Decimal("24.00")
    assert await shop.refunded(order["id"]) == Decimal("24.00")
    read = await shop.order(order["id"])
    assert read["lines"][0]["returned_quantity"] == 2
    restocked = [m for m in await shop.movements(sku=product.sku) if m["reason"] == "returned"]
    assert [m["on_hand_delta"] for m in restocked] == [2]
    # and the missing unit can be asked back again (it is not counted returned)
    assert (await shop.ask(order["id"], {line: 1})).status_code == 201


async def test_a_parcel_with_nothing_in_it_refunds_nothing(shop: ReturnsShop) -> None:
    # given a delivered order and a return of its unit
    product = await shop.product("12.00")
    order, _ = await shop.delivered((product, 1))
    [line] = line_ids(order)
    ret = await shop.asked(order["id"], {line: 1})

    # when nothing arrives, it is inspected and refunded
    done = await shop.through(ret["id"], received={line: 0})

    # then nothing is refunded, nothing restocked
    assert (done["status"], done["refund_amount"]) == ("refunded", "0.00")
    assert done["lines"][0]["condition"] == "missing"
    assert await shop.refunded(order["id"]) == 0
    assert not [m for m in await shop.movements(sku=product.sku) if m["reason"] == "returned"]
