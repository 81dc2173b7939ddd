"""Whether an object a route names (a location, a stock level, a sync discrepancy) is this
store's: each kind answers its own 404."""

from __future__ import annotations

from typing import Literal

from mercato.agents.inventory.errors import (
    DiscrepancyNotFound,
    LocationNotFound,
    StockLevelNotFound,
)
from mercato.agents.inventory.models import Location, StockLevel, SyncDiscrepancy
from mercato.kernel.auth import Principal
from mercato.kernel.db import TenantScoped, UnitOfWork
from mercato.kernel.errors import NotFound
from mercato.kernel.security import AnotherStoresObject, get_or_404

Kind = Literal["location", "stock level", "sync discrepancy"]
KINDS: dict[Kind, tuple[type[TenantScoped], type[NotFound]]] = {
    "location": (Location, LocationNotFound),
    "stock level": (StockLevel, StockLevelNotFound),
    "sync discrepancy": (SyncDiscrepancy, DiscrepancyNotFound),
}


def not_found(kind: Kind, object_id: str) -> NotFound:
    return KINDS[kind][1](f"no {kind} {object_id!r}")


async def check_this_store(
    uow: UnitOfWork, kind: Kind, object_id: str, *, principal: Principal
) -> None:
    """The kind's 404 unless the object is this store's; `AnotherStoresObject` (a 404 too)
    for another store's, for the edge to record once its unit of work has ended."""
    try:
        await get_or_404(uow, KINDS[kind][0], object_id, principal=principal, what=kind)
    except AnotherStoresObject:
        raise
    except NotFound:
        raise not_found(kind, object_id) from None
