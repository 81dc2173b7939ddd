"""What was bought together, from the orders' events: an order's products are held when it
is placed, and counted when it is confirmed (each product's popularity, and each pair of its
products), then the basket is forgotten. A cancelled or never-confirmed order counts nothing."""

from __future__ import annotations

from datetime import datetime
from itertools import permutations
from typing import cast

from sqlalchemy import Table, bindparam, delete, select, update

from mercato.agents.catalog import service as catalog
from mercato.agents.search.answers import Answers
from mercato.agents.search.models import SearchBasket, SearchDocument, SearchPair
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.store_sql import in_store

LARGEST_BASKET = 20
"""Products of one order counted together at most (a wholesale order of hundreds of products
says little of what goes with what)."""
_DOCUMENTS = cast(Table, SearchDocument.__table__)
_MORE_POPULAR = in_store(
    update(_DOCUMENTS)
    .where(_DOCUMENTS.c.product_id.in_(bindparam("ids", expanding=True)))
    .values(popularity=_DOCUMENTS.c.popularity + 1)
)


async def hold(uow: UnitOfWork, *, order_id: str, variant_ids: list[str], at: datetime) -> None:
    """Keep an order's products (by its variants) until it is confirmed."""
    variants = await catalog.sellable_variants(uow, variant_ids)
    products = sorted({v.product_id for v in variants.values()})[:LARGEST_BASKET]
    statement = upsert_insert(uow.session)(SearchBasket).values(
        tenant_id=context.current_tenant(), order_id=order_id, product_ids=products, placed_at=at
    )
    await uow.session.execute(statement.on_conflict_do_nothing())


async def count(uow: UnitOfWork, *, order_id: str) -> None:
    """The confirmed order's products: each one more popular, each pair bought together."""
    basket = await uow.session.scalar(select(SearchBasket).where(SearchBasket.order_id == order_id))
    if basket is None:
        return
    products = list(basket.product_ids)
    await uow.session.execute(delete(SearchBasket).where(SearchBasket.order_id == order_id))
    if products:
        await uow.session.execute(_MORE_POPULAR, {"ids": products})
        uow.deps(Answers).changed_on_commit(uow)  # popularity ranks
    pairs = sorted(permutations(products, 2))
    if not pairs:
        return
    insert = upsert_insert(uow.session)(SearchPair)
    store = context.current_tenant()
    await uow.session.execute(
        insert.values(
            [{"tenant_id": store, "product_id": a, "other_id": b, "orders": 1} for a, b in pairs]
        ).on_conflict_do_update(
            index_elements=["tenant_id", "product_id", "other_id"],
            set_={"orders": SearchPair.orders + 1},
        )
    )
