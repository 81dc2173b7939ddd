"""Access control of the identity agent and the kernel's edge: every route's permission for
every kind of caller, store isolation, rate limits, secrets kept out of logs, security
headers and CORS."""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import httpx
import pytest
import structlog
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mercato.agents.identity.models import RefreshToken
from mercato.kernel.auth import PermissionCheck, Principal, PrincipalKind
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.observability import configure_logging
from tests.conftest import ADMIN_KEY, DB_STACKS, needs_redis
from tests.integration.identity.conftest import (
    ADMIN,
    ROLES,
    Account,
    add_store,
    build_identity_kernel,
    create_api_key,
    guest_headers,
    in_store,
    login,
    new_email,
    new_password,
    role_headers,
    sign_up,
)
from tests.support.http import client_for

# -- the route-by-role matrix ------------------------------------------------------------

BODY_METHODS = {"POST", "PATCH", "PUT"}
KINDS: dict[str, PrincipalKind] = {"anonymous": "anonymous", "guest": "guest", "system": "api_key"}


def app_of(client: httpx.AsyncClient) -> FastAPI:
    """The app a `client_for` client talks to."""
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport)
    app = transport.app
    assert isinstance(app, FastAPI)
    return app


def permission_checks(route: APIRoute) -> list[PermissionCheck]:
    """Every `require()` / `public()` among the route's dependencies, however deep."""
    found: list[PermissionCheck] = []

    def walk(dependant: Dependant) -> None:
        for dependency in dependant.dependencies:
            if isinstance(dependency.call, PermissionCheck):
                found.append(dependency.call)
            walk(dependency)

    walk(route.dependant)
    return found


def principal_of(role: str) -> Principal:
    roles = {"anonymous": frozenset(), "guest": frozenset({"guest"})}.get(role, frozenset({role}))
    return Principal(id=role, tenant_id="default", kind=KINDS.get(role, "user"), roles=roles)


def admits(checks: list[PermissionCheck], principal: Principal) -> bool:
    """Whether the route's checks let the principal through (None: a public route)."""
    return bool(checks) and all(c.permission is None or principal.can(c.permission) for c in checks)


def with_ids(path: str) -> str:
    """The path with a random id in each parameter."""
    return re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), path)


async def test_every_route_declares_a_permission(client: httpx.AsyncClient) -> None:
    table = app_of(client).state.routes.routes
    # the walk sees the kernel's and identity's routes
    paths = {path for path, _ in table}
    assert {"/health/live", "/v1/audit/events", "/v1/auth/login", "/v1/admin/users"} <= paths
    undeclared = [
        f"{','.join(sorted(route.methods))} {path}"
        for path, route in table
        if not permission_checks(route)
    ]
    assert undeclared == [], f"routes with no require()/public(): {undeclared}"


async def test_admin_and_audit_routes_are_closed_to_shoppers(client: httpx.AsyncClient) -> None:
    """The matrix checks routes against what they declare; this checks the declarations of
    the routes that must never be open."""
    shoppers = [principal_of(role) for role in ("anonymous", "guest", "customer", "merchant")]
    open_routes = [
        f"{','.join(sorted(route.methods))} {path} to {shopper.id}"
        for path, route in app_of(client).state.routes.routes
        if path.startswith(("/v1/admin/", "/v1/audit/"))
        for shopper in shoppers
        if not permission_checks(route) or admits(permission_checks(route), shopper)
    ]
    assert open_routes == [], f"staff routes open to shoppers: {open_routes}"


@pytest.mark.parametrize("role", ROLES)
async def test_each_route_admits_exactly_the_roles_holding_its_permission(
    role: str, client: httpx.AsyncClient
) -> None:
    # given a caller of the role, made through the API
    headers = await role_headers(client, role)
    principal = principal_of(role)
    refusal = 401 if role in {"anonymous", "guest"} else 403
    wrong: list[str] = []
    # when it calls every route of the app
    for path, route in app_of(client).state.routes.routes:
        checks = permission_checks(route)
        for method in sorted(route.methods):
            name = f"{method} {path} as {role}"
            if not checks:
                wrong.append(f"{name}: the route declares no permission")
                continue
            response = await client.request(
                method,
                with_ids(path),
                headers=headers,
                json={} if method in BODY_METHODS else None,
            )
            status = response.status_code
            allowed = admits(checks, principal)
            # then it is refused exactly when its role lacks the route's permission
            if not allowed and status != refusal:
                needed = [c.permission for c in checks]
                wrong.append(f"{name}: lacks {needed}, expected {refusal}, got {status}")
            elif allowed and status in {401, 403}:
                wrong.append(f"{name}: permitted, got {status} {response.text[:200]}")
            elif status >= 500:
                wrong.append(f"{name}: got {status} {response.text[:200]}")
    assert wrong == [], "\n".join(wrong)


