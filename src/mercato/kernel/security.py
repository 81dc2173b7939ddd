"""Security events, and the 404 that hides another store's objects.

A request for an object of another tenant answers 404, exactly like a missing one, and is
recorded as a `security.violation` event in the audit log, in its own transaction so the
record survives the failed request. The HTTP edge writes that record once the request's own
unit of work has ended (`AnotherStoresObject.record`): written from inside it, on SQLite, the
second writer would wait forever for the first one's lock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import structlog
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from mercato.kernel.auth import Principal
from mercato.kernel.context import bind
from mercato.kernel.db import TenantScoped, UnitOfWork
from mercato.kernel.errors import NotFound
from mercato.kernel.events import Event

log = structlog.get_logger("mercato.security")
T = TypeVar("T", bound=TenantScoped)


class SecurityViolation(Event):
    event_type: ClassVar[str] = "security.violation"
    kind: str  # cross_tenant_access | refresh_token_reuse | token_tenant_mismatch | …
    principal_id: str
    detail: str


async def record_violation(
    uow_factory: Callable[[], UnitOfWork],
    *,
    tenant_id: str,
    kind: str,
    principal_id: str,
    detail: str,
    aggregate_id: str | None = None,
) -> None:
    log.warning("security_violation", kind=kind, principal_id=principal_id, detail=detail)
    with bind(tenant_id=tenant_id):
        async with uow_factory() as uow:
            uow.publish(
                SecurityViolation(kind=kind, principal_id=principal_id, detail=detail),
                aggregate_id=aggregate_id or principal_id,
            )
            await uow.commit()


async def get_or_404(
    uow: UnitOfWork,
    model: type[T],
    object_id: Any,
    *,
    principal: Principal,
    what: str,
) -> T:
    """The object of the principal's store, or 404; an object of another store is also 404
    (`AnotherStoresObject`, which the edge records)."""
    found = await uow.session.get(model, object_id)
    if found is not None:
        return found
    primary_key = sa_inspect(model).primary_key[0]
    result = await uow.session.execute(
        select(primary_key.table.c.tenant_id)
        .where(primary_key == object_id)
        .execution_options(all_tenants=True)
    )
    elsewhere = result.scalar()
    if elsewhere is not None and elsewhere != principal.tenant_id:
        raise AnotherStoresObject(
            f"no {what} {object_id!r}",
            violation={
                "tenant_id": principal.tenant_id,
                "kind": "cross_tenant_access",
                "principal_id": principal.id,
                "detail": f"{what} {object_id} of another store",
                "aggregate_id": str(object_id),
            },
        )
    raise NotFound(f"no {what} {object_id!r}")


class AnotherStoresObject(NotFound):
    """A 404 like any other to the caller, whose attempt the edge records after the request's
    unit of work has ended."""

    def __init__(self, detail: str, *, violation: dict[str, str]) -> None:
        super().__init__(detail)
        self.violation = violation

    async def record(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        await record_violation(uow_factory, **self.violation)
