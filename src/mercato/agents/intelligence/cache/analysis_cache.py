"""The analyses' cache: a result is served while fresh for its kind, recomputed before use
once stale, and removed when the data it depends on changes.

- Freshness per kind (`CacheConfig`): an entry older than its kind's freshness is never
  returned; the caller waits for a recomputation (`CacheOutcome.REFRESHED`).
- Deep mode (`fresh=True`) recomputes whatever is kept and stores the new result (`BYPASS`).
- Concurrent identical misses in one process compute once: the others wait for the first
  and are served its result.
- Dependencies (rules in `mercato.agents.intelligence.cache.deps`): a product-scoped entry
  lists `product:<id>` per product (+ `category:<id>`) and `kind:<kind>`; a store-wide entry
  lists `store:<kind>` and `kind:<kind>`. A change to product P of kinds Ks invalidates
  `product:P` and `store:K` for each K. Each invalidation is logged
  (`intelligence_cache_invalidated`) and the last 100 that removed entries are kept for
  inspection (`recent_invalidations`).
- A result computed while one of its dependencies was invalidated is returned but not kept
  (it may have read the data from before the change).
- Stores never share entries: keys and dependency names are scoped by the store, taken from
  the bound tenant (`mercato.kernel.context`) unless given.
- Size: at most `max_entries` entries; the least recently used go first.
- A backend out of reach (Redis down) costs the cache, not the answer: results are computed
  and served uncached (logged); an invalidation then fails, so its event is retried.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import structlog

from mercato.agents.intelligence.cache.config import CacheConfig
from mercato.agents.intelligence.cache.entries import (
    CacheBackend,
    CacheEntry,
    CacheUnavailableError,
    Stored,
)
from mercato.kernel import context
from mercato.kernel.errors import TenantContextMissing

log = structlog.get_logger("mercato.intelligence.cache")

RECENT_INVALIDATIONS = 100


class CacheOutcome(StrEnum):
    HIT = "hit"
    MISS = "miss"
    REFRESHED = "refreshed"
    """There was an entry, but stale: recomputed before use."""
    BYPASS = "bypass"
    """Deep mode: recomputed whatever was kept, and stored."""


@dataclass
class _KeyLock:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


def _scoped(store: str, name: str) -> str:
    """`name` inside `store`; the length prefix keeps two stores' names from colliding."""
    return f"{len(store)}.{store}.{name}"