# -- store isolation, property-based ------------------------------------------------------

STORES = ("default", "shop-b")
NAMES = ("ann", "bob", "cyd")
_example = itertools.count(1)


def other(store: str) -> str:
    return STORES[1 - STORES.index(store)]


@dataclass
class Member:
    id: str
    email: str
    password: str
    token: str | None = None
    failures: int = 0
    locked: bool = False


class Stores:
    """Two stores, each with a signed-in admin, and every user id ever made in each (across
    hypothesis examples, which share the database)."""

    def __init__(
        self, client: httpx.AsyncClient, admins: dict[str, Account], *, lock_after: int
    ) -> None:
        self.client, self.admins, self.lock_after = client, admins, lock_after
        self.ids = {store: {admin.id} for store, admin in admins.items()}

    def __repr__(self) -> str:  # hypothesis prints it with every failing example
        return f"Stores({', '.join(STORES)})"

    def admin(self, store: str) -> dict[str, str]:
        return self.admins[store].headers


@pytest.fixture
async def stores(identity_kernel: Kernel, client: httpx.AsyncClient) -> Stores:
    await add_store(identity_kernel, "shop-b")
    admins = {s: await sign_up(client, "admin", tenant=s) for s in STORES}
    return Stores(client, admins, lock_after=identity_kernel.settings.login_lock_after)


