"""Fixtures and helpers for the identity agent's integration tests.

Fixtures (on each backend of the `settings` fixture, SQLite and PostgreSQL):

- `identity_kernel`: a kernel with identity (and notifications, which mails for it),
  prepared (the default store exists and the store directory is loaded) and not started
  (no relay or jobs running).
- `client`: an HTTP client on that kernel's app (`http://mercato.test`).

Helpers, imported by tests (`from tests.integration.identity.conftest import sign_up`):

- `ADMIN`: the bootstrap admin's headers (an admin of every store; add `X-Tenant`).
- `add_store(kernel, "shop-b")`: a second store, known to the edge at once.
- `new_email()` / `new_password()`: unique, policy-compliant credentials.
- `sign_up(client, role)`: a real account of a role, signed in; returns an `Account`.
- `role_headers(client, role)`: the headers of any caller of the route-by-role matrix,
  `anonymous` and `guest` (a session token) included.
- `create_api_key(client, roles)`: a new API key and its raw secret.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default as default_policy

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from mercato.agents import identity, notifications
from mercato.agents.identity.directory import ensure_tenant
from mercato.agents.identity.models import User
from mercato.agents.notifications.sender import send_due
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.bus.outbox import to_envelope
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.conftest import ADMIN_KEY
from tests.support.http import client_for

ADMIN = {"authorization": f"Bearer {ADMIN_KEY}"}
ROLES = ("anonymous", "guest", "customer", "merchant", "support", "admin", "system")
"""Every kind of caller: no credential, a guest session, the account roles, an API key."""

_serial = itertools.count(1)
IDENTITY_AGENTS = [identity.agent, notifications.agent]
"""Identity, and notifications, which mails its one-time links."""


@pytest.fixture
async def identity_kernel(settings: Settings) -> AsyncIterator[Kernel]:
    """A prepared kernel whose only agent is identity (stopped after the test)."""
    kernel = await build_identity_kernel(settings)
    yield kernel
    await kernel.stop()


@pytest.fixture
async def client(identity_kernel: Kernel) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process HTTP client on `identity_kernel`'s app, background work not started."""
    async with client_for(identity_kernel, start=False) as c:
        yield c


async def build_identity_kernel(settings: Settings) -> Kernel:
    """For tests that need their own settings (`make_settings`) or several kernels; the caller
    stops it."""
    kernel = Kernel.build(settings, agents=IDENTITY_AGENTS)
    await kernel.prepare()
    return kernel


async def add_store(kernel: Kernel, tenant_id: str, *, hosts: list[str] | None = None) -> None:
    """Create a store (or update its hosts) and reload the directory the edge resolves with."""
    with bind(tenant_id=tenant_id):
        async with kernel.uow() as uow:
            await ensure_tenant(
                uow, tenant_id=tenant_id, name=tenant_id, hosts=hosts or [], now=kernel.clock.now()
            )
            await uow.commit()
    await identity.refresh_directory(kernel)


def in_store(tenant: str, headers: dict[str, str] | None = None) -> dict[str, str]:
    """`headers` plus `X-Tenant: tenant`."""
    return {**(headers or {}), "x-tenant": tenant}


def new_email(prefix: str = "user") -> str:
    return f"{prefix}{next(_serial)}@example.com"


def new_password() -> str:
    """Long, not a common password, and unrelated to any address `new_email` makes."""
    return f"Tangerine-Piano-{next(_serial)}-Lighthouse"


@dataclass(frozen=True)
class Account:
    """A signed-in account: what the API answered at login, and its credentials."""

    id: str
    email: str
    password: str = field(repr=False)
    tenant: str
    roles: list[str]
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)

    @property
    def headers(self) -> dict[str, str]:
        """Bearer access token and the account's store."""
        return in_store(self.tenant, {"authorization": f"Bearer {self.access_token}"})


async def login(
    client: httpx.AsyncClient, email: str, password: str, *, tenant: str = "default"
) -> httpx.Response:
    return await client.post(
        "/v1/auth/login", json={"email": email, "password": password}, headers=in_store(tenant)
    )


