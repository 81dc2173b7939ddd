"""Rebuilding a store's index from the catalog (`mercato search reindex`): every product
indexed again in batches, each its own transaction; then the documents the rebuild did not
reach are dropped and the vocabulary counted again. What the index learnt from orders
(popularity, what was bought together) is kept."""

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
    started = kernel.clock.now()
    async with kernel.uow(writes=False) as uow:
        on_total(await catalog.product_count(uow))
    searchable, after = 0, None
    while True:
        async with kernel.uow() as uow:
            ids = await catalog.product_ids_after(uow, after, BATCH)
            if not ids:
                break
            searchable += await indexer.index_products(uow, ids, now=kernel.clock.now())
            await uow.commit()
        after = ids[-1]
        on_batch(len(ids))
    async with kernel.uow() as uow:
        await indexer.remove_stale(uow, before=started)
        await indexer.recount_terms(uow)
        await uow.commit()
    return searchable
