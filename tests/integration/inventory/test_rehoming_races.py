"""A hold moving between locations (fulfilment planning's `move_hold`, in the shipping
agent's transaction) while the same reference's hold is released (a cancellation, in the
orders agent's): on PostgreSQL the two overlap, and no unit may stay held for a reference
that released its stock (the fulfilment reconciliation property found one that did)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from mercato.agents.inventory import service as inventory
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.inventory.conftest import TENANT, Shop, Stock


async def _a_statement_waits_on_a_lock(shop: Shop, within: float = 10.0) -> None:
    """Until another session of this database waits for a row lock."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        async with shop.uow(writes=False) as uow:
            waiting = await uow.session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        if waiting:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the release never waited on the moving hold")


@pytest.mark.parametrize("moved", [3, 1], ids=["the whole hold", "a part of it"])
async def test_a_release_that_meets_a_hold_moving_ends_it_where_it_moved(
    shop: Shop, settings: Settings, moved: int
) -> None:
    if settings.is_sqlite:
        pytest.skip("SQLite serializes writers: a release cannot overlap a move")
    # given 3 units held for an order at the location checkout drew them from, and stock at
    # a second location
    sku, variant = await shop.variant()
    here, there = await shop.location(priority=1), await shop.location(priority=2)
    await shop.receive(sku, here, 10)
    await shop.receive(sku, there, 10)
    (held,) = await shop.reserve("order-1", [(variant, 3)])
    source = held.location_id
    target = there if source == here else here

    # when units of the hold move to the other location, and before that commits the order's
    # release reads the hold and waits for it
    with bind(tenant_id=TENANT):
        async with shop.uow() as uow:
            await inventory.move_hold(
                uow,
                reference="order-1",
                variant_id=variant,
                from_location=source,
                to_location=target,
                quantity=moved,
                now=shop.clock.now(),
            )
            release = asyncio.create_task(shop.release("order-1"))
            await _a_statement_waits_on_a_lock(shop)
            await uow.commit()
    released = await release

    # then the release ended the hold where it had moved (and what was left of it where it
    # was), each for the units it held, and nothing is held anywhere
    ended = {(r.location_id, r.quantity) for r in released}
    assert ended == {(target, moved), (source, 3 - moved)} - {(source, 0)}
    for location in (source, target):
        assert await shop.stock(variant, location) == Stock(on_hand=10, reserved=0)
        assert await shop.ledger(variant, location) == Stock(on_hand=10, reserved=0)