async def sign_up(
    client: httpx.AsyncClient,
    role: str = "customer",
    *,
    tenant: str = "default",
    email: str | None = None,
    password: str | None = None,
    merchant_id: str | None = None,
) -> Account:
    """A real account with `role`, signed in. Customers register themselves
    (`POST /v1/auth/register`); staff roles are created by the bootstrap admin
    (`POST /v1/admin/users`; a merchant gets `merchant_id`, "merchant-1" unless given)."""
    email, password = email or new_email(role), password or new_password()
    if role == "customer":
        body = {"email": email, "password": password, "full_name": "Casey Customer"}
        created = await client.post("/v1/auth/register", json=body, headers=in_store(tenant))
    else:
        body = {"email": email, "password": password, "full_name": f"Sam {role}", "roles": [role]}
        if role == "merchant":
            body["merchant_id"] = merchant_id or "merchant-1"
        created = await client.post("/v1/admin/users", json=body, headers=in_store(tenant, ADMIN))
    assert created.status_code == 201, created.text
    signed_in = await login(client, email, password, tenant=tenant)
    assert signed_in.status_code == 200, signed_in.text
    pair = signed_in.json()
    return Account(
        id=created.json()["id"],
        email=email,
        password=password,
        tenant=tenant,
        roles=[role],
        access_token=pair["access_token"],
        refresh_token=pair["refresh_token"],
    )


async def create_api_key(
    client: httpx.AsyncClient, roles: list[str] | None = None, *, tenant: str = "default"
) -> tuple[str, dict[str, str]]:
    """A new API key of the store (roles default to ["system"]): its raw secret and its
    headers."""
    answer = await client.post(
        "/v1/admin/api-keys",
        json={"name": "integration", "roles": roles or ["system"]},
        headers=in_store(tenant, ADMIN),
    )
    assert answer.status_code == 201, answer.text
    key = answer.json()["key"]
    return key, in_store(tenant, {"authorization": f"Bearer {key}"})


async def guest_headers(client: httpx.AsyncClient, *, tenant: str = "default") -> dict[str, str]:
    """A new guest session's `X-Session-Token`."""
    answer = await client.post("/v1/sessions", headers=in_store(tenant))
    assert answer.status_code == 201, answer.text
    return in_store(tenant, {"x-session-token": answer.json()["session_token"]})


async def role_headers(
    client: httpx.AsyncClient, role: str, *, tenant: str = "default"
) -> dict[str, str]:
    """Headers of a caller of `role` (one of `ROLES`), made through the API."""
    if role == "anonymous":
        return in_store(tenant)
    if role == "guest":
        return await guest_headers(client, tenant=tenant)
    if role == "system":
        return (await create_api_key(client, ["system"], tenant=tenant))[1]
    return (await sign_up(client, role, tenant=tenant)).headers


def app_of(client: httpx.AsyncClient) -> FastAPI:
    """The app a `client_for` client talks to."""
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport)
    app = transport.app
    assert isinstance(app, FastAPI)
    return app


# -- shared by the account tests ---------------------------------------------------


async def counts(kernel: Kernel) -> tuple[int, int]:
    """(accounts, events) of the default store: proof that a refusal wrote nothing."""
    with bind(tenant_id="default"):
        async with kernel.uow(writes=False) as uow:
            users = await uow.session.scalar(select(func.count()).select_from(User))
            events = await uow.session.scalar(select(func.count()).select_from(OutboxRecord))
    return int(users or 0), int(events or 0)


async def event_payloads(kernel: Kernel, event_type: str) -> list[dict[str, object]]:
    async with kernel.uow(writes=False) as uow:
        rows = await uow.session.scalars(
            select(OutboxRecord).where(OutboxRecord.type == event_type)
        )
        return [r.payload for r in rows]


async def mails(kernel: Kernel) -> list[tuple[str, str, str]]:
    """(to, subject, plain text) of every message the local mail provider wrote, once the
    events written so far were handled (the notifications agent mails for identity) and
    what they queued was sent: the test's kernel runs no background work."""
    async with kernel.uow(writes=False) as uow:
        rows = list(await uow.session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq)))
    for row in rows:
        for sub in kernel.registry.subscriptions(["notifications"]):
            if sub.event_type == row.type:  # handled once: the inbox skips a second time
                await kernel.dispatcher.dispatch(to_envelope(row), sub)
    await send_due(kernel)
    found = []
    for path in sorted((kernel.settings.data_dir / "mail").glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=default_policy)
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        text = str(body.get_content())  # type: ignore[attr-defined]
        found.append((str(message["To"]), str(message["Subject"]), text))
    return found


def token_in(body: str) -> str:
    return body.split("token=", 1)[1].split(maxsplit=1)[0]


@pytest.fixture
async def clocked(
    make_settings: Callable[..., Settings],
) -> AsyncIterator[tuple[Kernel, httpx.AsyncClient, ManualClock]]:
    """An identity kernel whose clock the test moves (lock-outs, token expiry)."""
    clock = ManualClock(datetime.now(UTC))
    settings = make_settings("sqlite", login_lock_after=3, login_lock_seconds=600)
    kernel = Kernel.build(settings, agents=IDENTITY_AGENTS, clock=clock)
    await kernel.prepare()
    async with client_for(kernel, start=False) as client:
        yield kernel, client, clock
    await kernel.stop()
