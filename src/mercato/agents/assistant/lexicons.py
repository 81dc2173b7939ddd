"""Each store's gazetteer (the words its catalogue is named with), built from the catalog in
a process at first need and again after `LIFETIME` seconds: a product added shows up in what
the assistant understands within minutes, without a request ever waiting on more than one
store's build."""

from __future__ import annotations

import asyncio
import time

from mercato.agents.assistant.nlu.gazetteer import Gazetteer
from mercato.agents.catalog import service as catalog
from mercato.kernel.db import UnitOfWork

LIFETIME = 300.0
STORES = 32


class Lexicons:
    def __init__(self, lifetime: float = LIFETIME) -> None:
        self.lifetime = lifetime
        self._held: dict[str, tuple[float, Gazetteer]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def of(self, uow: UnitOfWork, store: str) -> Gazetteer:
        held = self._held.get(store)
        if held is not None and time.monotonic() - held[0] < self.lifetime:
            return held[1]
        lock = self._locks.setdefault(store, asyncio.Lock())
        async with lock:
            held = self._held.get(store)
            if held is not None and time.monotonic() - held[0] < self.lifetime:
                return held[1]
            words = await catalog.catalogue_words(uow)
            built = Gazetteer.build(words.products, words.categories)
            if len(self._held) >= STORES and store not in self._held:
                oldest = min(self._held, key=lambda s: self._held[s][0])
                del self._held[oldest]
            self._held[store] = (time.monotonic(), built)
            return built

    def forget(self, store: str | None = None) -> None:
        if store is None:
            self._held.clear()
        else:
            self._held.pop(store, None)
