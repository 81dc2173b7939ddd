"""Two return requests for the same delivered units at once: the order's requests queue
behind one another (an advisory lock on PostgreSQL, SQLite's write lock), so the second
sees the first's units as spoken for and is refused; it is never let through to be
refused only at receive."""

from __future__ import annotations

import asyncio

import pytest

from tests.integration.returns.conftest import ReturnsShop, line_ids


@pytest.mark.parametrize("who", ["shopper", "staff"])
async def test_two_requests_for_the_same_units_at_once_make_one_return(
    shop: ReturnsShop, who: str
) -> None:
    # given a delivered order line of 2 units
    product = await shop.product("15.00")
    order, guest = await shop.delivered((product, 2))
    [line] = line_ids(order)
    headers = guest if who == "shopper" else None
    before = await shop.returns_footprint()

    # when two requests for both units run at once (each its own request, unit of work and
    # database session)
    answers = await asyncio.gather(
        shop.ask(order["id"], {line: 2}, headers=headers),
        shop.ask(order["id"], {line: 2}, headers=headers),
    )

    # then exactly one is accepted; the other is told the units are taken
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    [made] = [a.json() for a in answers if a.status_code == 201]
    [refused] = [a.json() for a in answers if a.status_code == 409]
    assert (refused["code"], refused["line_id"]) == ("units_not_returnable", line)
    # and one return exists, with its lines and events only: nothing else changed
    listed = await shop.ok("GET", "/returns", order_id=order["id"])
    assert [r["id"] for r in listed["items"]] == [made["id"]]
    returns, lines, accounts, entries, movements, told = before
    after = await shop.returns_footprint()
    assert after[:5] == (returns + 1, lines + 1, accounts, entries, movements)
    assert after[5] > told  # this return's events (requested, approved)
    assert [e["return_id"] for e in await shop.events("return.requested")] == [made["id"]]
    assert (await shop.order(order["id"]))["lines"][0]["returned_quantity"] == 0
