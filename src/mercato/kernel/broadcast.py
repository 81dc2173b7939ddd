"""Messages every process of the deployment hears (cache evictions), unlike events, which
each consumer group handles once.

Embedded mode has one process: a message reaches the subscribers of this process directly.
Scaled mode publishes on Redis pub/sub, and each process listens while its kernel runs.
Delivery is best effort (pub/sub keeps nothing for a process that is not listening), so a
subscriber that caches must also bound how long an entry lives; see ADR 15.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any, Protocol

import structlog
from redis import asyncio as aioredis
from redis.exceptions import RedisError

log = structlog.get_logger("mercato.broadcast")

Listener = Callable[[dict[str, Any]], None]


class Broadcast(Protocol):
    def subscribe(self, topic: str, listener: Listener) -> None:
        """Call `listener` with every message published on `topic` (in every process)."""
        ...

    async def publish(self, topic: str, message: dict[str, Any]) -> None: ...

    async def listen(self, stop: asyncio.Event) -> None:
        """Receive other processes' messages until `stop` is set."""
        ...

    async def close(self) -> None: ...


class _Listeners:
    def __init__(self) -> None:
        self._by_topic: dict[str, list[Listener]] = defaultdict(list)

    def subscribe(self, topic: str, listener: Listener) -> None:
        self._by_topic[topic].append(listener)

    def deliver(self, topic: str, message: dict[str, Any]) -> None:
        for listener in self._by_topic.get(topic, ()):
            try:
                listener(message)
            except Exception as exc:  # one listener's bug must not silence the others
                log.error("broadcast_listener_failed", topic=topic, error=repr(exc))

    @property
    def topics(self) -> list[str]:
        return list(self._by_topic)


class InProcessBroadcast(_Listeners):
    """One process: publishing is delivering."""

    async def publish(self, topic: str, message: dict[str, Any]) -> None:
        self.deliver(topic, message)

    async def listen(self, stop: asyncio.Event) -> None:
        await stop.wait()

    async def close(self) -> None:
        return None


class RedisBroadcast(_Listeners):
    """Redis pub/sub on `<prefix>:bc:<topic>`. This process's own messages are delivered at
    once when published, and again when Redis echoes them (listeners are idempotent)."""

    def __init__(self, url: str, prefix: str) -> None:
        super().__init__()
        self._redis: aioredis.Redis = aioredis.from_url(url)
        self._prefix = prefix

    def _channel(self, topic: str) -> str:
        return f"{self._prefix}:bc:{topic}"

    async def publish(self, topic: str, message: dict[str, Any]) -> None:
        self.deliver(topic, message)
        try:
            await self._redis.publish(self._channel(topic), json.dumps(message))
        except (RedisError, OSError) as exc:  # the others fall back on their entries' TTL
            log.warning("broadcast_unavailable", topic=topic, error=repr(exc))

    async def listen(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self._listen_once(stop)
            except (RedisError, OSError) as exc:
                log.warning("broadcast_listen_failed", error=repr(exc))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=1.0)

    async def _listen_once(self, stop: asyncio.Event) -> None:
        channels = {self._channel(t): t for t in self.topics}
        if not channels:
            await stop.wait()
            return
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(*channels)
        try:
            while not stop.is_set():
                raw = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.5)
                if raw is None or raw.get("type") != "message":
                    continue
                channel = (
                    raw["channel"].decode() if isinstance(raw["channel"], bytes) else raw["channel"]
                )
                topic = channels.get(channel)
                if topic is not None:
                    self.deliver(topic, json.loads(raw["data"]))
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        await self._redis.aclose()


def make_broadcast(broker_url: str | None, prefix: str) -> Broadcast:
    if broker_url and broker_url.startswith(("redis://", "rediss://", "unix://")):
        return RedisBroadcast(broker_url, prefix)
    return InProcessBroadcast()
