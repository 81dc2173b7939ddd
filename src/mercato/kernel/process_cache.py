"""What a process may keep of rows that many requests read and few commands change: each
entry lives `ttl` seconds, and a change evicts it in every process once it commits.

The eviction reaches this process directly and the others through the kernel's broadcast
(in-process when embedded, Redis pub/sub when scaled). A read that raced an eviction is
served but not kept, so it cannot put the old value back. The TTL bounds how long a process
that missed the broadcast (a Redis hiccup) can lag; a TTL of 0 keeps nothing. ADR 15 states
this for accounts; ADR 22 (fourth pass) for a store's cart terms.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Generic, TypeVar

from mercato.kernel.broadcast import Broadcast
from mercato.kernel.db import UnitOfWork

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

MAX_ENTRIES = 100_000


class ProcessCache(Generic[K, V]):
    def __init__(
        self,
        broadcast: Broadcast,
        topic: str,
        *,
        ttl: float,
        to_message: Callable[[K], dict[str, Any]],
        from_message: Callable[[dict[str, Any]], K],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._broadcast = broadcast
        self._topic = topic
        self._ttl = ttl
        self._to_message = to_message
        self._from_message = from_message
        self._now = monotonic
        self._entries: dict[K, tuple[float, V]] = {}
        self._evictions: dict[K, int] = {}
        self._forgotten = 0
        """How many times the eviction counts were cleared: a read that spans a clearing is
        not kept either (its key's count may read as unchanged)."""
        broadcast.subscribe(topic, self._on_message)

    async def get(self, key: K, read: Callable[[], Awaitable[V]]) -> V:
        """The kept value of `key`, or what `read` returns now (then kept for the TTL)."""
        entry = self._entries.get(key)
        if entry is not None and entry[0] > self._now():
            return entry[1]
        seen = self._forgotten, self._evictions.get(key, 0)
        value = await read()
        if self._ttl > 0 and (self._forgotten, self._evictions.get(key, 0)) == seen:  # not evicted
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (self._now() + self._ttl, value)
        return value

    def changed_on_commit(self, uow: UnitOfWork, key: K) -> None:
        """Evict `key` here now (a read racing the commit must not keep the old value) and
        in every process once `uow` commits."""

        async def announce() -> None:
            await self._broadcast.publish(self._topic, self._to_message(key))

        self.evict(key)
        uow.on_commit(announce)

    def evict(self, key: K) -> None:
        self._entries.pop(key, None)
        self._evictions[key] = self._evictions.get(key, 0) + 1
        if len(self._evictions) >= MAX_ENTRIES:
            self._evictions.clear()
            self._forgotten += 1

    def _on_message(self, message: dict[str, Any]) -> None:
        self.evict(self._from_message(message))
