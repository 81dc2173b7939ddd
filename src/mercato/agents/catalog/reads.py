"""The public reads of a product and of categories, built from rows (ADR 21): one prepared
Core statement per answer where it can be, each built once at import and scoped to the
store in context. The answers are those of the ORM path (`service.product_for`,
`categories`) byte for byte; the rare cases that path handles with more care (a product not
found, which may be another store's; a slug shaped like an id) are left to it (`None`)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import String, func, or_, select, type_coerce
from sqlalchemy.sql import bindparam
from sqlalchemy.sql.elements import BindParameter

from mercato.agents.catalog import answers
from mercato.agents.catalog.access import Actor
from mercato.agents.catalog.answers import (
    CATEGORY,
    PRODUCT,
    PRODUCT_CATEGORY,
    PRODUCT_MERCHANT,
    PRODUCT_STATUS,
    VARIANT,
    VARIANT_STATUS,
    Answer,
    C,
    P,
    V,
)
from mercato.agents.catalog.models import Product, Variant
from mercato.agents.catalog.statuses import ProductStatus, VariantStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import NotFound
from mercato.kernel.prepared import Prepared
from mercato.kernel.store_sql import in_store

_MATCH = in_store(
    select(P.id)
    .where(or_(P.id == bindparam("ref"), P.slug == bindparam("ref")))
    .order_by((P.id == bindparam("ref")).desc())
    .limit(1)
).scalar_subquery()
"""The product whose id, or else slug, is `ref`."""


def _category_of_product(column: Any) -> Any:
    return in_store(select(column).where(C.id == P.category_id)).scalar_subquery()


PRODUCT_ROWS = Prepared(
    in_store(
        select(*PRODUCT, *VARIANT, _category_of_product(C.name), _category_of_product(C.slug))
        .select_from(Product.__table__.join(Variant.__table__, V.product_id == P.id))
        .where(P.id == _MATCH)
        .order_by(V.position, V.id)
    )
)
"""A product, one row per variant (a product always has one), with its category's name and
slug: the whole answer in one statement."""

_ENDS = (len(PRODUCT), len(PRODUCT) + len(VARIANT))
_ACTIVE_VARIANT = VariantStatus.ACTIVE.value
_ID_SHAPED = re.compile(r"^[0-9A-Fa-f-]{36}$")
"""Product ids are UUIDs (`kernel.ids.new_id`): a reference of another shape is no id."""


async def product(uow: UnitOfWork, ref: str, *, actor: Actor) -> Answer | None:
    """`GET /v1/products/{ref}`'s answer; NotFound for a product `actor` may not see; None
    when the ORM path must decide (nothing found here, or found by a slug shaped like an id
    of which another store's product could hold the id)."""
    found = await PRODUCT_ROWS.all(uow, ref=ref)
    if not found:
        return None
    first = found[0]
    if first[0] != ref and _ID_SHAPED.match(ref):
        return None
    merchant_id = first[PRODUCT_MERCHANT]
    owns = actor.owns_merchant(merchant_id)
    if first[PRODUCT_STATUS] != ProductStatus.ACTIVE and not (actor.writes and owns):
        raise NotFound(f"no product {ref!r}")
    start, end = _ENDS
    every_variant = actor.writes and owns
    variants = [
        row[start:end]
        for row in found
        if every_variant or row[start + VARIANT_STATUS] == _ACTIVE_VARIANT
    ]
    name, slug = first[end:]
    category = None if name is None else (first[PRODUCT_CATEGORY], name, slug)
    return answers.product(first[:start], variants, category)


# -- categories ----------------------------------------------------------------------


TREE_ROWS = Prepared(in_store(select(*CATEGORY).order_by(C.position, C.name, C.id)))
"""Every category of the store, siblings in the order the tree lists them."""
ACTIVE_BY_PATH = Prepared(
    in_store(
        select(P.category_path, func.count())
        .where(
            type_coerce(P.status, String) == ProductStatus.ACTIVE.value,
            P.category_path.is_not(None),
        )
        .group_by(P.category_path)
    )
)
"""How many active products each category path holds."""


async def tree(uow: UnitOfWork, *, counts: bool) -> list[Answer]:
    """`GET /v1/categories`'s items: the roots, each with its subtree."""
    every = await TREE_ROWS.all(uow)
    totals: dict[str, int] | None = None
    if counts:
        totals = defaultdict(int)
        for path, n in await ACTIVE_BY_PATH.all(uow):
            for category_id in (path or "").strip("/").split("/"):
                totals[category_id] += n
    children: dict[str | None, list[Sequence[Any]]] = defaultdict(list)
    known = {row[0] for row in every}
    for row in every:
        parent = row[3] if row[3] in known else None
        children[parent].append(row)

    def made(row: Sequence[Any]) -> Answer:
        count = None if totals is None else totals.get(row[0], 0)
        return answers.node(row, count, [made(child) for child in children[row[0]]])

    return [made(row) for row in children[None]]


CATEGORY_ROWS = Prepared(
    in_store(
        select(*CATEGORY, C.path)
        .where(or_(C.id == bindparam("key"), C.slug == bindparam("key")))
        .order_by((C.id == bindparam("key")).desc())
        .limit(1)
    )
)
"""The category whose id, or else slug, is `key`."""


@cache
def lineage_rows(ancestors: int) -> Prepared:
    """A category's `ancestors` ancestors (by id) and its children (a prepared statement has
    a fixed shape: one per depth)."""
    ids: list[BindParameter[str]] = [
        bindparam(f"ancestor_{n}", type_=C.id.type) for n in range(ancestors)
    ]
    children = C.parent_id == bindparam("id")
    return Prepared(
        in_store(select(*CATEGORY).where(or_(C.id.in_(ids), children) if ids else children))
    )


async def category(uow: UnitOfWork, key: str) -> Answer:
    """`GET /v1/categories/{key}`'s answer (404 if there is none)."""
    found = await CATEGORY_ROWS.all(uow, key=key)
    if not found:
        raise NotFound(f"no category {key!r}")
    row = found[0]
    category_id, path = row[0], row[len(CATEGORY)]
    ids = [i for i in path.strip("/").split("/") if i and i != category_id]
    named = {f"ancestor_{n}": ancestor for n, ancestor in enumerate(ids)}
    lineage = await lineage_rows(len(ids)).all(uow, id=category_id, **named)
    by_id = {r[0]: r for r in lineage}
    ancestors = [by_id[i] for i in ids if i in by_id]
    children = sorted(
        (r for r in by_id.values() if r[3] == category_id),
        key=lambda r: (r[4], r[1], r[0]),
    )
    return answers.category(row, ancestors, children)
