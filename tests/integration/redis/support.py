"""Helpers of the Redis Streams tests: streams, leases, publishing and checks."""

from __future__ import annotations

from collections import Counter
from contextvars import ContextVar
from typing import Any

from redis import asyncio as aioredis
from sqlalchemy import create_engine, text

from mercato.kernel import migrate
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.dispatcher import Outcome
from mercato.kernel.bus.outbox import partition_of
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.events import Envelope
from tests.conftest import PG_URL, eventually
from tests.support import example_agent
from tests.support.example_agent import Effect, NoteWritten, effects

GROUP = example_agent.agent.name  # each agent is one consumer group
HANDLERS = ("example.count_note", "example.audit_note")
TENANT = "shop-a"
LEASE_TTL = 1.0


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
