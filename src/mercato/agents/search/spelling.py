"""Correcting a misspelt word against the store's vocabulary (`search_terms`): the closest
word by Damerau-Levenshtein distance (a swap of two letters counts one), at most one edit in
a word of up to five letters and two in a longer one, the most common on a tie. Candidates
come from a deletion index (SymSpell's idea): a word and a vocabulary word within distance
d share a string made by deleting at most d letters from each, so no word is compared with
the whole vocabulary.

Each process keeps a store's vocabulary and builds it again in the background once it is
`TTL` seconds old (`refresh`, a periodic job): a search loads it itself only the first time
a store is asked, and a new word is corrected towards a minute or so late at most."""

from __future__ import annotations

import asyncio
import bisect
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from mercato.agents.search.models import SearchTerm
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork

TTL = 60.0
MOST_COMMON = 20_000
"""Words a misspelling may be corrected to at most: a store's most common (the deletion index
of a word of n letters holds about n²/2 strings)."""
STORES_HELD = 32
"""Stores whose vocabulary a process keeps at once."""
MIN_LENGTH = 4
"""Shorter words are left as typed: one edit makes another word of most of them."""


def max_edits(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def _deletes(word: str, depth: int) -> Iterator[str]:
    seen = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))} - seen
        seen |= frontier
    return iter(seen)


@dataclass
class Vocabulary:
    counts: dict[str, int]
    _index: dict[str, list[str]] = field(default_factory=dict)
    _sorted: list[str] | None = None

    def __post_init__(self) -> None:
        index: dict[str, list[str]] = defaultdict(list)
        common = sorted(self.counts, key=lambda t: (-self.counts[t], t))[:MOST_COMMON]
        for term in common:
            if len(term) >= MIN_LENGTH - 1:
                for variant in _deletes(term, max_edits(term)):
                    index[variant].append(term)
        self._index = dict(index)

    def complete(self, prefix: str, limit: int) -> list[str]:
        """The vocabulary's words that begin with `prefix`, the most common first."""
        if self._sorted is None:
            self._sorted = sorted(self.counts)
        start = bisect.bisect_left(self._sorted, prefix)
        found = []
        for term in self._sorted[start:]:
            if not term.startswith(prefix):
                break
            found.append(term)
        return sorted(found, key=lambda t: (-self.counts[t], t))[:limit]

    def correct(self, word: str) -> str | None:
        """The word meant, when `word` is not in the vocabulary and one close to it is."""
        if word in self.counts or len(word) < MIN_LENGTH or word.isdigit():
            return None
        edits = max_edits(word)
        candidates = {t for v in _deletes(word, edits) for t in self._index.get(v, ())}
        scored = [(d, -self.counts[t], t) for t in candidates if (d := distance(word, t)) <= edits]
        return min(scored)[2] if scored else None


@dataclass
class Vocabularies:
    """Each store's vocabulary, kept by the process and built again (`refresh`) once it is
    `ttl` seconds old."""

    ttl: float = TTL
    _held: dict[str, tuple[float, Vocabulary]] = field(default_factory=dict)

    async def of(self, uow: UnitOfWork, store: str) -> Vocabulary:
        """The store's vocabulary as last built (built now only if the process has none)."""
        held = self._held.get(store)
        if held is not None:
            return held[1]
        return await self._load(uow, store)

    async def refresh(self, kernel: Any) -> list[str]:
        """Build again each held vocabulary older than the TTL; the stores whose it was."""
        now = time.monotonic()
        old = [store for store, (at, _) in list(self._held.items()) if now - at >= self.ttl]
        for store in old:
            with bind(tenant_id=store):
                async with kernel.uow(writes=False) as uow:
                    await self._load(uow, store)
        return old

    async def _load(self, uow: UnitOfWork, store: str) -> Vocabulary:
        rows = await uow.session.execute(
            select(SearchTerm.term, SearchTerm.documents).where(SearchTerm.documents > 0)
        )
        counts = {term: n for term, n in rows}
        # its deletion index is pure Python: built on a thread, the loop serves meanwhile
        vocabulary = await asyncio.to_thread(Vocabulary, counts)
        self._held.pop(store, None)
        self._held[store] = (time.monotonic(), vocabulary)
        while len(self._held) > STORES_HELD:  # the least recently built goes
            del self._held[next(iter(self._held))]
        return vocabulary
