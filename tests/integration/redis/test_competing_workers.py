"""Competing workers in one consumer group: every event once, in order; duplicates, reclaim
of a dead consumer's messages, rebalancing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from redis import asyncio as aioredis

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.dispatcher import Outcome
from mercato.kernel.config import Settings
from tests.conftest import eventually, needs_redis
from tests.integration.redis.support import (
    GROUP,
    HANDLERS,
    aggregates_in,
    all_effects,
    assert_in_order_per_aggregate,
    assert_once_per_handler,
    caught_up,
    consumer_of,
    envelopes_for,
    handled,
    lease,
    lease_holders,
    partitions_of,
    pending,
    publish_batch,
    publish_rounds,
    record_outcomes,
    split_between,
    stream,
    wait_for_effects,
)
from tests.support import example_agent

pytestmark = [pytest.mark.redis, needs_redis]


async def test_two_competing_workers_handle_every_event_once_and_in_order(
    settings: Settings, redis: aioredis.Redis, workers: Callable[[], Kernel]
) -> None:
    # given two workers in one consumer group, each running its relay and consumers
    first, second = workers(), workers()
    by_first, by_second = record_outcomes(first), record_outcomes(second)
    await first.start()
    await second.start()
    await split_between(redis, settings, first, second)

    # when 300 events over 30 aggregates, spread over every partition, are written through
    # both of them
    aggregates = [f"order-{i}" for i in range(30)]
    assert partitions_of(aggregates, settings) == set(range(settings.event_partitions))
    published = await publish_rounds([first, second], aggregates, range(10))
    assert len(published) == 300

    # then every handler handled every event exactly once, in order per aggregate
    await wait_for_effects(first, 600)
    await eventually(lambda: caught_up(redis, settings))
    rows = await all_effects(first)
    assert_once_per_handler(rows, published)
    assert_in_order_per_aggregate(rows, aggregates, 10)
    # and both workers did part of the work, never the same part
    expected = {(e.id, h) for e in published for h in HANDLERS}
    assert handled(by_first) and handled(by_second)
    assert handled(by_first).isdisjoint(handled(by_second))
    assert handled(by_first) | handled(by_second) == expected
    assert await pending(redis, settings) == 0


async def test_a_duplicate_delivery_is_handled_once(
    settings: Settings, redis: aioredis.Redis, workers: Callable[[], Kernel]
) -> None:
    # given a running worker
    worker = workers()
    seen = record_outcomes(worker)
    await worker.start(relay=False)
    # when the same batch of events reaches the stream twice
    batch = envelopes_for(["order-1", "order-2", "order-3"], range(2))
    await worker.transport.deliver(batch)
    await worker.transport.deliver(batch)
    lengths = [await redis.xlen(stream(settings, p)) for p in range(settings.event_partitions)]
    assert sum(lengths) == 2 * len(batch)

    # then both copies are consumed, but each handler acts on each event once
    await wait_for_effects(worker, 2 * len(batch))
    await eventually(lambda: caught_up(redis, settings))
    assert_once_per_handler(await all_effects(worker), batch)
    outcomes: dict[tuple[str, str], list[Outcome]] = {}
    for event_id, handler, outcome in seen:
        outcomes.setdefault((event_id, handler), []).append(outcome)
    assert set(outcomes) == {(e.id, h) for e in batch for h in HANDLERS}
    assert all(o == [Outcome.HANDLED, Outcome.DUPLICATE] for o in outcomes.values())


async def test_messages_left_pending_by_a_dead_consumer_are_reclaimed(
    settings: Settings, redis: aioredis.Redis, workers: Callable[[], Kernel]
) -> None:
    # given a consumer that took partition 0, read five events of each of three aggregates
    # and died without acknowledging them or releasing its lease
    partition = 0
    name = stream(settings, partition)
    aggregates = aggregates_in(partition, settings.event_partitions, 3)
    worker = workers()
    await redis.xgroup_create(name, GROUP, id="0", mkstream=True)
    await redis.set(lease(settings, partition), "dead-consumer", px=1500)
    read_by_dead = envelopes_for(aggregates, range(5))
    await worker.transport.deliver(read_by_dead)
    reply = await redis.xreadgroup(GROUP, "dead-consumer", {name: ">"}, count=100)
    assert len(reply[0][1]) == 15
    # and five more events of each arrived after it died
    unread = envelopes_for(aggregates, range(5, 10))
    await worker.transport.deliver(unread)
    assert (await redis.xpending(name, GROUP))["consumers"] == [
        {"name": "dead-consumer", "pending": 15}
    ]

    # when a live worker starts and the dead consumer's lease expires
    await worker.start(relay=False)

    # then the live worker takes the partition over, handles the reclaimed events once each
    # and before the later ones, and nothing is left pending
    await wait_for_effects(worker, 60)
    await eventually(lambda: caught_up(redis, settings))
    rows = await all_effects(worker)
    assert_once_per_handler(rows, read_by_dead + unread)
    assert_in_order_per_aggregate(rows, aggregates, 10)
    assert await redis.get(lease(settings, partition)) == consumer_of(worker)
    summary = await redis.xpending(name, GROUP)
    assert summary["pending"] == 0 and summary["consumers"] == []


async def test_the_survivor_takes_over_the_partitions_of_a_stopped_worker(
    settings: Settings, redis: aioredis.Redis, workers: Callable[[], Kernel]
) -> None:
    # given two workers sharing the partitions, both having handled events
    survivor, leaving = workers(), workers()
    by_survivor, by_leaving = record_outcomes(survivor), record_outcomes(leaving)
    await survivor.start()
    await leaving.start()
    await split_between(redis, settings, survivor, leaving)
    aggregates = [f"order-{i}" for i in range(20)]
    before = await publish_rounds([survivor, leaving], aggregates, range(5))
    await wait_for_effects(survivor, 2 * len(before))
    assert handled(by_survivor) and handled(by_leaving)

    # when one of them stops and more events are written, to every partition
    assert partitions_of(aggregates, settings) == set(range(settings.event_partitions))
    await leaving.stop()
    done_by_leaving = len(by_leaving)
    after = await publish_rounds([survivor], aggregates, range(5, 10))

    # then the survivor handles all of them, once each and in order, and holds every lease
    await wait_for_effects(survivor, 2 * (len(before) + len(after)))
    await eventually(lambda: caught_up(redis, settings))
    rows = await all_effects(survivor)
    assert_once_per_handler(rows, before + after)
    assert_in_order_per_aggregate(rows, aggregates, 10)
    assert handled(by_survivor) >= {(e.id, h) for e in after for h in HANDLERS}
    assert len(by_leaving) == done_by_leaving

    async def all_leases_held_by_survivor() -> bool:
        holders = await lease_holders(redis, settings)
        return holders == Counter({consumer_of(survivor): settings.event_partitions})

    await eventually(all_leases_held_by_survivor, within=5)


async def test_a_slow_batch_keeps_its_partition_from_a_competing_worker(
    settings: Settings,
    redis: aioredis.Redis,
    workers: Callable[[], Kernel],
    behaviour: type[example_agent.Behaviour],
) -> None:
    # given two workers sharing the partitions, and a handler that takes 0.3 s an event
    first, second = workers(), workers()
    by_first, by_second = record_outcomes(first), record_outcomes(second)
    await first.start()
    await second.start()
    await split_between(redis, settings, first, second)
    behaviour.delay = 0.3
    # when one aggregate gets a batch of events that takes much longer than the lease to
    # handle (8 x 0.3 s, over twice the lease)
    published = await publish_batch(first, "order-1", range(8))

    # then its worker keeps the partition to the end: no event goes to both workers
    await wait_for_effects(first, 16)
    await eventually(lambda: caught_up(redis, settings))
    rows = await all_effects(first)
    assert_once_per_handler(rows, published)
    assert_in_order_per_aggregate(rows, ["order-1"], 8)
    dispatched_by_first = {(e, h) for e, h, _ in by_first}
    dispatched_by_second = {(e, h) for e, h, _ in by_second}
    assert dispatched_by_first.isdisjoint(dispatched_by_second)
    assert all(outcome is Outcome.HANDLED for _, _, outcome in by_first + by_second)
