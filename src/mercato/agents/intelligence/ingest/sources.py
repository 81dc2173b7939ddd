"""Sources and their runs: create, change, delete, list; which are due."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from mercato.agents.intelligence.ingest.models import Run, Source
from mercato.agents.intelligence.ingest.problems import (
    InvalidSource,
    SourceNameTaken,
)
from mercato.kernel import paging
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from mercato.kernel.security import get_or_404

REQUIRED: dict[str, tuple[str, ...]] = {
    "shopify": ("shop_url",),
    "mercato": ("base_url",),
    "file": ("path", "kind"),
    "url": ("url", "kind"),
    "competitor": ("competitor", "urls"),
}


def check_settings(kind: str, settings: dict[str, Any]) -> None:
    missing = [name for name in REQUIRED[kind] if not settings.get(name)]
    if missing:
        raise InvalidSource(f"a {kind} source needs {', '.join(missing)} in its settings")
    if kind == "competitor" and not (
        isinstance(settings["urls"], list) and all(isinstance(u, str) for u in settings["urls"])
    ):
        raise InvalidSource("urls: a list of the competitor's product pages")


async def _name_free(uow: UnitOfWork, name: str, *, but: str | None = None) -> None:
    query = select(Source.id).where(Source.name == name)
    if but is not None:
        query = query.where(Source.id != but)
    if await uow.session.scalar(query) is not None:
        raise SourceNameTaken(f"a source named {name!r} exists")


async def create_source(
    uow: UnitOfWork,
    *,
    kind: str,
    name: str,
    settings: dict[str, Any],
    credential: str | None,
    interval_seconds: int | None,
    rate_per_second: float,
    enabled: bool,
    now: datetime,
) -> Source:
    check_settings(kind, settings)
    await _name_free(uow, name)
    source = Source(
        id=new_id(),
        kind=kind,
        name=name,
        settings=settings,
        credential=credential,
        interval_seconds=interval_seconds,
        rate_per_second=rate_per_second,
        enabled=enabled,
        next_run_at=now if interval_seconds else None,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(source)
    await uow.session.flush()
    return source


async def source_for(uow: UnitOfWork, source_id: str, *, principal: Principal) -> Source:
    """The store's source; another store's answers the same 404 as a missing one, and the
    edge records the attempt (`kernel.security`)."""
    return await get_or_404(uow, Source, source_id, principal=principal, what="source")


async def change_source(
    uow: UnitOfWork, *, source: Source, changes: dict[str, Any], now: datetime
) -> Source:
    if "name" in changes and changes["name"] is not None:
        await _name_free(uow, changes["name"], but=source.id)
    settings = changes.get("settings")
    if settings is not None:
        check_settings(source.kind, settings)
    for name, value in changes.items():
        if value is not None:
            setattr(source, name, value)
    if changes.get("interval_seconds") and source.next_run_at is None:
        source.next_run_at = now
    source.updated_at = now
    await uow.session.flush()
    return source


async def delete_source(uow: UnitOfWork, *, source: Source) -> None:
    """The source goes; what it fetched stays (its lineage still names it)."""
    await uow.session.delete(source)
    await uow.session.flush()


async def list_sources(
    uow: UnitOfWork, *, limit: int, cursor: str | None
) -> tuple[list[Source], str | None]:
    key = paging.decode(cursor, str)
    rows = (
        await uow.session.scalars(
            select(Source)
            .where(paging.beyond((Source.name,), key, descending=False))
            .order_by(Source.name)
            .limit(limit + 1)
        )
    ).all()
    return paging.cut(rows, limit, lambda s: (s.name,))


async def list_runs(
    uow: UnitOfWork, *, source_id: str, limit: int, cursor: str | None
) -> tuple[list[Run], str | None]:
    key = paging.decode(cursor, datetime, str)
    rows = (
        await uow.session.scalars(
            select(Run)
            .where(Run.source_id == source_id)
            .where(paging.beyond((Run.started_at, Run.id), key, descending=True))
            .order_by(Run.started_at.desc(), Run.id.desc())
            .limit(limit + 1)
        )
    ).all()
    return paging.cut(rows, limit, lambda r: (r.started_at, r.id))


async def source_by_name(uow: UnitOfWork, name: str) -> Source | None:
    found: Source | None = await uow.session.scalar(select(Source).where(Source.name == name))
    return found


async def due_sources(uow: UnitOfWork, *, now: datetime) -> list[tuple[str, str]]:
    """(store, source id) of every enabled, scheduled source whose time has come, in every
    store (the worker's job runs each in its own store)."""
    rows = await uow.session.execute(
        select(Source.tenant_id, Source.id)
        .where(Source.enabled.is_(True), Source.interval_seconds.is_not(None))
        .where(or_(Source.next_run_at.is_(None), Source.next_run_at <= now))
        .order_by(Source.next_run_at)
        .execution_options(all_tenants=True)
    )
    return [(tenant, source_id) for tenant, source_id in rows.all()]


async def enabled_sources(uow: UnitOfWork) -> list[Source]:
    return list((await uow.session.scalars(select(Source).where(Source.enabled.is_(True)))).all())
