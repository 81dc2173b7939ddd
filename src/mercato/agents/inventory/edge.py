"""What inventory's routes share: the permissions they declare, and the ownership check
of objects named in a path."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from mercato.agents.inventory.lookups import Kind, check_this_store, not_found
from mercato.kernel.auth import Principal, require
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.security import AnotherStoresObject

Reader = Annotated[Principal, Depends(require("inventory:read"))]
"""Support, integrations (system keys) and admins; not merchants (the stock is the whole
store's)."""
Writer = Annotated[Principal, Depends(require("inventory:write"))]
"""Integrations (system keys) and admins."""
Cursor = Annotated[str | None, Query(max_length=300)]


async def owned(kernel: Kernel, principal: Principal, kind: Kind, object_id: str) -> None:
    """404 unless the object is this store's; asking for another store's object is recorded
    as a security violation. Read-only, before the command's own (write) unit of work: on
    SQLite, recording the violation needs the write lock that unit of work would hold."""
    async with kernel.uow(writes=False) as uow:
        try:
            await check_this_store(uow, kind, object_id, principal=principal)
            return
        except AnotherStoresObject as exc:
            foreign = exc
    await foreign.record(kernel.uow)
    raise not_found(kind, object_id)
