"""What the cache's unit tests share: a clock the test moves, a cache on one process's
memory, and a computation that counts its calls and stamps its results."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from mercato.agents.intelligence.cache import AnalysisCache, CacheConfig, MemoryBackend

STORE = "store-a"
OTHER_STORE = "store-b"


@dataclass
class FakeClock:
    now: float = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def memory_cache(clock: FakeClock, max_entries: int = 512) -> AnalysisCache:
    return AnalysisCache(
        MemoryBackend(max_entries), CacheConfig(max_entries=max_entries), clock=clock
    )


@dataclass
class Computation:
    """Answers `{"key", "computed_at", "run"}`; `calls` counts the runs per key."""

    clock: FakeClock
    calls: dict[str, int] = field(default_factory=dict)

    def of(self, key: str) -> Callable[[], Awaitable[dict[str, Any]]]:
        async def compute() -> dict[str, Any]:
            self.calls[key] = self.calls.get(key, 0) + 1
            return {"key": key, "computed_at": self.clock(), "run": self.calls[key]}

        return compute
