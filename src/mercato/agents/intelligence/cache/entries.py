"""What the cache stores per key, and the protocol every backend keeps."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class CacheEntry:
    """A computed result: its kind, when it was computed (epoch seconds), what it depends
    on (dependency names, see `deps`), and the JSON-able value."""

    kind: str
    created_at: float
    deps: tuple[str, ...]
    value: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": self.kind,
                "created_at": self.created_at,
                "deps": list(self.deps),
                "value": self.value,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> CacheEntry:
        data = json.loads(text)
        return cls(data["kind"], float(data["created_at"]), tuple(data["deps"]), data["value"])


class CacheUnavailableError(Exception):
    """The backend cannot be reached (Redis down): reads and writes go without the cache,
    an invalidation fails (its event is retried)."""


@dataclass(frozen=True)
class Stored:
    """The outcome of a put: whether the entry was kept (not when a dependency it read was
    invalidated while it was being computed), and how many entries were evicted for room."""

    kept: bool
    evicted: int = 0


class CacheBackend(Protocol):
    """Where entries live: one process's memory (`MemoryBackend`) or Redis shared by many
    (`RedisBackend`). Keys and dependency names arrive already scoped to their store."""

    async def get(self, key: str) -> CacheEntry | None:
        """The entry, marked as the most recently used; None if absent."""
        ...

    async def generations(self, deps: Sequence[str]) -> dict[str, int]:
        """How many times each dependency has been invalidated (a snapshot for `put`)."""
        ...

    async def put(self, key: str, entry: CacheEntry, *, seen: Mapping[str, int]) -> Stored:
        """Keep `entry` (the most recently used) unless a dependency's generation moved
        since `seen`; evict the least recently used entries beyond the size limit."""
        ...

    async def invalidate(self, dep: str) -> list[str]:
        """Remove every entry depending on `dep`; the keys removed."""
        ...

    async def keys(self) -> list[str]:
        """Every key, least recently used first."""
        ...

    async def close(self) -> None: ...
