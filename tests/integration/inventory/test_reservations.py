"""Reservations hold stock for a reference, all lines or none, drawn by location priority;
stock is never oversold, whatever the concurrency (EC002)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest

from mercato.agents.inventory import service as inventory
from mercato.agents.inventory.errors import InsufficientStock
from mercato.agents.inventory.jobs import sweep
from mercato.agents.inventory.models import Movement, Reservation
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.inventory.conftest import ADMIN_HEADERS, TENANT, Shop, Stock


@pytest.mark.edge_case("EC002")
async def test_ec002_200_concurrent_reservations_of_10_units_exactly_10_succeed(
    shop: Shop,
) -> None:
    # given one SKU with 10 units in stock
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    await shop.receive(sku, warehouse, 10)

    # when 200 buyers reserve one unit each at the same moment, each in its own transaction
    async def attempt(n: int) -> bool:
        try:
            await shop.reserve(f"checkout-{n}", [(variant_id, 1)])
        except InsufficientStock as refused:
            assert refused.lines == [{"variant_id": variant_id, "requested": 1, "available": 0}]
            return False
        return True

    async def watch(done: asyncio.Event) -> list[int]:
        """What a reader sees while the buyers race: the available stock, again and again."""
        seen = []
        while not done.is_set():
            seen.append((await shop.stock(variant_id, warehouse)).available)
            await asyncio.sleep(0)
        return seen

    done = asyncio.Event()
    watcher = asyncio.create_task(watch(done))
    outcomes = await asyncio.gather(*(attempt(n) for n in range(200)))
    done.set()
    seen = await watcher

    # then exactly 10 hold a unit and 190 were told the stock is short
    assert outcomes.count(True) == 10
    assert outcomes.count(False) == 190
    # and no reader ever saw available stock below zero (the CHECK constraints hold)
    assert seen
    assert min(seen) >= 0
    # and the stock is all reserved, none of it twice
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=10, reserved=10)
    assert (await shop.stock(variant_id, warehouse)).available == 0
    assert await shop.count(Reservation) == 10
    # and the ledger sums to the stock
    assert await shop.ledger(variant_id, warehouse) == Stock(on_hand=10, reserved=10)
    assert len(await shop.events("stock.reserved")) == 10


async def test_reserving_again_for_a_reference_returns_its_holds_unchanged(shop: Shop) -> None:
    # given a reservation for a checkout
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    await shop.receive(sku, warehouse, 10)
    first = await shop.reserve("checkout-a", [(variant_id, 4)])

    # when the checkout retries the reservation (a redelivered event)
    second = await shop.reserve("checkout-a", [(variant_id, 4)])

    # then the same holds come back and nothing more is held
    assert [r.id for r in second] == [r.id for r in first]
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=10, reserved=4)
    assert len(await shop.events("stock.reserved")) == 1


async def test_reserving_again_with_other_lines_is_refused_and_changes_nothing(
    shop: Shop,
) -> None:
    """A retry is a no-op only if it asks for what is held: a reference reused for other
    lines gets 409 `reservation_mismatch` instead of silently keeping the old holds."""
    # given a checkout holding 4 units of one variant, split over two locations
    skus = await shop.variants("HELD", "OTHER")
    near = await shop.location(priority=1)
    far = await shop.location(priority=2)
    await shop.receive("HELD", near, 3)
    await shop.receive("HELD", far, 10)
    await shop.receive("OTHER", far, 10)
    first = await shop.reserve("checkout-b", [(skus["HELD"], 4)])
    assert len(first) == 2
    before = await shop.footprint(Reservation, Movement)

    # when it is retried with the same lines, written differently (two lines of 2)
    same = await shop.reserve("checkout-b", [(skus["HELD"], 2), (skus["HELD"], 2)])
    # then the holds come back unchanged
    assert [r.id for r in same] == [r.id for r in first]
    assert await shop.footprint(Reservation, Movement) == before

    # when the reference is reused for another quantity, or another variant
    mismatches = [
        [(skus["HELD"], 5)],
        [(skus["HELD"], 4), (skus["OTHER"], 1)],
        [(skus["OTHER"], 4)],
    ]
    answers = [
        await shop.client.post(
            "/v1/inventory/reservations",
            json={
                "reference": "checkout-b",
                "lines": [{"variant_id": v, "quantity": q} for v, q in lines],
            },
            headers=ADMIN_HEADERS,
        )
        for lines in mismatches
    ]

    # then each is refused, naming what is held, and nothing changed
    for answer in answers:
        assert answer.status_code == 409, answer.text
        assert answer.json()["code"] == "reservation_mismatch"
        assert answer.json()["held"] == [{"variant_id": skus["HELD"], "quantity": 4}]
    assert await shop.footprint(Reservation, Movement) == before
    assert await shop.stock(skus["HELD"], near) == Stock(on_hand=3, reserved=3)
    assert await shop.stock(skus["HELD"], far) == Stock(on_hand=10, reserved=1)
    assert await shop.stock(skus["OTHER"], far) == Stock(on_hand=10, reserved=0)


async def test_a_reference_with_a_lapsed_hold_and_another_reserving_together_never_deadlock(
    shop: Shop, settings: Settings
) -> None:
    """A reference whose hold on v2 lapsed returns it and reserves [v1, v2] while another
    reference reserves [v1, v2]: both lock the stock rows in one order (variant, row), so
    neither waits for the other in a cycle (PostgreSQL would abort one with a deadlock)."""
    if settings.is_sqlite:
        pytest.skip("SQLite serializes writers: there are no row locks to take out of order")
    # given two variants well stocked, and 30 checkouts whose hold on v2 has lapsed
    skus = await shop.variants("V1", "V2")
    v1, v2 = skus["V1"], skus["V2"]
    warehouse = await shop.location()
    await shop.receive("V1", warehouse, 500)
    await shop.receive("V2", warehouse, 500)
    pairs = 30
    for n in range(pairs):
        await shop.reserve(f"lapsed-{n}", [(v2, 1)])
    shop.clock.advance(minutes=16)

    async def reserve(reference: str) -> httpx.Response:
        body = {
            "reference": reference,
            "lines": [{"variant_id": v1, "quantity": 1}, {"variant_id": v2, "quantity": 1}],
        }
        return await shop.client.post(
            "/v1/inventory/reservations", json=body, headers=ADMIN_HEADERS
        )

    # when each lapsed checkout reserves [v1, v2] at the same moment as a fresh one
    statuses = []
    for n in range(pairs):
        answers = await asyncio.gather(reserve(f"lapsed-{n}"), reserve(f"fresh-{n}"))
        statuses.extend(a.status_code for a in answers)

    # then every reservation succeeded: no deadlock, no 500
    assert statuses == [201] * (2 * pairs)
    # and each lapsed hold was returned once, and the ledger sums to the stock
    assert await shop.stock(v1, warehouse) == Stock(on_hand=500, reserved=2 * pairs)
    assert await shop.stock(v2, warehouse) == Stock(on_hand=500, reserved=2 * pairs)
    assert await shop.ledger(v2, warehouse) == Stock(on_hand=500, reserved=2 * pairs)
    expired = await shop.events("stock.released")
    assert sorted(e["reference"] for e in expired) == sorted(f"lapsed-{n}" for n in range(pairs))


async def test_a_reference_reserving_again_while_the_sweeper_expires_its_hold_never_deadlocks(
    shop: Shop, settings: Settings
) -> None:
    """The sweeper claims a lapsed reservation, then returns its stock; a reference reserving
    again locks its stock rows, then ends its lapsed hold. Neither waits on the other in a
    cycle: the reservation leaves a hold someone else is already ending to them."""
    if settings.is_sqlite:
        pytest.skip("SQLite serializes writers: there are no row locks to take out of order")
    # given two variants well stocked
    skus = await shop.variants("V1", "V2")
    v1, v2 = skus["V1"], skus["V2"]
    warehouse = await shop.location()
    await shop.receive("V1", warehouse, 500)
    await shop.receive("V2", warehouse, 500)

    async def reserve_for_a_day(reference: str) -> None:
        with bind(tenant_id=TENANT):
            async with shop.uow() as uow:
                await inventory.reserve(
                    uow,
                    reference=reference,
                    lines=[(v1, 1), (v2, 1)],
                    now=shop.clock.now(),
                    ttl=timedelta(days=1),
                )
                await uow.commit()

    rounds = 30
    for n in range(rounds):
        # and a checkout whose hold on v2 has just lapsed
        await shop.reserve(f"lapsed-{n}", [(v2, 1)])
        shop.clock.advance(minutes=16)

        # when it reserves [v1, v2] while the sweeper runs
        swept, _ = await asyncio.gather(sweep(shop.kernel), reserve_for_a_day(f"lapsed-{n}"))

        # then both finish (no deadlock), and the lapsed hold was ended once
        assert swept in (0, 1)
    released = [e["reference"] for e in await shop.events("stock.released")]
    assert sorted(released) == sorted(f"lapsed-{n}" for n in range(rounds))
    assert await shop.stock(v1, warehouse) == Stock(on_hand=500, reserved=rounds)
    assert await shop.stock(v2, warehouse) == Stock(on_hand=500, reserved=rounds)
    assert await shop.ledger(v2, warehouse) == Stock(on_hand=500, reserved=rounds)


async def test_a_line_is_drawn_by_location_priority_then_split(shop: Shop) -> None:
    # given 3 units at a first-choice store and 10 at a second-choice warehouse
    sku, variant_id = await shop.variant()
    near = await shop.location(priority=1)
    far = await shop.location(priority=5)
    await shop.receive(sku, near, 3)
    await shop.receive(sku, far, 10)

    # when 5 units are reserved
    made = await shop.reserve("split-order", [(variant_id, 5)])

    # then the first location gives all it has and the second the rest
    assert sorted((r.location_id, r.quantity) for r in made) == sorted([(near, 3), (far, 2)])
    assert await shop.stock(variant_id, near) == Stock(on_hand=3, reserved=3)
    assert await shop.stock(variant_id, far) == Stock(on_hand=10, reserved=2)


async def test_inactive_locations_are_not_reserved_from(shop: Shop) -> None:
    # given stock only at a location that was closed
    sku, variant_id = await shop.variant()
    closed = await shop.location()
    await shop.receive(sku, closed, 8)
    answer = await shop.client.patch(
        f"/v1/inventory/locations/{closed}", json={"active": False}, headers=ADMIN_HEADERS
    )
    assert answer.status_code == 200, answer.text
    # when a unit is reserved, then the stock is short
    with pytest.raises(InsufficientStock):
        await shop.reserve("closed-order", [(variant_id, 1)])
    assert await shop.stock(variant_id, closed) == Stock(on_hand=8, reserved=0)


async def test_a_reservation_short_on_any_line_holds_nothing_and_names_every_short_line(
    shop: Shop,
) -> None:
    # given three variants: one plentiful, two short
    skus = await shop.variants("PLENTY", "SHORT-A", "SHORT-B")
    warehouse = await shop.location()
    await shop.receive("PLENTY", warehouse, 50)
    await shop.receive("SHORT-A", warehouse, 1)
    before = await shop.footprint(Reservation, Movement)

    # when one reservation asks for all three beyond the short ones' stock
    lines = [(skus["PLENTY"], 5), (skus["SHORT-A"], 2), (skus["SHORT-B"], 1)]
    with pytest.raises(InsufficientStock) as refused:
        await shop.reserve("greedy", lines)

    # then both short lines are named with what is available
    assert sorted(refused.value.lines, key=lambda line: line["available"]) == [
        {"variant_id": skus["SHORT-B"], "requested": 1, "available": 0},
        {"variant_id": skus["SHORT-A"], "requested": 2, "available": 1},
    ]
    # and nothing is held, no movement or event was written
    assert await shop.footprint(Reservation, Movement) == before
    assert await shop.stock(skus["PLENTY"], warehouse) == Stock(on_hand=50, reserved=0)


async def test_a_refused_reservation_leaves_nothing_even_if_the_caller_commits(
    shop: Shop,
) -> None:
    """A saga step that catches `InsufficientStock` and commits its own bookkeeping in the
    same transaction keeps no partial hold: the service undoes its own draws."""
    # given two variants, the second out of stock
    skus = await shop.variants("IN", "OUT")
    warehouse = await shop.location()
    await shop.receive("IN", warehouse, 5)
    before = await shop.footprint(Reservation, Movement)
    # when the reservation fails and the caller commits anyway
    with bind(tenant_id=TENANT):
        async with shop.uow() as uow:
            with pytest.raises(InsufficientStock):
                await inventory.reserve(
                    uow,
                    reference="caught",
                    lines=[(skus["IN"], 2), (skus["OUT"], 1)],
                    now=shop.clock.now(),
                )
            await uow.commit()
    # then nothing was held
    assert await shop.stock(skus["IN"], warehouse) == Stock(on_hand=5, reserved=0)
    assert await shop.footprint(Reservation, Movement) == before


async def test_a_caller_that_rolls_back_gets_the_same_refusal_without_a_savepoint(
    shop: Shop,
) -> None:
    """The checkout saga's `place` fails whole when a line is short: `caller_rolls_back`
    spares the savepoint, and the refusal and the outcome after the rollback are the same."""
    # given two variants, the second short
    skus = await shop.variants("IN", "OUT")
    warehouse = await shop.location()
    await shop.receive("IN", warehouse, 5)
    await shop.receive("OUT", warehouse, 1)
    before = await shop.footprint(Reservation, Movement)
    # when a reservation beyond the second's stock fails, and the caller rolls back
    with bind(tenant_id=TENANT), pytest.raises(InsufficientStock) as refused:
        async with shop.uow() as uow:
            await inventory.reserve(
                uow,
                reference="saga-step",
                lines=[(skus["IN"], 2), (skus["OUT"], 3)],
                now=shop.clock.now(),
                fresh=True,
                caller_rolls_back=True,
            )
    # then the short line is named with what is available, and nothing was held
    assert refused.value.lines == [{"variant_id": skus["OUT"], "requested": 3, "available": 1}]
    assert await shop.stock(skus["IN"], warehouse) == Stock(on_hand=5, reserved=0)
    assert await shop.footprint(Reservation, Movement) == before


async def test_reservations_through_the_api(shop: Shop) -> None:
    # given 7 units
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    await shop.receive(sku, warehouse, 7)

    # when a checkout reserves 4 for 60 seconds
    body = {"reference": "cart-9", "lines": [{"variant_id": variant_id, "quantity": 4}]}
    made = await shop.client.post(
        "/v1/inventory/reservations", json={**body, "ttl_seconds": 60}, headers=ADMIN_HEADERS
    )
    assert made.status_code == 201, made.text
    (held,) = made.json()
    assert held["quantity"] == 4
    assert held["status"] == "active"

    # then it is listed, and more than the rest is refused with the short line
    listed = await shop.client.get(
        "/v1/inventory/reservations", params={"reference": "cart-9"}, headers=ADMIN_HEADERS
    )
    assert [r["id"] for r in listed.json()["items"]] == [held["id"]]
    too_many = await shop.client.post(
        "/v1/inventory/reservations",
        json={"reference": "cart-10", "lines": [{"variant_id": variant_id, "quantity": 4}]},
        headers=ADMIN_HEADERS,
    )
    assert too_many.status_code == 409, too_many.text
    assert too_many.json()["code"] == "insufficient_stock"
    assert too_many.json()["lines"] == [{"variant_id": variant_id, "requested": 4, "available": 3}]

    # and releasing returns the units (a second release changes nothing)
    released = await shop.client.post(
        "/v1/inventory/reservations/cart-9/release", headers=ADMIN_HEADERS
    )
    assert released.status_code == 200, released.text
    assert [r["status"] for r in released.json()] == ["released"]
    again = await shop.client.post(
        "/v1/inventory/reservations/cart-9/release", headers=ADMIN_HEADERS
    )
    assert again.json() == []
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=7, reserved=0)
    # and an unknown reference cannot be committed
    unknown = await shop.client.post(
        "/v1/inventory/reservations/nobody/commit", headers=ADMIN_HEADERS
    )
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "reservation_not_found"


@pytest.mark.parametrize(
    "body",
    [
        {"reference": "r", "lines": []},
        {"reference": "r", "lines": [{"variant_id": "v", "quantity": 0}]},
        {"reference": "r", "lines": [{"variant_id": "v", "quantity": "2"}]},
        {"reference": "r", "lines": [{"variant_id": "v", "quantity": 1.5}]},
        {"reference": "r", "lines": [{"variant_id": "v", "quantity": 1_000_001}]},
        {"reference": "", "lines": [{"variant_id": "v", "quantity": 1}]},
        {"reference": "r", "lines": [{"variant_id": "v", "quantity": 1}], "ttl_seconds": 0},
    ],
)
async def test_a_malformed_reservation_is_refused_and_writes_nothing(
    shop: Shop, body: dict[str, object]
) -> None:
    before = await shop.footprint(Reservation, Movement)
    answer = await shop.client.post("/v1/inventory/reservations", json=body, headers=ADMIN_HEADERS)
    assert answer.status_code == 422, answer.text
    assert await shop.footprint(Reservation, Movement) == before
