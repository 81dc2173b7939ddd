"""The availability read model's refresh for one variant, what every stock event of a
checkout asks for, as prepared statements (ADR 22): the same locks, reads and writes as
`service.refresh_availability`, in the same order, without the ORM."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, bindparam, exists, select, update

from mercato.agents.catalog.models import Product, Variant
from mercato.agents.catalog.ports import AvailableStock
from mercato.agents.catalog.statuses import VariantStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.prepared import Prepared
from mercato.kernel.store_sql import in_store

_PRODUCTS = cast(Table, Product.__table__)
_VARIANTS = cast(Table, Variant.__table__)
_PRODUCT_OF = (
    select(_VARIANTS.c.product_id).where(_VARIANTS.c.id == bindparam("variant")).scalar_subquery()
)
_LOCK_PRODUCT = Prepared(
    in_store(
        select(_PRODUCTS.c.id).where(_PRODUCTS.c.id == _PRODUCT_OF).with_for_update(of=_PRODUCTS)
    )
)
_LOCK_VARIANT = Prepared(
    in_store(select(_VARIANTS.c.id).where(_VARIANTS.c.id == bindparam("variant")).with_for_update())
)
_SET_AVAILABLE = Prepared(
    in_store(
        update(_VARIANTS)
        .where(_VARIANTS.c.id == bindparam("variant"))
        .values(available=bindparam("available"))
    )
)
_STOCKED = (
    exists()
    .where(
        _VARIANTS.c.product_id == _PRODUCTS.c.id,
        _VARIANTS.c.status == VariantStatus.ACTIVE.value,
        _VARIANTS.c.available > 0,
    )
    .correlate(_PRODUCTS)
)
_SET_IN_STOCK = Prepared(
    in_store(update(_PRODUCTS).where(_PRODUCTS.c.id == _PRODUCT_OF).values(in_stock=_STOCKED))
)


async def refresh_one(uow: UnitOfWork, variant_id: str) -> None:
    """Copy inventory's current availability of one variant, and its product's `in_stock`
    (the locks first: the product, then the variant, as every product write takes them)."""
    await _LOCK_PRODUCT.all(uow, variant=variant_id)
    await _LOCK_VARIANT.all(uow, variant=variant_id)
    levels = await uow.deps(AvailableStock).of(uow, [variant_id])
    await _SET_AVAILABLE.run(uow, variant=variant_id, available=max(levels.get(variant_id, 0), 0))
    await _SET_IN_STOCK.run(uow, variant=variant_id)
