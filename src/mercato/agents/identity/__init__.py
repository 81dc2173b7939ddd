"""The identity agent: stores, accounts, credentials, sessions, roles (seeds 001, 002, 004)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from mercato.agents.identity import lockout, service
from mercato.agents.identity import rules as _rules  # registers BR011, BR017
from mercato.agents.identity.accounts import AccountStates
from mercato.agents.identity.api import router, well_known
from mercato.agents.identity.authn import (
    AccessTokenAuthenticator,
    ApiKeyAuthenticator,
    GuestSessionAuthenticator,
)
from mercato.agents.identity.cli import cli
from mercato.agents.identity.deps import IdentityDeps
from mercato.agents.identity.directory import StoreDirectory, ensure_tenant
from mercato.agents.identity.live_sessions import LiveSessions
from mercato.agents.identity.passwords import Passwords
from mercato.agents.identity.tokens import Keyring, TokenService
from mercato.kernel.agent import Agent, PeriodicJob
from mercato.kernel.auth import grant
from mercato.kernel.bootstrap import Kernel

del _rules

grant("customer", "me:read", "me:write")
grant("merchant", "me:read", "me:write")
grant("support", "me:read", "me:write", "users:read")


def setup(kernel: Kernel) -> None:
    settings = kernel.settings
    if settings.mode == "scaled" and not settings.jwt_signing_keys:
        # Each host would mint its own key, and a token from one would fail on the others.
        raise ValueError(
            "scaled mode needs MERCATO_JWT_SIGNING_KEYS (the same keys on every host); "
            "make one with `mercato keys new`"
        )
    keyring = (
        Keyring.from_pems(settings.jwt_signing_keys)
        if settings.jwt_signing_keys
        else Keyring.from_directory(settings.data_dir / "keys")
    )
    deps = IdentityDeps(
        settings=settings,
        clock=kernel.clock,
        passwords=Passwords(
            time_cost=settings.password_hash_time_cost,
            memory_kib=settings.password_hash_memory_kib,
            parallelism=settings.password_hash_parallelism,
        ),
        tokens=TokenService(keyring, issuer=settings.jwt_issuer, ttl=settings.access_token_ttl),
        accounts=AccountStates(kernel.uow, kernel.broadcast, ttl=settings.auth_cache_seconds),
        sessions=LiveSessions(kernel.uow, kernel.clock, service.read_live_session),
    )
    kernel.provide(IdentityDeps, deps)
    kernel.tenants = StoreDirectory(settings.default_tenant)
    kernel.authenticators += [
        AccessTokenAuthenticator(kernel, deps),
        ApiKeyAuthenticator(kernel, deps),
        GuestSessionAuthenticator(kernel, deps),
    ]


async def on_start(kernel: Kernel) -> None:
    """The default store exists from the first start; the store directory is loaded."""
    async with kernel.uow() as uow:
        await ensure_tenant(
            uow,
            tenant_id=kernel.settings.default_tenant,
            name="Default store",
            hosts=[],
            now=kernel.clock.now(),
            create_only=True,
        )
        await uow.commit()
    await refresh_directory(kernel)


async def refresh_directory(kernel: Kernel) -> None:
    if isinstance(kernel.tenants, StoreDirectory):
        await kernel.tenants.refresh(kernel)


async def refresh(kernel: Kernel) -> None:
    """Every 30 s: stores added by other processes, and keys rotated by `mercato keys`."""
    await refresh_directory(kernel)
    deps = kernel.deps(IdentityDeps)
    deps.tokens.keyring.reload()


async def forget_login_failures(kernel: Kernel) -> None:
    """Hourly: failed-login counts of emails without an account, once stale, are dropped."""
    before = kernel.clock.now() - timedelta(seconds=2 * kernel.settings.login_lock_seconds)
    async with kernel.uow() as uow:
        await lockout.forget_old(uow, before=before)
        await uow.commit()


agent = Agent(
    name="identity",
    description="Stores, accounts, tokens, guest sessions, roles and API keys",
    router=router,
    root_router=well_known,
    cli=cli,
    tables=[
        "tenants",
        "users",
        "refresh_tokens",
        "guest_sessions",
        "one_time_tokens",
        "api_keys",
        "login_failures",
    ],
    setup=setup,
    on_start=on_start,
    jobs=[
        PeriodicJob("identity.refresh", 30.0, refresh),
        PeriodicJob("identity.forget_login_failures", 3600.0, forget_login_failures),
    ],
    web=Path(__file__).parent / "web",
)
