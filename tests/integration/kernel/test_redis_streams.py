"""Redis Streams in scaled mode: competing workers, redelivery, reclaim and rebalancing.

Every test runs against a real Redis and PostgreSQL. Each test has its own stream prefix;
its Redis keys are deleted at the end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from contextvars import ContextVar
from typing import Any

import pytest
from redis import asyncio as aioredis
from sqlalchemy import create_engine, select, text

from mercato.kernel import migrate
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.dispatcher import Outcome
from mercato.kernel.bus.models import DeadLetter
from mercato.kernel.bus.outbox import partition_of
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.events import Envelope
from tests.conftest import PG_URL, eventually, needs_redis
from tests.support import example_agent
from tests.support.example_agent import Effect, NoteWritten, effects

pytestmark = [pytest.mark.redis, needs_redis]

GROUP = example_agent.agent.name  # each agent is one consumer group
HANDLERS = ("example.count_note", "example.audit_note")
TENANT = "shop-a"
LEASE_TTL = 1.0


# -- fixtures -------------------------------------------------------------------------


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings("postgres+redis", consumer_lease_ttl=LEASE_TTL)


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[aioredis.Redis]:
    """A client of the test's broker; deletes the test's keys afterwards."""
    client = aioredis.from_url(settings.broker_url or "", decode_responses=True)
    yield client
    keys = [key async for key in client.scan_iter(match=f"{settings.stream_prefix}:*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture
def behaviour() -> Iterator[type[example_agent.Behaviour]]:
    """The example handlers' knobs, reset before and after the test."""

    def reset() -> None:
        example_agent.Behaviour.failures_left = 0
        example_agent.Behaviour.always_fail = False
        example_agent.Behaviour.delay = 0.0

    reset()
    yield example_agent.Behaviour
    reset()


@pytest.fixture
async def workers(
    settings: Settings, redis: aioredis.Redis, behaviour: type[example_agent.Behaviour]
) -> AsyncIterator[Callable[[], Kernel]]:
    """Builds worker processes (kernels with the example agent) on the test's settings, all
    sharing one database, broker and stream prefix; stops them all afterwards."""
    built: list[Kernel] = []

    def build() -> Kernel:
        kernel = Kernel.build(settings, agents=[example_agent.agent])
        built.append(kernel)
        return kernel

    yield build
    for kernel in built:
        await kernel.stop()


class Outage:
    """Takes the test's PostgreSQL database down (no connections accepted, open ones ended)
    and brings it back."""

    def __init__(self, database_url: str) -> None:
        self._name = database_url.rsplit("/", 1)[1]
        self._admin = create_engine(migrate.sync_url(PG_URL or ""), isolation_level="AUTOCOMMIT")

    def begin(self) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{self._name}" ALLOW_CONNECTIONS false'))
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": self._name},
            )

    def end(self) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{self._name}" ALLOW_CONNECTIONS true'))

    def close(self) -> None:
        self.end()
        self._admin.dispose()


@pytest.fixture
def database_outage(settings: Settings) -> Iterator[Outage]:
    outage = Outage(settings.resolved_database_url)
    yield outage
    outage.close()  # the database is up again even if the test failed


# -- helpers --------------------------------------------------------------------------


def stream(settings: Settings, partition: int) -> str:
    return f"{settings.stream_prefix}:events:{partition}"


def lease(settings: Settings, partition: int) -> str:
    return f"{settings.stream_prefix}:lease:{GROUP}:{partition}"


def record_outcomes(
    kernel: Kernel, errors: list[BaseException] | None = None
) -> list[tuple[str, str, Outcome]]:
    """Spy on a worker's dispatcher: (event id, handler, outcome) of every event it handled,
    one at a time or in a batch, and in `errors` what escaped from it."""
    seen: list[tuple[str, str, Outcome]] = []
    dispatch, dispatch_batch = kernel.dispatcher.dispatch, kernel.dispatcher.dispatch_batch
    in_batch: ContextVar[bool] = ContextVar("in_batch", default=False)

    async def recording(envelope: Envelope, sub: Any, *, replay: bool = False) -> Outcome:
        try:
            outcome = await dispatch(envelope, sub, replay=replay)
        except Exception as exc:
            if errors is not None:
                errors.append(exc)
            raise
        if not in_batch.get():  # a batch's fallback is recorded by the batch
            seen.append((envelope.id, sub.name, outcome))
        return outcome

    async def recording_batch(envelopes: Any, sub: Any) -> list[Outcome]:
        token = in_batch.set(True)
        try:
            outcomes = await dispatch_batch(envelopes, sub)
        except Exception as exc:
            if errors is not None:
                errors.append(exc)
            raise
        finally:
            in_batch.reset(token)
        seen.extend((e.id, sub.name, o) for e, o in zip(envelopes, outcomes, strict=True))
        return outcomes

    kernel.dispatcher.dispatch_batch = recording_batch  # type: ignore[method-assign]
    kernel.dispatcher.dispatch = recording  # type: ignore[method-assign]
    return seen


