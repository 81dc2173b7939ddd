"""What every request checks about the account behind an access token: is it active, which
roles and merchant does it hold now, and is the token's version still current (ADR 15).

Reading the account on every request would cost a query each; this process keeps a copy per
account for `MERCATO_AUTH_CACHE_SECONDS`. Identity evicts the copy in every process as soon as
a change commits (the kernel's broadcast: direct in embedded mode, Redis pub/sub when
scaled), so a demotion, a disabling or a sign-out takes effect at once; the TTL bounds how long
a process that missed the eviction (a Redis hiccup) can lag.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from mercato.agents.identity.models import User
from mercato.agents.identity.statuses import UserStatus
from mercato.kernel.broadcast import Broadcast
from mercato.kernel.db import UnitOfWork
from mercato.kernel.process_cache import ProcessCache

TOPIC = "identity.account_changed"


@dataclass(frozen=True)
class AccountState:
    version: int
    active: bool
    roles: frozenset[str]
    merchant_id: str | None


Key = tuple[str, str]


class AccountStates:
    def __init__(
        self,
        units: Callable[..., UnitOfWork],
        broadcast: Broadcast,
        *,
        ttl: float,
        monotonic: Callable[[], float] = time.monotonic,
        read: Callable[[UnitOfWork, str], Awaitable[AccountState | None]] | None = None,
    ) -> None:
        self._units = units
        self._read = read or read_state
        self._kept: ProcessCache[Key, AccountState | None] = ProcessCache(
            broadcast,
            TOPIC,
            ttl=ttl,
            to_message=lambda key: {"tenant_id": key[0], "user_id": key[1]},
            from_message=lambda m: (str(m["tenant_id"]), str(m["user_id"])),
            monotonic=monotonic,
        )

    async def get(self, tenant_id: str, user_id: str) -> AccountState | None:
        """The account's current state (None: no such account in this store)."""

        async def read() -> AccountState | None:
            async with self._units(writes=False) as uow:
                return await self._read(uow, user_id)

        return await self._kept.get((tenant_id, user_id), read)

    def changed_on_commit(self, uow: UnitOfWork, tenant_id: str, user_id: str) -> None:
        """Evict the account everywhere once `uow` commits its change."""
        self._kept.changed_on_commit(uow, (tenant_id, user_id))

    def evict(self, tenant_id: str, user_id: str) -> None:
        self._kept.evict((tenant_id, user_id))


async def read_state(uow: UnitOfWork, user_id: str) -> AccountState | None:
    row = (
        await uow.session.execute(
            select(User.auth_version, User.status, User.roles, User.merchant_id).where(
                User.id == user_id
            )
        )
    ).one_or_none()
    if row is None:
        return None
    version, status, roles, merchant_id = row
    return AccountState(int(version), status == UserStatus.ACTIVE, frozenset(roles), merchant_id)


async def end_access_tokens(uow: UnitOfWork, accounts: AccountStates, user: User) -> None:
    """Every access token issued to `user` so far stops working when `uow` commits."""
    version = await uow.session.scalar(  # counted in SQL: concurrent changes all count
        update(User)
        .where(User.id == user.id)
        .values(auth_version=User.auth_version + 1)
        .returning(User.auth_version)
    )
    set_committed_value(user, "auth_version", int(version or 0))  # as read, not dirty
    accounts.changed_on_commit(uow, user.tenant_id, user.id)
