"""The query log: every search, kept for analytics (top queries, zero-result queries, clicks
per query). Searches are reads, so a search does not write its row itself: the process holds
the entries and writes them every `FLUSH_SECONDS` (and when it stops), a few statements for
many searches. A process that dies loses at most those seconds of log, never a search."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog

from mercato.agents.search.models import SearchClick, SearchQuery
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork

log = structlog.get_logger("mercato.search")
FLUSH_SECONDS = 2.0
MAX_HELD = 10_000
"""Entries held at most between writes (a burst beyond it drops the oldest, not the search)."""


@dataclass
class QueryLog:
    _held: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def record(
        self,
        *,
        store: str,
        query_id: str,
        text: str,
        words: list[str],
        results: int,
        relaxed: bool,
        corrected: str | None,
        user_id: str | None,
        at: datetime,
    ) -> None:
        if len(self._held) >= MAX_HELD:
            del self._held[0]
        self._held.append(
            (
                store,
                {
                    "id": query_id,
                    "text": text[:200],
                    "words": " ".join(words)[:200],
                    "results": results,
                    "relaxed": relaxed,
                    "corrected": corrected[:200] if corrected else None,
                    "user_id": user_id,
                    "created_at": at,
                },
            )
        )

    async def flush(self, kernel: Any) -> int:
        """Write what is held, each store's in its own transaction; how many were written."""
        held, self._held = self._held, []
        by_store: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for store, entry in held:
            by_store[store].append(entry)
        written = 0
        for store, entries in by_store.items():
            try:
                with bind(tenant_id=store):
                    async with kernel.uow() as uow:
                        uow.session.add_all(SearchQuery(**entry) for entry in entries)
                        await uow.commit()
                written += len(entries)
            except Exception as exc:  # kept for the next write (a busy database), not lost
                log.warning("search_queries_not_written", store=store, error=repr(exc))
                self._held[:0] = [(store, entry) for entry in entries]
                del self._held[: max(0, len(self._held) - MAX_HELD)]
        return written


async def record_click(
    uow: UnitOfWork, *, query_id: str, product_id: str, position: int, at: datetime
) -> None:
    """A product opened from a search's answers (written at once: clicks are few)."""
    uow.session.add(
        SearchClick(query_id=query_id, product_id=product_id, position=position, created_at=at)
    )
