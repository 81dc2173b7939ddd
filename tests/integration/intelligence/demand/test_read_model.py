"""The demand read model follows the orders agent's events: a placed order's lines count on
the day it was placed, a cancellation takes them back, and a redelivered event changes
nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from mercato.agents.intelligence.demand import history
from mercato.agents.orders.events import OrderPlaced
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.context import bind
from tests.integration.analytics.conftest import Store
from tests.integration.intelligence.demand.conftest import TENANT, daily


async def test_orders_count_cancellations_take_back_and_redelivery_is_a_no_op(
    store: Store,
) -> None:
    # given a product and two guests' orders of it (2 and 3 units)
    product = await store.product(stock=50)
    first = await store.order((product, 2))
    await store.order((product, 3))
    await store.settled()
    today = datetime.now(UTC).date()
    # then today's demand is 5 units
    assert await daily(store, product.id) == {today: 5}
    # when the first order's `order.placed` is handled again (a redelivery)
    with bind(tenant_id=TENANT):
        async with store.kernel.uow() as uow:
            payload = await uow.session.scalar(
                select(OutboxRecord.payload).where(
                    OutboxRecord.type == "order.placed",
                    OutboxRecord.aggregate_id == first["order"]["id"],
                )
            )
            assert payload is not None
            await history.record_placed(uow, OrderPlaced.model_validate(payload))
            await uow.commit()
    # then nothing changed
    assert await daily(store, product.id) == {today: 5}
    # when the first order is cancelled
    await store.cancel(first)
    await store.settled()
    # then its units are taken back
    assert await daily(store, product.id) == {today: 3}
