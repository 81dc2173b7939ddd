"""Products' review ratings in the index: the reviews agent's aggregate (mean and count of the
published reviews) copied onto each product's document, so the rating sort, facet and
`min_rating` filter read the document row alone (no join while a shopper waits).

The copy is always re-read from the reviews agent, never taken from an event's payload, and
read after the documents are locked: a redelivered, late or reordered `product.rating_changed`
writes the aggregate as it is now, and of two handlers of one product the later writes last."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update

from mercato.agents.reviews import service as reviews
from mercato.agents.search.answers import Answers
from mercato.agents.search.models import SearchDocument
from mercato.kernel.db import UnitOfWork
from mercato.kernel.store_sql import in_store

STARS = (4, 3, 2, 1)
"""The facet's buckets, "4 stars & up" first: each counts the products rated that or more."""

_DOCUMENTS = cast(Table, SearchDocument.__table__)
C = _DOCUMENTS.c
_LOCK = in_store(
    select(C.id, C.product_id, C.rating, C.rating_count)
    .where(C.product_id.in_(bindparam("products", expanding=True)))
    .order_by(C.id)
    .with_for_update()
)
_SET_RATING = in_store(
    update(_DOCUMENTS)
    .where(C.id == bindparam("document_id"))
    .values(rating=bindparam("new_rating"), rating_count=bindparam("new_count"))
)


async def of(uow: UnitOfWork, product_ids: Iterable[str]) -> dict[str, tuple[float | None, int]]:
    """(mean, count) of each product's published reviews now; (None, 0) for one without."""
    ids = list(product_ids)
    found = await reviews.ratings_of(uow, ids)
    return {p: (found[p].average, found[p].count) if p in found else (None, 0) for p in ids}


async def refresh(uow: UnitOfWork, product_ids: Sequence[str]) -> int:
    """Copy these products' current ratings onto their documents (those in the index: a
    product indexed later reads its rating then); how many documents changed. The store's
    kept answers are dropped when any did."""
    wanted = sorted(set(product_ids))
    if not wanted:
        return 0
    found = await uow.session.execute(_LOCK, {"products": wanted})
    documents = found.all()
    if not documents:
        return 0
    now = await of(uow, [d.product_id for d in documents])
    changed = [
        {"document_id": d.id, "new_rating": now[d.product_id][0], "new_count": now[d.product_id][1]}
        for d in documents
        if (d.rating, d.rating_count) != now[d.product_id]
    ]
    if changed:
        await uow.session.execute(_SET_RATING, changed)
        uow.deps(Answers).changed_on_commit(uow)
    return len(changed)


def sort_key(rating: float | None, count: int) -> tuple[bool, float, int]:
    """The rating sort's order: the highest mean first, more reviews first among equals, the
    products without reviews last (the caller breaks the remaining ties)."""
    return (rating is None, -round(rating or 0.0, 9), -count)


def facet(ratings: Iterable[float | None]) -> list[dict[str, Any]]:
    """The `rating` facet: per bucket of `STARS`, how many products are rated that or more
    (cumulative, as shops show it); buckets nothing falls in are left out."""
    floors = Counter(map(int, filter(None, ratings)))  # a mean's whole stars, in one pass
    found, n = [], floors[5]
    for stars in STARS:
        n += floors[stars]
        if n:
            found.append({"value": stars, "label": label(stars), "min": str(stars), "count": n})
    return found


def label(stars: int) -> str:
    return f"{stars} star{'s' if stars > 1 else ''} & up"
