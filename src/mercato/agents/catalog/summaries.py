"""Products as a listing answers them, for ids another agent found (the search agent's hits):
the catalog stays the one that says what a product is, costs and has in stock."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from mercato.agents.catalog import answers
from mercato.agents.catalog.answers import PRODUCT, Answer, P
from mercato.agents.catalog.listing import active_variants
from mercato.agents.catalog.statuses import ProductStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.prepared_in import PreparedIn
from mercato.kernel.store_sql import in_store

_ACTIVE_PRODUCTS = PreparedIn(
    lambda ids: in_store(
        select(*PRODUCT).where(P.id.in_(ids), P.status == ProductStatus.ACTIVE.value)
    )
)


async def summaries(uow: UnitOfWork, product_ids: Sequence[str]) -> dict[str, Answer]:
    """The active products of `product_ids`, each as a `ProductSummary` (its cover only)."""
    if not product_ids:
        return {}
    rows = await _ACTIVE_PRODUCTS.all(uow, list(dict.fromkeys(product_ids)))
    variants: dict[str, list[Sequence[Any]]] = {row[0]: [] for row in rows}
    if rows:
        ids = {f"id_{n}": product_id for n, product_id in enumerate(variants)}
        for row in await active_variants(len(ids)).all(uow, **ids):
            variants[row[0]].append(row[1:])
    return {row[0]: answers.summary(row, variants[row[0]], every_picture=False) for row in rows}
