"""Scaled mode: Redis Streams, one stream per partition and a consumer group per agent.

Events of one aggregate share a partition stream. To keep them in order while several
workers compete in one consumer group, each (group, partition) is leased to one consumer at
a time (`SET NX PX`); live consumers share the partitions fairly. A heartbeat renews the
leases and the consumer's membership while it works, so a long batch keeps its partitions.
A consumer that takes over a partition first claims the messages its dead predecessor left
pending (XAUTOCLAIM) and handles them before new ones. A message is acknowledged only once
its handlers have handled or dead-lettered it; the inbox absorbs any redelivery.

A consumer outlives any failure (broker, database, a bug): it logs it, pauses, and handles
again what it had read but not acknowledged before it reads anything new. A message that is
not an envelope is moved to the group's dead stream (`<prefix>:dead:<group>`) with its error,
so it cannot stop its partition.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog
from redis import asyncio as aioredis
from redis.exceptions import ResponseError

from mercato.kernel.aio import pause
from mercato.kernel.bus.dispatcher import Dispatcher
from mercato.kernel.bus.outbox import partition_of
from mercato.kernel.bus.subscriptions import Subscription
from mercato.kernel.events import Envelope
from mercato.kernel.ids import new_id
from mercato.kernel.transports.base import by_agent, runs

log = structlog.get_logger("mercato.redis")

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""
_RETRY_PAUSE = 1.0  # seconds between attempts after a failure

Message = tuple[str, dict[str, str] | None]


@dataclass
class _Group:
    """One consumer group as this consumer sees it."""

    name: str
    by_type: dict[str, list[Subscription]]
    owned: set[int] = field(default_factory=set)
    ready: bool = False  # the group exists on every partition stream
    recovering: bool = False  # a failure may have left our own messages unacknowledged
    balanced_at: float = 0.0  # monotonic time of the last re-balancing of partitions


class RedisStreamsTransport:
    name = "redis"

    def __init__(
        self,
        url: str,
        dispatcher: Dispatcher,
        *,
        prefix: str,
        partitions: int,
        max_length: int,
        lease_ttl: float,
        batch_size: int = 200,
        block_ms: int = 500,
        consumer_name: str | None = None,
    ) -> None:
        self._redis: aioredis.Redis = aioredis.from_url(url, decode_responses=True)
        self._dispatcher = dispatcher
        self._prefix = prefix
        self._partitions = partitions
        self._max_length = max_length
        self._lease_ms = int(lease_ttl * 1000)
        self._batch = batch_size
        self._block_ms = block_ms
        self.consumer = consumer_name or f"{socket.gethostname()}-{os.getpid()}-{new_id()[-8:]}"
        self._renew = self._redis.register_script(_RENEW)
        self._release = self._redis.register_script(_RELEASE)

    def stream(self, partition: int) -> str:
        return f"{self._prefix}:events:{partition}"

    async def deliver(self, envelopes: Sequence[Envelope]) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for envelope in envelopes:
                pipe.xadd(
                    self.stream(partition_of(envelope.aggregate_id, self._partitions)),
                    {"envelope": envelope.model_dump_json()},
                    maxlen=self._max_length,
                    approximate=True,
                )
            await pipe.execute()

    async def consume(self, subscriptions: Sequence[Subscription], stop: asyncio.Event) -> None:
        groups = by_agent(subscriptions)
        await asyncio.gather(*(self._consume_group(g, subs, stop) for g, subs in groups.items()))

    async def ping(self) -> None:
        await self._redis.ping()

    async def close(self) -> None:
        await self._redis.aclose()

    # -- one consumer group ------------------------------------------------------------

    async def _consume_group(
        self, group: str, subs: list[Subscription], stop: asyncio.Event
    ) -> None:
        by_type: dict[str, list[Subscription]] = {}
        for sub in subs:
            by_type.setdefault(sub.event_type, []).append(sub)
        state = _Group(group, by_type)
        heartbeat = asyncio.create_task(self._heartbeat(state), name=f"heartbeat:{group}")
        try:
            while not stop.is_set():
                try:
                    await self._step(state)
                except Exception as exc:  # the consumer must outlive a broker or database blip
                    state.ready = False
                    state.recovering = True
                    log.error("redis_consumer_failed", group=group, error=repr(exc))
                    await pause(stop, _RETRY_PAUSE)
        finally:
            heartbeat.cancel()
            await asyncio.gather(heartbeat, return_exceptions=True)
            await self._release_all(state)

    async def _step(self, state: _Group) -> None:
        if not state.ready:
            await self._ensure_group(state.name)
            state.ready = True
        taken: set[int] = set()
        # The heartbeat keeps leases alive; re-balancing (a dozen round trips) runs a few
        # times per lease, not before every read, so it stays off the delivery path.
        if time.monotonic() - state.balanced_at >= self._lease_ms / 3000 or not state.owned:
            taken = await self._balance(state)
            state.balanced_at = time.monotonic()
        # After a failure, what we read but did not acknowledge comes before anything new.
        to_drain = set(state.owned) if state.recovering else taken
        for partition in sorted(to_drain):
            await self._drain_pending(state, partition)
        state.recovering = False
        await self._read_new(state)

    async def _ensure_group(self, group: str) -> None:
        for partition in range(self._partitions):
            try:
                await self._redis.xgroup_create(
                    self.stream(partition), group, id="0", mkstream=True
                )
            except ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise

    async def _heartbeat(self, state: _Group) -> None:
        """Keep our membership and leases alive while a batch is being handled."""
        while True:
            await asyncio.sleep(self._lease_ms / 3000)
            try:
                await self._renew_all(state)
            except Exception as exc:
                log.warning("redis_heartbeat_failed", group=state.name, error=repr(exc))

    async def _now_ms(self) -> int:
        """The broker's clock, which every consumer shares (theirs may disagree)."""
        seconds, micros = await self._redis.time()
        return int(seconds) * 1000 + int(micros) // 1000

    async def _renew_all(self, state: _Group) -> None:
        members = f"{self._prefix}:members:{state.name}"
        await self._redis.zadd(members, {self.consumer: await self._now_ms()})
        for partition in sorted(state.owned):
            if (
                not await self._renew(
                    keys=[self._lease(state.name, partition)], args=[self.consumer, self._lease_ms]
                )
                and partition in state.owned
            ):  # not just given up by the balance
                state.owned.discard(partition)  # it expired and may have been taken over
                log.warning("redis_lease_lost", group=state.name, partition=partition)

    async def _balance(self, state: _Group) -> set[int]:
        """Renew our leases, give up any beyond a fair share, take free ones up to it.
        Returns the partitions newly taken."""
        group, owned = state.name, state.owned
        await self._renew_all(state)
        members = f"{self._prefix}:members:{group}"
        await self._redis.zremrangebyscore(members, 0, await self._now_ms() - self._lease_ms)
        live = max(1, int(await self._redis.zcard(members)))
        share = math.ceil(self._partitions / live)
        while len(owned) > share:
            partition = max(owned)
            owned.discard(partition)
            await self._release(keys=[self._lease(group, partition)], args=[self.consumer])
        taken: set[int] = set()
        for partition in range(self._partitions):
            if len(owned) >= share:
                break
            if partition in owned:
                continue
            lease = self._lease(group, partition)
            if await self._redis.set(lease, self.consumer, nx=True, px=self._lease_ms):
                owned.add(partition)
                taken.add(partition)
        return taken

    def _lease(self, group: str, partition: int) -> str:
        return f"{self._prefix}:lease:{group}:{partition}"

    async def _release_all(self, state: _Group) -> None:
        try:
            for partition in sorted(state.owned):
                await self._release(keys=[self._lease(state.name, partition)], args=[self.consumer])
            state.owned.clear()
            await self._redis.zrem(f"{self._prefix}:members:{state.name}", self.consumer)
        except Exception as exc:  # shutting down: the leases expire on their own
            log.warning("redis_release_failed", error=repr(exc))

    async def _drain_pending(self, state: _Group, partition: int) -> None:
        """Handle what a previous owner of this partition (or we, before a failure) read but
        never acknowledged."""
        group, stream = state.name, self.stream(partition)
        cursor = "0-0"
        while True:
            reply: Any = await self._redis.xautoclaim(
                stream, group, self.consumer, min_idle_time=0, start_id=cursor, count=self._batch
            )
            cursor, claimed = reply[0], reply[1]
            if claimed:
                log.info("redis_reclaimed", group=group, partition=partition, count=len(claimed))
            await self._handle_all(state, stream, claimed)
            if cursor == "0-0":
                break
        while True:  # our own pending entries (a restart under the same consumer name)
            reply = await self._redis.xreadgroup(
                group, self.consumer, {stream: "0"}, count=self._batch
            )
            messages: list[Message] = reply[0][1] if reply else []
            if not messages:
                break
            await self._handle_all(state, stream, messages)

    async def _read_new(self, state: _Group) -> None:
        if not state.owned:
            await asyncio.sleep(self._block_ms / 1000)
            return
        streams: Any = {self.stream(p): ">" for p in sorted(state.owned)}
        reply: Any = await self._redis.xreadgroup(
            state.name, self.consumer, streams, count=self._batch, block=self._block_ms
        )
        # Every partition finishes its batch before a failure in one of them is raised, so no
        # handling is left running behind the loop's back.
        results = await asyncio.gather(
            *(self._handle_all(state, stream, messages) for stream, messages in reply or []),
            return_exceptions=True,
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def _handle_all(self, state: _Group, stream: str, messages: list[Message]) -> None:
        """Handle a partition's messages in order (each handler takes them in one
        transaction), then acknowledge them together."""
        envelopes: list[Envelope] = []
        done: list[str] = []
        for message_id, fields in messages:
            if fields is None:  # trimmed away before it was claimed
                done.append(message_id)
                continue
            try:
                envelopes.append(Envelope.model_validate_json(fields["envelope"]))
            except (KeyError, ValueError) as exc:
                await self._set_aside(state.name, stream, message_id, fields, exc)
                continue
            done.append(message_id)
        for run, subs in runs(envelopes, state.by_type):  # in the partition's order
            for sub in subs:
                await self._dispatcher.dispatch_batch(run, sub)
        if done:
            await self._redis.xack(stream, state.name, *done)

    async def _set_aside(
        self,
        group: str,
        stream: str,
        message_id: str,
        fields: dict[str, str],
        exc: Exception,
    ) -> None:
        """Move a message that is not an envelope to the group's dead stream and acknowledge
        it: retrying cannot help it, and it must not stop its partition."""
        log.error(
            "redis_message_undecodable",
            group=group,
            stream=stream,
            message_id=message_id,
            error=repr(exc),
        )
        record = {
            "stream": stream,
            "id": message_id,
            "error": f"{type(exc).__name__}: {exc}"[:4000],
            "envelope": fields.get("envelope", ""),
            "fields": json.dumps(fields),
        }
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.xadd(
                f"{self._prefix}:dead:{group}",
                record,  # type: ignore[arg-type]
                maxlen=self._max_length,
                approximate=True,
            )
            pipe.xack(stream, group, message_id)
            await pipe.execute()
