"""Product views (`POST /v1/search/views`, sent by the console's product page): a view makes
the product a little more popular (`VIEW_POPULARITY`, a tenth of a confirmed order) and, for
a signed-in shopper or a guest with a session, a little of their interest (`VIEW_INTEREST`,
half a cart add), which `for-you` starts from. Views are many and a view is a read: the
process holds them, counted, and writes them every `FLUSH_SECONDS` as the query log does.
The kept search answers are not evicted for it: views shift popularity slowly, and the
answers' TTL bounds the lag."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import structlog
from sqlalchemy import Table, bindparam, select, update

from mercato.agents.search import interests
from mercato.agents.search.models import SearchDocument
from mercato.kernel.context import bind
from mercato.kernel.store_sql import in_store

log = structlog.get_logger("mercato.search")
VIEW_POPULARITY = 0.1
VIEW_INTEREST = 0.5
MAX_HELD = 10_000
"""Distinct (store, shopper, product) views held at most between writes."""
_DOCUMENTS = cast(Table, SearchDocument.__table__)
_MORE_POPULAR = in_store(
    update(_DOCUMENTS)
    .where(_DOCUMENTS.c.product_id == bindparam("product"))
    .values(popularity=_DOCUMENTS.c.popularity + bindparam("more"))
)


@dataclass
class ViewLog:
    _held: Counter[tuple[str, str | None, str]] = field(default_factory=Counter)
    _last: datetime | None = None

    def record(self, *, store: str, product_id: str, shopper: str | None, at: datetime) -> None:
        key = (store, shopper, product_id)
        if key not in self._held and len(self._held) >= MAX_HELD:
            return  # a burst beyond the bound loses views, never a request
        self._held[key] += 1
        self._last = at

    async def flush(self, kernel: Any) -> int:
        """Write what is held, each store's in its own transaction; how many views."""
        held, self._held = self._held, Counter()
        at = self._last or kernel.clock.now()
        by_store: dict[str, list[tuple[str | None, str, int]]] = defaultdict(list)
        for (store, shopper, product_id), n in held.items():
            by_store[store].append((shopper, product_id, n))
        for store, views in by_store.items():
            try:
                await self._write(kernel, store, views, at)
            except Exception as exc:  # one store's failure must not lose the others' views
                log.error("search_views_not_written", store=store, error=repr(exc))
        return sum(held.values())

    @staticmethod
    async def _write(
        kernel: Any, store: str, views: list[tuple[str | None, str, int]], at: datetime
    ) -> None:
        with bind(tenant_id=store):
            async with kernel.uow() as uow:
                indexed = set(
                    await uow.session.scalars(
                        select(SearchDocument.product_id).where(
                            SearchDocument.product_id.in_({v[1] for v in views})
                        )
                    )
                )  # a product not for sale (or no product at all) is not counted
                popular: Counter[str] = Counter()
                for shopper, product_id, n in sorted(views, key=lambda v: (v[1], v[0] or "")):
                    if product_id not in indexed:
                        continue
                    popular[product_id] += n
                    if shopper is not None:
                        await interests.add(uow, shopper, [product_id], VIEW_INTEREST * n, at)
                for product_id in sorted(popular):  # in order: no deadlock with another
                    more = VIEW_POPULARITY * popular[product_id]
                    await uow.session.execute(_MORE_POPULAR, {"product": product_id, "more": more})
                await uow.commit()