class AnalysisCache:
    def __init__(
        self,
        backend: CacheBackend,
        config: CacheConfig | None = None,
        *,
        clock: Callable[[], float],
    ) -> None:
        """`clock` answers epoch seconds (the kernel's clock, or a test's)."""
        self.backend = backend
        self.config = config or CacheConfig()
        self._clock = clock
        self._locks: dict[str, _KeyLock] = {}
        self._recent: deque[dict[str, Any]] = deque(maxlen=RECENT_INVALIDATIONS)
        self._counts = dict.fromkeys(
            ("hits", "misses", "refreshed", "bypassed", "evictions", "invalidations"), 0
        )

    async def get_or_compute(
        self,
        key: str,
        *,
        kind: str,
        deps: Iterable[str],
        compute: Callable[[], Awaitable[dict[str, Any]]],
        fresh: bool = False,
        store: str | None = None,
    ) -> tuple[dict[str, Any], CacheOutcome]:
        freshness = self.config.freshness(kind)
        tenant = self._store(store)
        scoped = _scoped(tenant, key)
        if not fresh:
            kept = await self._read(scoped)
            if self._usable(kept, kind, freshness):
                assert kept is not None
                self._counts["hits"] += 1
                return kept.value, CacheOutcome.HIT
        async with self._exclusive(scoped):
            outcome = CacheOutcome.BYPASS
            if not fresh:
                kept = await self._read(scoped)  # another caller may have computed it
                if self._usable(kept, kind, freshness):
                    assert kept is not None
                    self._counts["hits"] += 1
                    return kept.value, CacheOutcome.HIT
                outcome = CacheOutcome.MISS if kept is None else CacheOutcome.REFRESHED
            names = tuple(dict.fromkeys(_scoped(tenant, dep) for dep in deps))
            seen = await self._generations(names)
            started = self._clock()  # its age counts from when it began reading
            value = await compute()
            if seen is not None:
                entry = CacheEntry(kind, started, names, value)
                stored = await self._write(scoped, entry, seen)
                self._counts["evictions"] += stored.evicted
            counter = {
                CacheOutcome.MISS: "misses",
                CacheOutcome.REFRESHED: "refreshed",
                CacheOutcome.BYPASS: "bypassed",
            }[outcome]
            self._counts[counter] += 1
            return value, outcome

    async def invalidate(self, dep: str, *, reason: str, store: str | None = None) -> int:
        """Remove every entry of the store depending on `dep`; how many were removed. Each
        invalidation is logged (at debug level when it found nothing); those that removed
        entries are kept for `recent_invalidations`."""
        tenant = self._store(store)
        removed = len(await self.backend.invalidate(_scoped(tenant, dep)))
        self._counts["invalidations"] += removed
        write = log.info if removed else log.debug
        write("intelligence_cache_invalidated", dep=dep, reason=reason, keys=removed)
        if removed:
            self._recent.append(
                {
                    "dep": dep,
                    "reason": reason,
                    "keys": removed,
                    "at": self._clock(),
                    "store": tenant,
                }
            )
        return removed

    async def invalidate_all(
        self, deps: Iterable[str], *, reason: str, store: str | None = None
    ) -> int:
        """`invalidate` each dependency (e.g. `deps.product_changed(...)`); how many entries
        were removed in all."""
        removed = 0
        for dep in dict.fromkeys(deps):
            removed += await self.invalidate(dep, reason=reason, store=store)
        return removed

    def recent_invalidations(self, *, store: str | None = None) -> list[dict[str, Any]]:
        """The store's last invalidations in this process that removed entries, oldest
        first: `{dep, reason, keys (entries removed), at (epoch seconds), store}`. The store
        is the bound tenant unless given: one store never sees another's."""
        tenant = self._store(store)
        return [dict(item) for item in self._recent if item["store"] == tenant]

    async def keys(self, *, store: str | None = None) -> list[str]:
        """The store's keys, least recently used first."""
        prefix = _scoped(self._store(store), "")
        return [key[len(prefix) :] for key in await self.backend.keys() if key.startswith(prefix)]

    async def stats(self) -> dict[str, int | float]:
        """This process's counters (`invalidations` counts entries removed by them) and the
        backend's entries (every store's)."""
        looked_up = self._counts["hits"] + self._counts["misses"] + self._counts["refreshed"]
        return {
            **self._counts,
            "entries": len(await self.backend.keys()),
            "hit_rate": self._counts["hits"] / looked_up if looked_up else 0.0,
        }

    async def close(self) -> None:
        await self.backend.close()

    async def _read(self, key: str) -> CacheEntry | None:
        try:
            return await self.backend.get(key)
        except CacheUnavailableError as error:
            log.warning("intelligence_cache_unavailable", error=str(error))
            return None

    async def _generations(self, names: tuple[str, ...]) -> dict[str, int] | None:
        try:
            return await self.backend.generations(names)
        except CacheUnavailableError as error:
            log.warning("intelligence_cache_unavailable", error=str(error))
            return None

    async def _write(self, key: str, entry: CacheEntry, seen: dict[str, int]) -> Stored:
        try:
            return await self.backend.put(key, entry, seen=seen)
        except CacheUnavailableError as error:
            log.warning("intelligence_cache_unavailable", error=str(error))
            return Stored(kept=False)

    def _usable(self, entry: CacheEntry | None, kind: str, freshness: float) -> bool:
        return (
            entry is not None
            and entry.kind == kind
            and self._clock() - entry.created_at < freshness
        )

    @staticmethod
    def _store(store: str | None) -> str:
        tenant = store if store is not None else context.current_tenant()
        if not tenant:
            raise TenantContextMissing()
        return tenant

    @asynccontextmanager
    async def _exclusive(self, key: str) -> AsyncIterator[None]:
        held = self._locks.setdefault(key, _KeyLock())
        held.users += 1
        try:
            async with held.lock:
                yield
        finally:
            held.users -= 1
            if held.users == 0:
                del self._locks[key]
