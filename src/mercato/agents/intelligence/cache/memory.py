"""The embedded backend: one process's entries in an LRU-ordered dict, bounded in size.

Entries are kept as JSON text, as Redis keeps them: a caller changing a value it was served
changes no one else's, and a value that is not JSON fails here as it would when scaled."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence

from mercato.agents.intelligence.cache.entries import CacheEntry, Stored

MAX_GENERATIONS = 100_000
"""Dependencies whose invalidation counts are remembered before they are all forgotten
(forgetting moves `_forgotten`, so a computation that spans it is not kept)."""

_EPOCH = "\x00epoch"
"""The pseudo-dependency every snapshot carries: the count of forgettings."""


class MemoryBackend:
    def __init__(self, max_entries: int) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[tuple[str, ...], str]] = OrderedDict()
        """key -> (its dependencies, the entry as JSON)"""
        self._dependents: dict[str, set[str]] = {}
        self._generations: dict[str, int] = {}
        self._forgotten = 0

    async def get(self, key: str) -> CacheEntry | None:
        found = self._entries.get(key)
        if found is None:
            return None
        self._entries.move_to_end(key)
        return CacheEntry.from_json(found[1])

    async def generations(self, deps: Sequence[str]) -> dict[str, int]:
        found = {dep: self._generations.get(dep, 0) for dep in deps}
        found[_EPOCH] = self._forgotten
        return found

    async def put(self, key: str, entry: CacheEntry, *, seen: Mapping[str, int]) -> Stored:
        text = entry.to_json()
        if not self._unchanged(seen):
            return Stored(kept=False)
        self._remove(key)
        self._entries[key] = (entry.deps, text)
        for dep in entry.deps:
            self._dependents.setdefault(dep, set()).add(key)
        evicted = 0
        while len(self._entries) > self.max_entries:
            oldest = next(iter(self._entries))
            self._remove(oldest)
            evicted += 1
        return Stored(kept=True, evicted=evicted)

    async def invalidate(self, dep: str) -> list[str]:
        keys = sorted(self._dependents.get(dep, ()))
        for key in keys:
            self._remove(key)
        if len(self._generations) >= MAX_GENERATIONS:
            self._generations.clear()
            self._forgotten += 1
        self._generations[dep] = self._generations.get(dep, 0) + 1
        return keys

    async def keys(self) -> list[str]:
        return list(self._entries)

    async def close(self) -> None:
        self._entries.clear()
        self._dependents.clear()

    def _unchanged(self, seen: Mapping[str, int]) -> bool:
        if seen.get(_EPOCH, self._forgotten) != self._forgotten:
            return False
        return all(
            self._generations.get(dep, 0) == count for dep, count in seen.items() if dep != _EPOCH
        )

    def _remove(self, key: str) -> None:
        found = self._entries.pop(key, None)
        if found is None:
            return
        for dep in found[0]:
            dependents = self._dependents.get(dep)
            if dependents is not None:
                dependents.discard(key)
                if not dependents:
                    del self._dependents[dep]