def handled(seen: list[tuple[str, str, Outcome]]) -> set[tuple[str, str]]:
    return {
        (event_id, handler) for event_id, handler, outcome in seen if outcome is Outcome.HANDLED
    }


def consumer_of(kernel: Kernel) -> str:
    return kernel.transport.consumer  # type: ignore[attr-defined, no-any-return]


async def lease_holders(redis: aioredis.Redis, settings: Settings) -> Counter[str | None]:
    holders = await redis.mget([lease(settings, p) for p in range(settings.event_partitions)])
    return Counter(holders)


async def pending(redis: aioredis.Redis, settings: Settings) -> int:
    """Messages the group has read but not acknowledged, over every partition."""
    total = 0
    for partition in range(settings.event_partitions):
        summary = await redis.xpending(stream(settings, partition), GROUP)
        total += int(summary["pending"])
    return total


async def caught_up(redis: aioredis.Redis, settings: Settings) -> bool:
    """The group has read every message of every partition and acknowledged them all."""
    for partition in range(settings.event_partitions):
        name = stream(settings, partition)
        last = (await redis.xinfo_stream(name))["last-generated-id"]
        group = next(g for g in await redis.xinfo_groups(name) if g["name"] == GROUP)
        if group["pending"] or group["last-delivered-id"] != last:
            return False
    return True


async def all_effects(kernel: Kernel) -> list[Effect]:
    async with kernel.uow(writes=False) as uow:
        return await effects(uow)


async def publish_rounds(
    kernels: list[Kernel], aggregates: list[str], positions: range
) -> list[Envelope]:
    """One transaction per position, each writing an event for every aggregate; the writers
    take turns, so every relay has work."""
    published: list[Envelope] = []
    with bind(tenant_id=TENANT):
        for position in positions:
            async with kernels[position % len(kernels)].uow() as uow:
                for aggregate in aggregates:
                    uow.publish(
                        NoteWritten(note_id=f"{aggregate}-{position}", text="x", position=position),
                        aggregate_id=aggregate,
                    )
                await uow.commit()
                published.extend(uow.published)
    return published


async def publish_batch(kernel: Kernel, aggregate: str, positions: range) -> list[Envelope]:
    """Events of one aggregate written in one transaction, so they travel as one batch."""
    with bind(tenant_id=TENANT):
        async with kernel.uow() as uow:
            for position in positions:
                uow.publish(
                    NoteWritten(note_id=f"{aggregate}-{position}", text="x", position=position),
                    aggregate_id=aggregate,
                )
            await uow.commit()
            return uow.published


def envelopes_for(aggregates: list[str], positions: range) -> list[Envelope]:
    return [
        Envelope.wrap(
            NoteWritten(note_id=f"{aggregate}-{position}", text="x", position=position),
            aggregate_id=aggregate,
            tenant_id=TENANT,
        )
        for position in positions
        for aggregate in aggregates
    ]


def partitions_of(aggregates: list[str], settings: Settings) -> set[int]:
    return {partition_of(a, settings.event_partitions) for a in aggregates}


def aggregates_in(partition: int, partitions: int, count: int) -> list[str]:
    """The first `count` aggregate ids that hash to `partition`."""
    found = (f"agg-{i}" for i in range(10_000))
    return [a for a in found if partition_of(a, partitions) == partition][:count]


async def wait_for_effects(kernel: Kernel, count: int) -> None:
    async def enough() -> bool:
        return len(await all_effects(kernel)) >= count

    await eventually(enough)


def assert_once_per_handler(rows: list[Effect], envelopes: list[Envelope]) -> None:
    counts = Counter((r.event_id, r.handler) for r in rows)
    expected = {(e.id, h.split(".")[1]) for e in envelopes for h in HANDLERS}
    assert set(counts) == expected
    assert set(counts.values()) == {1}


def assert_in_order_per_aggregate(rows: list[Effect], aggregates: list[str], n: int) -> None:
    for handler in HANDLERS:
        for aggregate in aggregates:
            seen = [
                r.position
                for r in rows
                if r.handler == handler.split(".")[1] and r.aggregate_id == aggregate
            ]
            assert seen == list(range(n)), (handler, aggregate)


async def split_between(
    redis: aioredis.Redis, settings: Settings, first: Kernel, second: Kernel
) -> None:
    """Wait until the two workers hold half of the partitions each."""
    half = settings.event_partitions // 2

    async def split() -> bool:
        holders = await lease_holders(redis, settings)
        return holders == Counter({consumer_of(first): half, consumer_of(second): half})

    await eventually(split, within=10)


# -- tests ----------------------------------------------------------------------------


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
