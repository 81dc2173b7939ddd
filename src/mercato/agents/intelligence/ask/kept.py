"""What this process keeps of each store for its questions, a short while: the words the
router reads questions with, and the catalogue a store-wide question is scoped from. Per
kernel (wired by the agent's setup: a process may hold several kernels, as tests do)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mercato.kernel import context

T = TypeVar("T")


@dataclass
class Kept:
    entries: dict[tuple[str, str], tuple[float, Any]] = field(default_factory=dict)
    monotonic: Callable[[], float] = time.monotonic

    async def get(self, name: str, seconds: float, load: Callable[[], Awaitable[T]]) -> T:
        """The bound store's `name`, loaded again once older than `seconds`."""
        key = (name, context.current_tenant() or "")
        found = self.entries.get(key)
        if found is not None and self.monotonic() - found[0] < seconds:
            value: T = found[1]
            return value
        loaded = await load()
        self.entries[key] = (self.monotonic(), loaded)
        return loaded
