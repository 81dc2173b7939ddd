"""A consumer's failures: poison handlers, database outages, undecodable messages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from redis import asyncio as aioredis
from sqlalchemy import select

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import DeadLetter
from mercato.kernel.bus.outbox import partition_of
from mercato.kernel.config import Settings
from tests.conftest import eventually, needs_redis
from tests.integration.redis.support import (
    GROUP,
    HANDLERS,
    Outage,
    all_effects,
    assert_in_order_per_aggregate,
    assert_once_per_handler,
    caught_up,
    consumer_of,
    envelopes_for,
    handled,
    lease_holders,
    pending,
    publish_rounds,
    record_outcomes,
    stream,
    wait_for_effects,
)
from tests.support import example_agent

pytestmark = [pytest.mark.redis, needs_redis]


async def test_a_handler_that_keeps_failing_is_dead_lettered_and_acknowledged(
    settings: Settings,
    redis: aioredis.Redis,
    workers: Callable[[], Kernel],
    behaviour: type[example_agent.Behaviour],
) -> None:
    # given a running worker whose count_note handler always fails
    worker = workers()
    await worker.start()
    behaviour.always_fail = True
    # when an event is published
    [broken] = await publish_rounds([worker], ["order-1"], range(1))

    # then after its retries the event is dead-lettered for that handler only, and acknowledged
    async def dead_lettered() -> bool:
        async with worker.uow(writes=False) as uow:
            return bool(list(await uow.session.scalars(select(DeadLetter))))

    await eventually(dead_lettered)
    await eventually(lambda: caught_up(redis, settings))
    async with worker.uow(writes=False) as uow:
        letters = list(await uow.session.scalars(select(DeadLetter)))
    assert [(d.event_id, d.handler, d.attempts) for d in letters] == [
        (broken.id, "example.count_note", settings.handler_max_attempts)
    ]
    assert [(r.event_id, r.handler) for r in await all_effects(worker)] == [
        (broken.id, "audit_note")
    ]
    assert await pending(redis, settings) == 0

    # when the handler is repaired and the aggregate's next event is published
    behaviour.always_fail = False
    [fixed] = await publish_rounds([worker], ["order-1"], range(1, 2))

    # then the partition has moved on: the next event is handled, the broken one is not
    # delivered again
    await wait_for_effects(worker, 3)
    await eventually(lambda: caught_up(redis, settings))
    rows = await all_effects(worker)
    assert [r.event_id for r in rows if r.handler == "count_note"] == [fixed.id]
    async with worker.uow(writes=False) as uow:
        assert len(list(await uow.session.scalars(select(DeadLetter)))) == 1


async def test_a_worker_outlives_a_database_outage_and_handles_what_it_had_read(
    settings: Settings,
    redis: aioredis.Redis,
    workers: Callable[[], Kernel],
    database_outage: Outage,
) -> None:
    # given a running worker
    worker = workers()
    errors: list[BaseException] = []
    seen = record_outcomes(worker, errors)
    await worker.start(relay=False, sagas=False)

    async def holds_every_lease() -> bool:
        holders = await lease_holders(redis, settings)
        return holders == Counter({consumer_of(worker): settings.event_partitions})

    await eventually(holds_every_lease, within=5)
    # when the database goes down while it reads events it cannot handle, nor dead-letter
    database_outage.begin()
    batch = envelopes_for([f"order-{i}" for i in range(4)], range(3))
    await worker.transport.deliver(batch)

    async def failed() -> bool:
        return bool(errors)

    await eventually(failed, within=10)
    assert await pending(redis, settings) > 0
    # and comes back
    database_outage.end()

    # then the worker handles every event it had read, once per handler, and acknowledges it
    await wait_for_effects(worker, 2 * len(batch))
    await eventually(lambda: caught_up(redis, settings))
    assert_once_per_handler(await all_effects(worker), batch)
    assert_in_order_per_aggregate(await all_effects(worker), [f"order-{i}" for i in range(4)], 3)
    assert handled(seen) == {(e.id, h) for e in batch for h in HANDLERS}
    async with worker.uow(writes=False) as uow:
        assert list(await uow.session.scalars(select(DeadLetter))) == []


async def test_an_undecodable_message_is_set_aside_and_its_partition_moves_on(
    settings: Settings, redis: aioredis.Redis, workers: Callable[[], Kernel]
) -> None:
    # given a running worker
    worker = workers()
    await worker.start(relay=False)
    # when a message that is not an envelope reaches a partition, followed by a good event
    [good] = envelopes_for(["order-1"], range(1))
    name = stream(settings, partition_of("order-1", settings.event_partitions))
    bad_id = await redis.xadd(name, {"envelope": "{not json"})
    await worker.transport.deliver([good])

    # then the good event is handled, the bad message is acknowledged and kept aside
    await wait_for_effects(worker, 2)
    await eventually(lambda: caught_up(redis, settings))
    assert_once_per_handler(await all_effects(worker), [good])
    parked = await redis.xrange(f"{settings.stream_prefix}:dead:{GROUP}")
    assert [(f["stream"], f["id"], f["envelope"]) for _, f in parked] == [
        (name, bad_id, "{not json")
    ]
    assert "ValidationError" in parked[0][1]["error"]
