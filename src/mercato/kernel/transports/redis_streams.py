"""Scaled mode: Redis Streams, one stream per partition and a consumer group per agent.

Events of one aggregate share a partition stream. To keep them in order while several
workers compete in one consumer group, each (group, partition) is leased to one consumer at
a time (`SET NX PX`, renewed every loop); live consumers share the partitions fairly. A
consumer that takes over a partition first claims the messages its dead predecessor left
pending (XAUTOCLAIM) and handles them before new ones. A message is acknowledged only once
its handlers have handled or dead-lettered it; the inbox absorbs any redelivery.
"""

from __future__ import annotations

import asyncio
import math
import os
import socket
import time
from collections.abc import Sequence
from typing import Any

import structlog
from redis import asyncio as aioredis
from redis.exceptions import ResponseError

from mercato.kernel.bus.dispatcher import Dispatcher
from mercato.kernel.bus.outbox import partition_of
from mercato.kernel.bus.subscriptions import Subscription
from mercato.kernel.events import Envelope
from mercato.kernel.ids import new_id
from mercato.kernel.transports.base import by_agent

log = structlog.get_logger("mercato.redis")

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""

Message = tuple[str, dict[str, str]]


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
        await self._ensure_group(group)
        owned: set[int] = set()
        try:
            while not stop.is_set():
                try:
                    taken = await self._balance(group, owned)
                    for partition in sorted(taken):
                        await self._drain_pending(group, partition, by_type)
                    await self._read_new(group, owned, by_type)
                except (ConnectionError, OSError, aioredis.ConnectionError) as exc:
                    log.error("redis_consumer_failed", group=group, error=repr(exc))
                    await asyncio.sleep(1.0)
        finally:
            await self._release_all(group, owned)

    async def _ensure_group(self, group: str) -> None:
        for partition in range(self._partitions):
            try:
                await self._redis.xgroup_create(
                    self.stream(partition), group, id="0", mkstream=True
                )
            except ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise

    async def _balance(self, group: str, owned: set[int]) -> set[int]:
        """Renew our leases, give up any beyond a fair share, take free ones up to it.
        Returns the partitions newly taken."""
        now_ms = int(time.time() * 1000)
        members = f"{self._prefix}:members:{group}"
        await self._redis.zadd(members, {self.consumer: now_ms})
        await self._redis.zremrangebyscore(members, 0, now_ms - self._lease_ms)
        live = max(1, int(await self._redis.zcard(members)))
        share = math.ceil(self._partitions / live)
        for partition in sorted(owned):
            if not await self._renew(
                keys=[self._lease(group, partition)], args=[self.consumer, self._lease_ms]
            ):
                owned.discard(partition)  # it expired and someone else took it
        while len(owned) > share:
            partition = max(owned)
            await self._release(keys=[self._lease(group, partition)], args=[self.consumer])
            owned.discard(partition)
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

    async def _release_all(self, group: str, owned: set[int]) -> None:
        try:
            for partition in owned:
                await self._release(keys=[self._lease(group, partition)], args=[self.consumer])
            await self._redis.zrem(f"{self._prefix}:members:{group}", self.consumer)
        except Exception as exc:  # shutting down: the leases expire on their own
            log.warning("redis_release_failed", error=repr(exc))

    async def _drain_pending(
        self, group: str, partition: int, by_type: dict[str, list[Subscription]]
    ) -> None:
        """Handle what a previous owner of this partition read but never acknowledged."""
        stream = self.stream(partition)
        cursor = "0-0"
        while True:
            reply: Any = await self._redis.xautoclaim(
                stream, group, self.consumer, min_idle_time=0, start_id=cursor, count=self._batch
            )
            cursor, claimed = reply[0], reply[1]
            if claimed:
                log.info("redis_reclaimed", group=group, partition=partition, count=len(claimed))
            await self._handle_all(group, stream, claimed, by_type)
            if cursor == "0-0":
                break
        while True:  # our own pending entries (a restart under the same consumer name)
            reply = await self._redis.xreadgroup(
                group, self.consumer, {stream: "0"}, count=self._batch
            )
            messages: list[Message] = reply[0][1] if reply else []
            if not messages:
                break
            await self._handle_all(group, stream, messages, by_type)

    async def _read_new(
        self, group: str, owned: set[int], by_type: dict[str, list[Subscription]]
    ) -> None:
        if not owned:
            await asyncio.sleep(self._block_ms / 1000)
            return
        streams: Any = {self.stream(p): ">" for p in sorted(owned)}
        reply: Any = await self._redis.xreadgroup(
            group, self.consumer, streams, count=self._batch, block=self._block_ms
        )
        await asyncio.gather(
            *(
                self._handle_all(group, stream, messages, by_type)
                for stream, messages in reply or []
            )
        )

    async def _handle_all(
        self,
        group: str,
        stream: str,
        messages: list[Message],
        by_type: dict[str, list[Subscription]],
    ) -> None:
        for message_id, fields in messages:
            if fields is None:  # trimmed away before it was claimed
                await self._redis.xack(stream, group, message_id)
                continue
            envelope = Envelope.model_validate_json(fields["envelope"])
            for sub in by_type.get(envelope.type, ()):
                await self._dispatcher.dispatch(envelope, sub)
            await self._redis.xack(stream, group, message_id)
