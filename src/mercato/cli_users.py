"""The async work behind `mercato users …`."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from mercato.agents.identity import admin
from mercato.agents.identity.deps import IdentityDeps
from mercato.agents.identity.directory import ensure_tenant
from mercato.agents.identity.models import Tenant
from mercato.kernel import migrate
from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.context import bind

OPERATOR = Principal(id="cli", tenant_id="*", kind="system", roles=frozenset({"admin"}))
"""Whoever runs the `mercato` command on the server: it may create the first admin."""


async def create_admin(
    settings: Settings, *, email: str, password: str, full_name: str, tenant: str
) -> str:
    if settings.should_auto_migrate:  # Alembic runs its own event loop: give it a thread
        await asyncio.to_thread(migrate.upgrade, settings)
    kernel = Kernel.build(settings)
    try:
        await kernel.prepare()
        deps = kernel.deps(IdentityDeps)
        with bind(tenant_id=tenant):
            async with kernel.uow() as uow:
                await ensure_tenant(
                    uow,
                    tenant_id=tenant,
                    name=tenant,
                    hosts=[],
                    now=kernel.clock.now(),
                    create_only=True,
                )
                user = await admin.create_staff(
                    uow,
                    deps,
                    email=email,
                    password=password,
                    full_name=full_name,
                    roles=["admin"],
                    merchant_id=None,
                    creator=OPERATOR,
                )
                await uow.commit()
        return user.id
    finally:
        await kernel.db.dispose()


async def add_store(settings: Settings, *, store_id: str, name: str, hosts: list[str]) -> None:
    if settings.should_auto_migrate:
        await asyncio.to_thread(migrate.upgrade, settings)
    kernel = Kernel.build(settings)
    try:
        async with kernel.uow() as uow:
            await ensure_tenant(
                uow, tenant_id=store_id, name=name, hosts=hosts, now=kernel.clock.now()
            )
            await uow.commit()
    finally:
        await kernel.db.dispose()


async def list_stores(settings: Settings) -> list[tuple[str, str, list[str]]]:
    kernel = Kernel.build(settings)
    try:
        async with kernel.uow(writes=False) as uow:
            stores = await uow.session.scalars(select(Tenant).order_by(Tenant.id))
            return [(s.id, s.name, list(s.hosts or [])) for s in stores]
    finally:
        await kernel.db.dispose()
