"""The availability read model's refresh (`service.refresh_availability`), what every stock
event of a checkout asks for, as prepared statements (ADR 22): the products locked first,
then the variants, each in id order (as every product write takes them), then inventory's
current stock read, and written back, in six statements whatever the number of variants.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, bindparam, exists, select, update

from mercato.agents.catalog.events import ProductAvailabilityChanged
from mercato.agents.catalog.models import Product, Variant
from mercato.agents.catalog.ports import AvailableStock
from mercato.agents.catalog.statuses import VariantStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.prepared import Prepared
from mercato.kernel.prepared_in import PreparedIn
from mercato.kernel.store_sql import in_store

_PRODUCTS = cast(Table, Product.__table__)
_VARIANTS = cast(Table, Variant.__table__)


_PRODUCT_IDS = PreparedIn(
    lambda ids: in_store(select(_VARIANTS.c.product_id).where(_VARIANTS.c.id.in_(ids)))
)
"""The named variants' products. Every statement here is a lookup by primary key: a join
or an `IN (SELECT …)` can be planned, on tables without statistics yet (a new store being
seeded), as a scan of the variants for each product (tens of seconds for 1,200 products)."""


def _locking(table: Table) -> PreparedIn:
    """Lock the listed rows of `table`, in id order."""
    return PreparedIn(
        lambda ids: in_store(
            select(table.c.id).where(table.c.id.in_(ids)).order_by(table.c.id).with_for_update()
        )
    )


_LOCK_PRODUCTS, _LOCK_VARIANTS = _locking(_PRODUCTS), _locking(_VARIANTS)
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
_SET_IN_STOCK = PreparedIn(
    lambda ids: in_store(
        update(_PRODUCTS)
        .where(_PRODUCTS.c.id.in_(ids), _PRODUCTS.c.in_stock != _STOCKED)
        .values(in_stock=_STOCKED)
        .returning(_PRODUCTS.c.id, _PRODUCTS.c.in_stock)
    )
)
"""Set `in_stock` where it flips, and name those products (most refreshes flip none)."""


async def refresh(uow: UnitOfWork, variant_ids: Sequence[str]) -> None:
    """Copy inventory's current availability of the variants, and their products'
    `in_stock`; `product.availability_changed` for each product that went out of stock or
    came back."""
    ids = sorted(set(variant_ids))
    if not ids:
        return
    products = sorted({row.product_id for row in await _PRODUCT_IDS.all(uow, ids)})
    await _LOCK_PRODUCTS.all(uow, products)
    await _LOCK_VARIANTS.all(uow, ids)
    levels = await uow.deps(AvailableStock).of(uow, ids)
    await _SET_AVAILABLE.run_many(
        uow, [{"variant": v, "available": max(levels.get(v, 0), 0)} for v in ids]
    )
    for product_id, in_stock in await _SET_IN_STOCK.all(uow, products):
        uow.publish(
            ProductAvailabilityChanged(product_id=product_id, in_stock=bool(in_stock)),
            aggregate_id=product_id,
        )
