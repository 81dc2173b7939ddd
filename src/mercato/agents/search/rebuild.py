"""Rebuilding a store's index from the catalog (`mercato search reindex`): emptied, then every
product indexed again in batches, each its own transaction."""

from __future__ import annotations

from collections.abc import Callable

from mercato.agents.catalog import service as catalog
from mercato.agents.search import indexer
from mercato.kernel.bootstrap import Kernel

BATCH = 500


async def reindex(
    kernel: Kernel, *, on_total: Callable[[int], None], on_batch: Callable[[int], None]
) -> int:
    """Index every product of the store in context; how many are searchable."""
    async with kernel.uow() as uow:
        on_total(await catalog.product_count(uow))
        await indexer.remove_all(uow)
        await uow.commit()
    searchable, after = 0, None
    while True:
        async with kernel.uow() as uow:
            ids = await catalog.product_ids_after(uow, after, BATCH)
            if not ids:
                return searchable
            searchable += await indexer.index_products(uow, ids, now=kernel.clock.now())
            await uow.commit()
        after = ids[-1]
        on_batch(len(ids))
