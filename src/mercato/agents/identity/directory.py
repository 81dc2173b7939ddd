"""The stores of this deployment, cached for the edge (`X-Tenant` and host names)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from mercato.agents.identity.models import Tenant
from mercato.kernel.db import UnitOfWork

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel


class StoreDirectory:
    def __init__(self, default: str) -> None:
        self.default = default
        self._known: set[str] = {default}
        self._hosts: dict[str, str] = {}
        self._refreshing = asyncio.Lock()
        """Refreshes apply in the order they read: a slow periodic one that read before a
        store was added never overwrites a later one that saw it."""

    def resolve(self, *, header: str | None, host: str | None) -> str | None:
        if header is not None:
            return header if header in self._known else None
        if host is not None and host in self._hosts:
            return self._hosts[host]
        return self.default

    async def refresh(self, kernel: Kernel) -> None:
        async with self._refreshing:
            async with kernel.uow(writes=False) as uow:
                tenants = list(await uow.session.scalars(select(Tenant)))
            self._known = {t.id for t in tenants} | {self.default}
            self._hosts = {host.lower(): t.id for t in tenants for host in t.hosts or []}


async def ensure_tenant(
    uow: UnitOfWork,
    *,
    tenant_id: str,
    name: str,
    hosts: list[str],
    now: datetime,
    create_only: bool = False,
) -> Tenant:
    """Create the store, or (unless `create_only`) update its name and hosts."""
    tenant = await uow.session.get(Tenant, tenant_id)
    if tenant is None:
        tenant = Tenant(id=tenant_id, name=name, hosts=hosts, created_at=now)
        uow.session.add(tenant)
    elif not create_only:
        tenant.name, tenant.hosts = name, hosts
    return tenant


async def list_stores(uow: UnitOfWork) -> list[tuple[str, str, list[str]]]:
    """Every store: (id, name, host names), by id."""
    stores = await uow.session.scalars(select(Tenant).order_by(Tenant.id))
    return [(s.id, s.name, list(s.hosts or [])) for s in stores]