async def all_user_ids(world: Stores, store: str) -> list[str]:
    ids: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 200} | ({"cursor": cursor} if cursor else {})
        page = await world.client.get("/v1/admin/users", params=params, headers=world.admin(store))
        assert page.status_code == 200, page.text
        ids += [u["id"] for u in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return ids


async def violations(world: Stores, store: str, user_id: str, kind: str) -> int:
    """How many `security.violation`s of `kind` about the user the store's audit log holds."""
    answer = await world.client.get(
        "/v1/audit/events",
        params={"type": "security.violation", "aggregate_id": user_id},
        headers=world.admin(store),
    )
    assert answer.status_code == 200, answer.text
    return sum(e["payload"]["kind"] == kind for e in answer.json()["items"])


class Isolation:
    """One example's run: a model of the users it made, checked against the API."""

    def __init__(self, world: Stores) -> None:
        self.world, self.client = world, world.client
        self.tag = next(_example)  # each example makes its own addresses
        self.members: dict[str, dict[str, Member]] = {s: {} for s in STORES}

    def email(self, name: str) -> str:
        return f"{name}{self.tag}@shop.example.com"

    async def register(self, store: str, name: str) -> None:
        password = f"{store}-Quokka-{self.tag}-{name}"  # differs between the stores
        body = {"email": self.email(name), "password": password, "full_name": name}
        answer = await self.client.post("/v1/auth/register", json=body, headers=in_store(store))
        if name in self.members[store]:  # BR011 is per store
            assert answer.status_code == 409, answer.text
            assert answer.json()["rule"] == "BR011"
            same = await self.client.get(
                "/v1/admin/users",
                params={"email": self.email(name)},
                headers=self.world.admin(store),
            )
            assert len(same.json()["items"]) == 1  # and nothing was written
            return
        # the same address registers in the other store as well
        assert answer.status_code == 201, answer.text
        member = Member(answer.json()["id"], self.email(name), password)
        self.members[store][name] = member
        self.world.ids[store].add(member.id)

    async def login(self, holder: str, name: str, store: str) -> None:
        """Sign in to `store` with the credentials of `holder`'s member `name`."""
        credentials = self.members[holder][name]
        answer = await login(self.client, credentials.email, credentials.password, tenant=store)
        target = self.members[store].get(name)
        if target is not None and target.locked:
            assert answer.status_code == 423, answer.text
        elif holder != store:  # another store's credentials never open this one
            assert answer.status_code == 401, answer.text
            assert answer.json()["code"] == "invalid_credentials"
            if target is not None:
                target.failures += 1
                target.locked = target.failures >= self.world.lock_after
        else:
            assert answer.status_code == 200, answer.text
            assert answer.json()["user"]["id"] == credentials.id
            credentials.token, credentials.failures = answer.json()["access_token"], 0

    async def me(self, holder: str, name: str, store: str) -> None:
        """`GET /v1/me` with the token of `holder`'s member, naming `store`."""
        member = self.members[holder][name]
        assert member.token is not None
        headers = in_store(store, {"authorization": f"Bearer {member.token}"})
        before = await violations(self.world, store, member.id, "token_tenant_mismatch")
        answer = await self.client.get("/v1/me", headers=headers)
        after = await violations(self.world, store, member.id, "token_tenant_mismatch")
        if holder == store:
            assert answer.status_code == 200, answer.text
            assert answer.json()["id"] == member.id
            assert after == before
        else:  # refused, and recorded in the store it was shown to
            assert answer.status_code == 401, answer.text
            assert answer.json()["code"] == "token_tenant_mismatch"
            assert after == before + 1

    async def list_users(self, store: str) -> None:
        listed = set(await all_user_ids(self.world, store))
        assert not listed & self.world.ids[other(store)], "another store's users are listed"
        assert {m.id for m in self.members[store].values()} <= listed

    async def get_user(self, store: str, holder: str, name: str) -> None:
        """The admin of `store` asks for `holder`'s member by id."""
        member = self.members[holder][name]
        before = await violations(self.world, store, member.id, "cross_tenant_access")
        answer = await self.client.get(
            f"/v1/admin/users/{member.id}", headers=self.world.admin(store)
        )
        if holder == store:
            assert answer.status_code == 200, answer.text
            assert answer.json()["email"] == member.email
            assert await violations(self.world, store, member.id, "cross_tenant_access") == before
            return
        # another store's user is missing, like one that never existed, and the try recorded
        assert answer.status_code == 404, answer.text
        assert answer.json()["code"] == "not_found"
        assert member.email not in answer.text
        assert await violations(self.world, store, member.id, "cross_tenant_access") == before + 1
        assert await violations(self.world, holder, member.id, "cross_tenant_access") == 0

    async def api_key(self, store: str, used_in: str) -> None:
        created = await self.client.post(
            "/v1/admin/api-keys", json={"name": "feed"}, headers=self.world.admin(store)
        )
        assert created.status_code == 201, created.text
        headers = in_store(used_in, {"authorization": f"Bearer {created.json()['key']}"})
        answer = await self.client.get("/v1/admin/users", headers=headers)
        if used_in == store:
            assert answer.status_code == 200, answer.text
            assert not {u["id"] for u in answer.json()["items"]} & self.world.ids[other(store)]
        else:  # a key is valid in its own store only
            assert answer.status_code == 401, answer.text

    async def step(self, data: st.DataObject) -> None:
        """Draw one operation among those the model's state allows, and run it."""
        names = {s: sorted(self.members[s]) for s in STORES}
        signed_in = [(s, n) for s in STORES for n in names[s] if self.members[s][n].token]
        known = [(s, n) for s in STORES for n in names[s]]
        kinds = ["register", "list", "api_key"] + ["login", "get"] * bool(known)
        kinds += ["me"] * bool(signed_in)
        kind = data.draw(st.sampled_from(kinds), label="operation")
        store = data.draw(st.sampled_from(STORES), label="store")
        if kind == "register":
            await self.register(store, data.draw(st.sampled_from(NAMES), label="name"))
        elif kind == "list":
            await self.list_users(store)
        elif kind == "api_key":
            await self.api_key(store, data.draw(st.sampled_from(STORES), label="used in"))
        elif kind == "login":
            await self.login(*data.draw(st.sampled_from(known), label="member"), store)
        elif kind == "get":
            await self.get_user(store, *data.draw(st.sampled_from(known), label="member"))
        else:
            await self.me(*data.draw(st.sampled_from(signed_in), label="member"), store)


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
async def test_stores_never_see_each_others_accounts(stores: Stores, data: st.DataObject) -> None:
    # given two stores whose accounts, tokens and keys pile up across examples
    run = Isolation(stores)
    # when random operations run in either store, then each checks the invariants
    for _ in range(data.draw(st.integers(min_value=1, max_value=16), label="steps")):
        await run.step(data)


async def test_every_isolation_invariant_on_one_path(stores: Stores) -> None:
    """The property's operations in an order that meets every invariant at least once."""
    run = Isolation(stores)
    # the same address registers in both stores, once per store
    await run.register("default", "ann")
    await run.register("shop-b", "ann")
    await run.register("shop-b", "ann")
    await run.login("default", "ann", "default")
    await run.login("shop-b", "ann", "shop-b")
    # one store's credentials, tokens and keys open nothing in the other
    await run.login("default", "ann", "shop-b")
    await run.me("default", "ann", "shop-b")
    await run.me("shop-b", "ann", "shop-b")
    await run.api_key("default", "shop-b")
    await run.api_key("shop-b", "shop-b")
    # an admin sees the store's own accounts only; asking for another's is a recorded 404
    await run.get_user("default", "shop-b", "ann")
    await run.get_user("shop-b", "default", "ann")
    await run.get_user("shop-b", "shop-b", "ann")
    await run.list_users("default")
    await run.list_users("shop-b")
    assert all(run.members[s]["ann"].token for s in STORES)


# -- rate limits --------------------------------------------------------------------------


async def within_one_window(seconds: int, margin: float = 5.0) -> None:
    """Limits count in fixed windows of wall-clock time: if this one ends within `margin`,
    wait for the next, so a test's requests all fall in one window."""
    left = seconds - time.time() % seconds
    if left < margin:
        await asyncio.sleep(left + 0.05)


async def refresh_tokens(kernel: Kernel) -> int:
    with bind(tenant_id="default"):
        async with kernel.uow(writes=False) as uow:
            return int(await uow.session.scalar(select(func.count()).select_from(RefreshToken)))


async def staff_customer(client: httpx.AsyncClient) -> tuple[str, str]:
    """A customer made by the admin, so that no auth-class request is spent on it."""
    email, password = new_email(), new_password()
    body = {"email": email, "password": password, "full_name": "Rae", "roles": ["customer"]}
    created = await client.post("/v1/admin/users", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    return email, password


@pytest.mark.parametrize("stack", DB_STACKS)
async def test_the_fourth_login_in_a_minute_is_429_and_other_routes_still_answer(
    stack: str, make_settings: Callable[..., Settings]
) -> None:
    kernel = await build_identity_kernel(make_settings(stack, rate_limit_auth="3/minute"))
    try:
        async with client_for(kernel, start=False) as client:
            # given a customer, and three logins from one client in this minute
            email, password = await staff_customer(client)
            await within_one_window(60)
            signed_in = [await login(client, email, password) for _ in range(3)]
            assert [r.status_code for r in signed_in] == [200, 200, 200]
            issued = await refresh_tokens(kernel)
            # when the client tries a fourth
            refused = await login(client, email, password)
            # then it is told to wait, and no token is issued
            assert refused.status_code == 429, refused.text
            assert refused.json()["code"] == "rate_limited"
            assert 1 <= int(refused.headers["retry-after"]) <= 60
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert await refresh_tokens(kernel) == issued
            # every auth-class route of this client waits too
            again = await client.post("/v1/sessions")
            assert again.status_code == 429
            # while other route classes, and other clients, are not affected
            token = signed_in[0].json()["access_token"]
            me = await client.get("/v1/me", headers={"authorization": f"Bearer {token}"})
            assert me.status_code == 200, me.text
            elsewhere = httpx.ASGITransport(app=app_of(client), client=("203.0.113.7", 4711))
            async with httpx.AsyncClient(transport=elsewhere, base_url=client.base_url) as c2:
                assert (await login(c2, email, password)).status_code == 200
    finally:
        await kernel.stop()


@pytest.mark.redis
@needs_redis
async def test_processes_sharing_redis_share_the_count(
    make_settings: Callable[..., Settings],
) -> None:
    # given two servers on the same settings, with Redis
    settings = make_settings("postgres+redis", rate_limit_auth="3/minute")
    first, second = [await build_identity_kernel(settings) for _ in range(2)]
    try:
        async with client_for(first, start=False) as one, client_for(second, start=False) as two:
            email, password = await staff_customer(one)
            await within_one_window(60)
            # when one client logs in twice on each
            answers = [await login(c, email, password) for c in (one, one, two, two)]
        # then the fourth is refused although each server saw only two
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert answers[3].json()["code"] == "rate_limited"
        assert "retry-after" in answers[3].headers
    finally:
        await first.stop()
        await second.stop()


# -- secrets never reach the logs ---------------------------------------------------------


def mail_token(settings: Settings, to: str, subject: str) -> str:
    """The token of the last link mailed to `to` with `subject` (the local mail drop)."""
    found = []
    for path in sorted((settings.data_dir / "mail").glob("*.eml"), key=lambda p: p.stat().st_mtime):
        message = message_from_bytes(path.read_bytes(), policy=default_policy)
        assert isinstance(message, EmailMessage)
        if message["To"] == to and message["Subject"] == subject:
            body = message.get_content()
            found.append(body.split("token=", 1)[1].split(maxsplit=1)[0])
    assert found, f"no mail {subject!r} to {to}"
    return found[-1]


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put back structlog's configuration and SQLAlchemy's echo handlers after a test that
    writes to captured streams."""
    config = structlog.get_config()
    engine_log = logging.getLogger("sqlalchemy.engine.Engine")
    handlers = list(engine_log.handlers)
    yield
    for handler in engine_log.handlers[:]:
        if handler not in handlers:
            engine_log.removeHandler(handler)
    structlog.configure(**config)


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize("stack", DB_STACKS)
async def test_passwords_and_tokens_never_reach_the_logs(
    stack: str,
    make_settings: Callable[..., Settings],
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given logs at their most talkative: structured DEBUG lines, SQL statements and their
    # parameters, every library's records
    settings = make_settings(stack, log_level="DEBUG", database_echo=True)
    configure_logging(settings)
    caplog.set_level(logging.DEBUG)
    kernel = await build_identity_kernel(settings)
    await add_store(kernel, "shop-b")
    secrets: dict[str, str] = {"bootstrap admin key": ADMIN_KEY}
    try:
        async with client_for(kernel, start=False) as client:
            # when a guest registers, signs in, refreshes, fails a login, resets the password,
            # and an integration uses an API key
            guest = await guest_headers(client)
            secrets["session token"] = guest["x-session-token"]
            email, password = new_email("logged"), new_password()
            secrets["password"] = password
            body = {"email": email, "password": password, "full_name": "Lou"}
            registered = await client.post("/v1/auth/register", json=body, headers=guest)
            assert registered.status_code == 201, registered.text
            secrets["verification token"] = mail_token(
                settings, email, "Confirm your email address"
            )

            pair = (await login(client, email, password)).json()
            secrets |= {
                "access token": pair["access_token"],
                "refresh token": pair["refresh_token"],
            }
            bearer = {"authorization": f"Bearer {pair['access_token']}"}
            assert (await client.get("/v1/me", headers=bearer)).status_code == 200
            # a token shown to another store is logged as a security violation
            mismatch = await client.get("/v1/me", headers=in_store("shop-b", bearer))
            assert mismatch.json()["code"] == "token_tenant_mismatch"

            refreshed = await client.post(
                "/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
            )
            assert refreshed.status_code == 200, refreshed.text
            secrets["rotated access token"] = refreshed.json()["access_token"]
            secrets["rotated refresh token"] = refreshed.json()["refresh_token"]

            secrets["wrong password"] = "Not-The-Right-Password-42"
            failed = await login(client, email, secrets["wrong password"])
            assert failed.status_code == 401

            reset = await client.post("/v1/auth/password-reset", json={"email": email})
            assert reset.status_code == 202
            secrets["reset token"] = mail_token(settings, email, "Reset your password")
            secrets["new password"] = new_password()
            confirmed = await client.post(
                "/v1/auth/password-reset/confirm",
                json={"token": secrets["reset token"], "new_password": secrets["new password"]},
            )
            assert confirmed.status_code == 204, confirmed.text
            again = await login(client, email, secrets["new password"])
            assert again.status_code == 200
            secrets["new access token"] = again.json()["access_token"]

            secrets["API key"], key_headers = await create_api_key(client)
            assert (await client.get("/v1/admin/users", headers=key_headers)).status_code == 200
    finally:
        await kernel.stop()
    captured = capsys.readouterr()
    output = "\n".join([captured.out, captured.err, caplog.text])
    # then the logs did record the work, and no secret appears in them
    assert "security_violation" in output and "INSERT INTO users" in output
    leaked = [name for name, secret in secrets.items() if secret in output]
    assert leaked == [], f"found in the logs: {leaked}"


# -- security headers and CORS ------------------------------------------------------------

SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin"}


async def test_every_answer_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    # when the app answers, served by a route or refused by the edge before any route
    answers = {
        "ok": await client.get("/health/live"),
        "refused": await client.get("/v1/me"),
        "no route": await client.get("/v1/nowhere"),
        "bad tenant": await client.get("/v1/me", headers={"x-tenant": "Not A Store!"}),
        "unknown tenant": await client.get("/v1/me", headers={"x-tenant": "nowhere"}),
    }
    assert [a.status_code for a in answers.values()] == [200, 401, 404, 400, 404]
    # then every answer forbids sniffing, framing and leaking the referrer
    for name, answer in answers.items():
        assert answer.headers.get("x-content-type-options") == "nosniff", name
        assert answer.headers.get("x-frame-options") == "DENY", name
        assert answer.headers.get("referrer-policy") in SAFE_REFERRER_POLICIES, name


async def preflight(client: httpx.AsyncClient, origin: str) -> httpx.Response:
    return await client.options(
        "/v1/auth/login",
        headers={
            "origin": origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type, x-tenant",
        },
    )


@pytest.mark.parametrize("stack", DB_STACKS)
async def test_cors_admits_the_configured_origin_only(
    stack: str, make_settings: Callable[..., Settings]
) -> None:
    # given one allowed origin
    kernel = await build_identity_kernel(
        make_settings(stack, cors_origins=["https://shop.example"])
    )
    try:
        # when browsers on it and on another origin ask
        async with client_for(kernel, start=False) as client:
            allowed = await preflight(client, "https://shop.example")
            refused = await preflight(client, "https://evil.example")
            simple = await client.get("/health/live", headers={"origin": "https://shop.example"})
            foreign = await client.get("/health/live", headers={"origin": "https://evil.example"})
    finally:
        await kernel.stop()
    # then only the allowed origin is let in, by preflight or on a simple request
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://shop.example"
    assert "POST" in allowed.headers["access-control-allow-methods"]
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "cors_refused"
    assert "access-control-allow-origin" not in refused.headers
    assert simple.headers["access-control-allow-origin"] == "https://shop.example"
    assert "access-control-allow-origin" not in foreign.headers
    # preflights carry the security headers too
    assert allowed.headers["x-content-type-options"] == "nosniff"


async def test_without_configured_origins_no_origin_is_admitted(
    client: httpx.AsyncClient,
) -> None:
    answer = await preflight(client, "https://shop.example")
    assert "access-control-allow-origin" not in answer.headers


# -- stale sessions and refused credentials -------------------------------------------------


async def test_a_stale_guest_session_does_not_stop_a_shopper_signing_in(
    client: httpx.AsyncClient,
) -> None:
    # given a shopper whose browser still sends a guest session that has expired
    account = await sign_up(client)
    stale = {"x-session-token": "ms_" + "0" * 43}
    # when they sign in, or ask for a new session
    body = {"email": account.email, "password": account.password}
    signed_in = await client.post("/v1/auth/login", json=body, headers=stale)
    renewed = await client.post("/v1/sessions", headers=stale)
    # then both work, as they would with no session at all
    assert (signed_in.status_code, renewed.status_code) == (200, 201)


@pytest.mark.parametrize("stack", DB_STACKS)
async def test_refused_credentials_count_against_the_rate_limit(
    stack: str, make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings(stack, rate_limit_api="3/minute", rate_limit_auth="3/minute")
    kernel = await build_identity_kernel(settings)
    try:
        async with client_for(kernel, start=False) as client:
            # given a client guessing API keys
            await within_one_window(60)
            guesses = [
                await client.get("/v1/me", headers={"authorization": f"Bearer mk_{n:043d}"})
                for n in range(4)
            ]
    finally:
        await kernel.stop()
    # then it is slowed down like any other client
    assert [g.status_code for g in guesses] == [401, 401, 401, 429]
