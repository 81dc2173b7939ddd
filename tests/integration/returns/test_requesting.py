"""Asking for a return: only delivered units not already returned or asked for, by the
order's own shopper (a guest with their session, a customer) or staff; who sees which
returns; screening holds a shopper's third return in 90 days and a high-value one for staff,
who approve (the label is made then) or reject it."""

from __future__ import annotations

from tests.integration.identity.conftest import sign_up
from tests.integration.returns.conftest import ReturnsShop, line_ids


async def test_units_in_an_open_return_cannot_be_asked_for_again(shop: ReturnsShop) -> None:
    # given a delivered order of two units, both in an open return
    product = await shop.product("15.00")
    order, guest = await shop.delivered((product, 2))
    [line] = line_ids(order)
    first = await shop.asked(order["id"], {line: 2}, headers=guest)
    before = await shop.returns_footprint()

    # when one of them is asked for again: 409, nothing written
    again = await shop.ask(order["id"], {line: 1}, headers=guest)
    assert (again.status_code, again.json()["code"]) == (409, "units_not_returnable")
    assert await shop.returns_footprint() == before

    # when the shopper cancels the first return, the units are free again
    cancelled = await shop.client.post(f"/v1/returns/{first['id']}/cancel", headers=guest)
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    again = await shop.client.post(f"/v1/returns/{first['id']}/cancel", headers=guest)
    assert again.json() == cancelled.json()
    assert (await shop.ask(order["id"], {line: 1}, headers=guest)).status_code == 201
    # and a cancelled return cannot be received
    late = await shop.act(first["id"], "receive")
    assert (late.status_code, late.json()["code"]) == (409, "return_status_conflict")


async def test_the_rest_of_a_line_is_returnable_while_a_received_part_waits_for_its_refund(
    shop: ReturnsShop,
) -> None:
    # given a delivered line of 3 units, a return of 2 of them received with 1 missing, and
    # not refunded yet
    product = await shop.product("15.00")
    order, guest = await shop.delivered((product, 3))
    [line] = line_ids(order)
    first = await shop.asked(order["id"], {line: 2}, headers=guest)
    await shop.acted(first["id"], "receive", {"lines": [{"line_id": line, "quantity": 1}]})
    before = await shop.returns_footprint()

    # when the shopper asks for 2 more: 1 received back is returned, 1 missing is still
    # spoken for, so only 1 is left: 409, nothing written
    over = await shop.ask(order["id"], {line: 2}, headers=guest)
    assert (over.status_code, over.json()["code"]) == (409, "units_not_returnable")
    assert await shop.returns_footprint() == before

    # then the third unit, never asked for, can be returned at once
    assert (await shop.ask(order["id"], {line: 1}, headers=guest)).status_code == 201


async def test_units_not_delivered_cannot_be_returned(shop: ReturnsShop) -> None:
    # given an order of two lines: one delivered, the other shipped, not yet delivered
    a, b = await shop.product("10.00"), await shop.product("11.00")
    order, guest = await shop.checked_out((a, 1), (b, 2))
    first, second = line_ids(order)
    # nothing delivered yet: 409
    early = await shop.ask(order["id"], {first: 1}, headers=guest)
    assert (early.status_code, early.json()["code"]) == (409, "units_not_returnable")
    await shop.deliver(await shop.ship(order["id"], {first: 1}))
    await shop.ship(order["id"], {second: 2})
    before = await shop.returns_footprint()

    # when the shopper asks to return the line that is still on its way
    answer = await shop.ask(order["id"], {second: 1}, headers=guest)

    # then 409, and nothing is written
    assert (answer.status_code, answer.json()["code"]) == (409, "units_not_returnable")
    assert answer.json()["line_id"] == second
    assert await shop.returns_footprint() == before
    # and more units than the line has, a line the order does not have, a line twice: refused
    assert (await shop.ask(order["id"], {first: 2}, headers=guest)).status_code == 409
    unknown = await shop.ask(order["id"], {"no-such-line": 1}, headers=guest)
    assert (unknown.status_code, unknown.json()["code"]) == (422, "invalid_return")
    twice = await shop.client.post(
        f"/v1/orders/{order['id']}/returns",
        json={"lines": [{"line_id": first, "quantity": 1}, {"line_id": first, "quantity": 1}]},
        headers=guest,
    )
    assert (twice.status_code, twice.json()["code"]) == (422, "invalid_return")
    assert await shop.returns_footprint() == before


