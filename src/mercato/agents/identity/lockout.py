"""Failed logins lock an email for a while, whether or not it has an account.

An account counts its failures in its own row; an email without an account counts them in
`login_failures`, by the same rule, so an attacker who repeats failures learns nothing about
which emails exist: both answer `invalid_credentials` with the same growing delay, then
`account_locked` with the same `Retry-After`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, delete, select, update

from mercato.agents.identity import events
from mercato.agents.identity.deps import IdentityDeps, digest
from mercato.agents.identity.models import LoginFailures, User
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.errors import TenantContextMissing


@dataclass(frozen=True)
class Failure:
    count: int
    locked_until: datetime | None
    """Set by the failure that reached the limit."""


def locked_for(locked_until: datetime | None, now: datetime) -> int | None:
    """Seconds until a lock ends, None when there is no lock."""
    if locked_until is None or locked_until <= now:
        return None
    return int((locked_until - now).total_seconds()) + 1


async def lock_of(uow: UnitOfWork, *, user: User | None, email: str) -> datetime | None:
    if user is not None:
        return user.locked_until
    return await uow.session.scalar(
        select(LoginFailures.locked_until).where(LoginFailures.email_digest == digest(email))
    )


async def record_failure(
    uow: UnitOfWork, deps: IdentityDeps, *, user: User | None, email: str
) -> Failure:
    """Count one failure (in SQL, so concurrent failures all count) and lock at the limit."""
    settings, now = deps.settings, deps.clock.now()
    count = await (_count_account(uow, user) if user is not None else _count_email(uow, email, now))
    if count < settings.login_lock_after:
        return Failure(count, None)
    until = now + timedelta(seconds=settings.login_lock_seconds)
    if user is not None:
        user.locked_until, user.failed_logins = until, 0
        uow.publish(
            events.AccountLocked(user_id=user.id, until=until.isoformat()), aggregate_id=user.id
        )
    else:
        await uow.session.execute(
            update(LoginFailures)
            .where(LoginFailures.email_digest == digest(email))
            .values(failures=0, locked_until=until)
        )
    return Failure(count, until)


async def forget_old(uow: UnitOfWork, *, before: datetime) -> int:
    """Drop counts of unknown emails, in every store, untouched since `before` whose lock
    has ended."""
    result = await uow.session.execute(
        delete(LoginFailures)
        .where(
            LoginFailures.updated_at < before,
            (LoginFailures.locked_until.is_(None)) | (LoginFailures.locked_until < before),
        )
        .execution_options(all_tenants=True)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def _count_account(uow: UnitOfWork, user: User) -> int:
    failures = await uow.session.scalar(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
    )
    user.failed_logins = int(failures or 0)
    return user.failed_logins


async def _count_email(uow: UnitOfWork, email: str, now: datetime) -> int:
    tenant = context.current_tenant()
    if tenant is None:
        raise TenantContextMissing()
    insert = upsert_insert(uow.session)
    table = cast(Table, LoginFailures.__table__)
    claim = (
        insert(table)
        .values(tenant_id=tenant, email_digest=digest(email), failures=1, updated_at=now)
        .on_conflict_do_update(
            index_elements=[table.c.tenant_id, table.c.email_digest],
            set_={"failures": table.c.failures + 1, "updated_at": now},
        )
        .returning(table.c.failures)
    )
    return int((await uow.session.execute(claim)).scalar_one())
