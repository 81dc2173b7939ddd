"""The process's recent searches (and suggestions), whole: every match of a query ranked (the first
`RANKS_KEPT`), its total and its facets, so that the next shopper asking the same (or the
next page of it) is answered without the engine. Shoppers' queries repeat: a store's most
frequent hundred queries are most of its searches.

Kept until the store's index changes: the indexer, the embedder, the synonyms and the
popularity counter each evict the store's answers when they commit, here at once and in the
other processes through the kernel's broadcast (ADR 15); `ttl` bounds how long a process
that missed a broadcast can answer from an older index. A read that raced an eviction is
served but not kept.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mercato.kernel import context
from mercato.kernel.broadcast import Broadcast
from mercato.kernel.db import UnitOfWork

TOPIC = "search.changed"
RANKS_KEPT = 1000
"""Matches kept per answer (fifty pages of twenty); a page past them is read afresh."""
T = TypeVar("T")
ANSWERS_KEPT = 256
"""Answers kept per process, the least recently asked dropped first (about 100 KB each)."""


@dataclass(frozen=True)
class Answer:
    ranked: list[tuple[str, float]]
    """(product id, relevance) of the matches, best first (the first `RANKS_KEPT`)."""
    total: int
    facets: dict[str, list[dict[str, Any]]]
    terms: list[str]
    relaxed: bool
    did_you_mean: str | None
    nearest: bool


@dataclass
class Answers:
    broadcast: Broadcast
    ttl: float
    monotonic: Callable[[], float] = time.monotonic
    _entries: OrderedDict[tuple[str, Hashable], tuple[float, int, Any]] = field(
        default_factory=OrderedDict
    )
    _generations: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.broadcast.subscribe(TOPIC, self._on_message)

    async def get(self, store: str, key: Hashable, read: Callable[[], Awaitable[T]]) -> T:
        """The kept answer to `key` in `store`, or what `read` answers now (then kept)."""
        generation = self._generations.get(store, 0)
        held = self._entries.get((store, key))
        if held is not None and held[0] > self.monotonic() and held[1] == generation:
            self._entries.move_to_end((store, key))
            return held[2]  # type: ignore[no-any-return]
        answer = await read()
        if self.ttl > 0 and self._generations.get(store, 0) == generation:
            self._entries[(store, key)] = (self.monotonic() + self.ttl, generation, answer)
            self._entries.move_to_end((store, key))
            while len(self._entries) > ANSWERS_KEPT:
                self._entries.popitem(last=False)
        return answer

    def changed(self, store: str) -> None:
        """The store's index changed: none of its answers is served again."""
        self._generations[store] = self._generations.get(store, 0) + 1

    def changed_on_commit(self, uow: UnitOfWork, store: str | None = None) -> None:
        """Evict the store's answers here now and in every process once `uow` commits."""
        store = store or context.current_tenant() or ""

        async def announce() -> None:
            await self.broadcast.publish(TOPIC, {"store": store})

        self.changed(store)
        uow.on_commit(announce)

    def _on_message(self, message: dict[str, Any]) -> None:
        self.changed(str(message.get("store", "")))