async def test_a_guest_returns_their_order_and_no_other_shopper_sees_it(
    shop: ReturnsShop,
) -> None:
    # given a guest's delivered order
    product = await shop.product("15.00")
    order, guest = await shop.delivered((product, 1))
    [line] = line_ids(order)
    stranger, customer = await shop.guest(), (await sign_up(shop.client)).headers

    # when another shopper asks to return it: 404, as if there were no such order
    for other in (stranger, customer):
        refused = await shop.ask(order["id"], {line: 1}, headers=other)
        assert (refused.status_code, refused.json()["code"]) == (404, "order_not_found")

    # when its guest asks, with their session
    made = await shop.asked(order["id"], {line: 1}, headers=guest)

    # then the guest sees it, the others do not, nor can they cancel it
    assert made["status"] == "approved" and made["customer_id"] is None
    assert (await shop.get_return(made["id"], guest))["id"] == made["id"]
    for other in (stranger, customer):
        seen = await shop.client.get(f"/v1/returns/{made['id']}", headers=other)
        assert (seen.status_code, seen.json()["code"]) == (404, "return_not_found")
        cancel = await shop.client.post(f"/v1/returns/{made['id']}/cancel", headers=other)
        assert cancel.status_code == 404
    # and a guest's list is empty (their returns are found through their orders)
    listed = await shop.client.get("/v1/returns", headers=guest)
    assert listed.json() == {"items": [], "next_cursor": None}
    # and staff steps are staff's
    step = await shop.client.post(f"/v1/returns/{made['id']}/receive", headers=guest)
    assert step.status_code == 403


async def test_a_customer_lists_only_their_own_returns(shop: ReturnsShop) -> None:
    # given two customers, each with a return
    product = await shop.product("15.00")
    ada, bob = (await sign_up(shop.client)).headers, (await sign_up(shop.client)).headers
    made = {}
    for who, headers in (("ada", ada), ("bob", bob)):
        order, _ = await shop.delivered((product, 1), headers=headers)
        made[who] = await shop.asked(order["id"], {line_ids(order)[0]: 1}, headers=headers)

    # when each lists their returns
    for who, headers in (("ada", ada), ("bob", bob)):
        listed = await shop.client.get("/v1/returns", headers=headers)
        # then they see their own only
        assert listed.status_code == 200, listed.text
        assert [r["id"] for r in listed.json()["items"]] == [made[who]["id"]]
    # and staff see both, newest first, a page at a time
    page = await shop.ok("GET", "/returns", limit=1)
    rest = await shop.ok("GET", "/returns", limit=1, cursor=page["next_cursor"])
    assert [r["id"] for r in page["items"] + rest["items"]] == [
        made["bob"]["id"],
        made["ada"]["id"],
    ]
    held = await shop.ok("GET", "/returns", status="requested")
    assert held["items"] == []
    bad = await shop.call("GET", "/returns", cursor="not-a-cursor")
    assert bad.status_code == 400


async def test_a_shoppers_third_return_in_90_days_waits_for_staff(shop: ReturnsShop) -> None:
    # given a customer who returned twice already
    products = [await shop.product("10.00") for _ in range(3)]
    customer = (await sign_up(shop.client)).headers
    order, _ = await shop.delivered(*((p, 1) for p in products), headers=customer)
    one, two, three = line_ids(order)
    for line in (one, two):
        assert (await shop.asked(order["id"], {line: 1}, headers=customer))["flags"] == []

    # when they ask for a third
    held = await shop.asked(order["id"], {three: 1}, headers=customer)

    # then it waits for staff, flagged, without a label
    assert (held["status"], held["flags"], held["label_url"]) == (
        "requested",
        ["too_many_returns"],
        None,
    )
    queue = await shop.ok("GET", "/returns", status="requested")
    assert [r["id"] for r in queue["items"]] == [held["id"]]
    # when staff approve it, it gets its label
    approved = await shop.acted(held["id"], "approve")
    assert approved["status"] == "approved" and approved["label_url"]
    assert approved["label_shipment_id"]
    # and approving again changes nothing, asking for its label again answers the same
    assert (await shop.acted(held["id"], "approve")) == approved
    assert (await shop.acted(held["id"], "label"))["label_url"] == approved["label_url"]


async def test_a_high_value_return_waits_and_staff_may_reject_it(shop: ReturnsShop) -> None:
    # given a delivered order worth more than the store's review threshold
    product = await shop.product("600.00")
    order, guest = await shop.delivered((product, 1))
    [line] = line_ids(order)
    held = await shop.asked(order["id"], {line: 1}, headers=guest)
    assert (held["status"], held["flags"]) == ("requested", ["high_value"])

    # when staff reject it, saying why
    rejected = await shop.acted(held["id"], "reject", {"reason": "worn, per the photos"})

    # then it is rejected with the reason, told, and can no longer be approved or received
    assert (rejected["status"], rejected["rejection_reason"]) == (
        "rejected",
        "worn, per the photos",
    )
    assert [e["reason"] for e in await shop.events("return.rejected")] == ["worn, per the photos"]
    assert await shop.acted(held["id"], "reject", {"reason": "again"}) == rejected
    for step in ("approve", "receive", "label"):
        answer = await shop.act(held["id"], step)
        assert (answer.status_code, answer.json()["code"]) == (409, "return_status_conflict")
    # and the units may be asked for again (held again, as they are worth as much)
    again = await shop.asked(order["id"], {line: 1}, headers=guest)
    assert again["status"] == "requested"
