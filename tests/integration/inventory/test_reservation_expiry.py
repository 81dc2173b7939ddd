"""Reservations end: committed ones keep their stock gone; expired ones give it back,
swept in every store, once, however many sweepers and callers race (BR018)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from mercato.agents.inventory.errors import ReservationNotActive
from mercato.agents.inventory.jobs import sweep
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from tests.conftest import DB_STACKS, eventually
from tests.integration.identity.conftest import ADMIN, add_store, in_store
from tests.integration.inventory.conftest import ADMIN_HEADERS, Shop, Stock
from tests.support.store import store_for


@pytest.mark.business_rule("BR018")
async def test_br018_an_expired_reservation_returns_its_stock_and_cannot_be_committed(
    shop: Shop,
) -> None:
    # given 5 units of which 3 are reserved for 15 minutes
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    await shop.receive(sku, warehouse, 5)
    await shop.reserve("order-1", [(variant_id, 3)])
    assert (await shop.stock(variant_id, warehouse)).available == 2

    # when 14 minutes pass, the sweeper leaves it alone
    shop.clock.advance(minutes=14)
    assert await sweep(shop.kernel) == 0
    # and when 16 minutes have passed, the sweeper (run twice, as two processes might) ends it
    shop.clock.advance(minutes=2)
    assert await sweep(shop.kernel) == 1
    assert await sweep(shop.kernel) == 0

    # then the stock is back, released once with the reason `expired`
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=5, reserved=0)
    released = await shop.events("stock.released")
    assert [(e["reference"], e["quantity"], e["reason"]) for e in released] == [
        ("order-1", 3, "expired")
    ]
    assert await shop.ledger(variant_id, warehouse) == Stock(on_hand=5, reserved=0)
    # and committing it now is refused: the units are no longer held for it
    with pytest.raises(ReservationNotActive):
        await shop.commit("order-1")
    answer = await shop.client.post(
        "/v1/inventory/reservations/order-1/commit", headers=ADMIN_HEADERS
    )
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "reservation_not_active"
    assert answer.json()["rule"] == "BR018"
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=5, reserved=0)
    assert await shop.events("stock.committed") == []


@pytest.mark.business_rule("BR018")
async def test_br018_a_reservation_past_its_expiry_is_not_committed_before_the_sweep(
    shop: Shop,
) -> None:
    # given a reservation whose expiry passed, not yet swept
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    await shop.receive(sku, warehouse, 4)
    await shop.reserve("late-order", [(variant_id, 4)])
    shop.clock.advance(minutes=15)
    # when it is committed, then it is refused and the stock stays held until the sweep
    with pytest.raises(ReservationNotActive):
        await shop.commit("late-order")
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=4, reserved=4)
    assert await sweep(shop.kernel) == 1
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=4, reserved=0)


async def test_a_committed_reservation_keeps_its_stock_gone(shop: Shop) -> None:
    # given 5 units of which 2 are reserved, then committed (the order was confirmed)
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    await shop.receive(sku, warehouse, 5)
    await shop.reserve("order-2", [(variant_id, 2)])
    committed = await shop.commit("order-2")
    assert [r.status for r in committed] == ["committed"]

    # when the expiry passes and the sweeper runs
    shop.clock.advance(minutes=30)
    assert await sweep(shop.kernel) == 0

    # then the committed units left the building and nothing came back
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=3, reserved=0)
    assert await shop.events("stock.released") == []
    assert len(await shop.events("stock.committed")) == 1
    assert await shop.ledger(variant_id, warehouse) == Stock(on_hand=3, reserved=0)
    # and committing again changes nothing
    again = await shop.commit("order-2")
    assert [r.id for r in again] == [r.id for r in committed]
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=3, reserved=0)
    assert len(await shop.events("stock.committed")) == 1


async def test_concurrent_releases_and_the_sweeper_return_stock_once(shop: Shop) -> None:
    # given a reservation past its expiry
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    await shop.receive(sku, warehouse, 6)
    await shop.reserve("raced", [(variant_id, 6)])
    shop.clock.advance(minutes=20)

    # when two releases and two sweeps race for it
    results = await asyncio.gather(
        shop.release("raced"), shop.release("raced"), sweep(shop.kernel), sweep(shop.kernel)
    )

    # then exactly one of them ended it, and the stock came back once
    ended = len(results[0]) + len(results[1]) + results[2] + results[3]
    assert ended == 1
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=6, reserved=0)
    assert len(await shop.events("stock.released")) == 1
    assert await shop.ledger(variant_id, warehouse) == Stock(on_hand=6, reserved=0)


async def test_the_sweeper_expires_every_stores_reservations_in_their_own_store(
    shop: Shop,
) -> None:
    # given a reservation in the default store and one in a second store
    await add_store(shop.kernel, "shop-b")
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    await shop.receive(sku, warehouse, 2)
    await shop.reserve("a-1", [(variant_id, 2)])
    b_headers = in_store("shop-b", ADMIN)
    made = await shop.client.post(
        "/v1/products",
        json={"name": "B tee", "variants": [{"sku": "B-TEE", "price": "5.00"}]},
        headers=b_headers,
    )
    b_variant = made.json()["variants"][0]["id"]
    b_location = await shop.client.post(
        "/v1/inventory/locations", json={"code": "B-WH", "name": "B"}, headers=b_headers
    )
    for body in (
        {"sku": "B-TEE", "location_id": b_location.json()["id"], "delta": 3, "reason": "received"},
        {"reference": "b-1", "lines": [{"variant_id": b_variant, "quantity": 3}]},
    ):
        path = "adjustments" if "sku" in body else "reservations"
        answer = await shop.client.post(f"/v1/inventory/{path}", json=body, headers=b_headers)
        assert answer.status_code == 201, answer.text

    # when both expire and one sweep runs, outside any store
    shop.clock.advance(minutes=16)
    assert await sweep(shop.kernel) == 2

    # then each store got its stock back, and its own `stock.released` event
    async with shop.uow(writes=False) as uow:
        rows = await uow.session.scalars(
            select(OutboxRecord).where(OutboxRecord.type == "stock.released")
        )
        released = sorted((r.tenant_id, r.payload["reference"]) for r in rows)
    assert released == [("default", "a-1"), ("shop-b", "b-1")]
    assert await shop.stock(variant_id, warehouse) == Stock(on_hand=2, reserved=0)
    levels = await shop.client.get(
        "/v1/inventory/levels", params={"sku": "B-TEE"}, headers=b_headers
    )
    assert levels.json()["totals"] == {"on_hand": 3, "reserved": 0, "available": 3}


@pytest.mark.parametrize("stack", DB_STACKS)
async def test_the_running_sweeper_job_uses_the_configured_ttl_and_interval(
    make_settings: Callable[..., Settings], stack: str
) -> None:
    # given a running store whose reservations last 60 s and are swept every 0.1 s
    settings = make_settings(stack, reservation_ttl=60, reservation_sweep_interval=0.1)
    clock = ManualClock(datetime.now(UTC))
    async with store_for(settings, clock=clock, start=True) as (kernel, client):
        shop = Shop(kernel, client, clock)
        sku, variant_id = await shop.variant()
        warehouse = await shop.location()
        await shop.receive(sku, warehouse, 1)
        (held,) = await shop.reserve("job-1", [(variant_id, 1)])
        assert held.expires_at == clock.now() + timedelta(seconds=60)

        # when a minute passes
        clock.advance(seconds=61)

        # then the job, on its own, returns the unit
        async def returned() -> bool:
            return await shop.stock(variant_id, warehouse) == Stock(on_hand=1, reserved=0)

        await eventually(returned, within=10)
        assert [e["reason"] for e in await shop.events("stock.released")] == ["expired"]
