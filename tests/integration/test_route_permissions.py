"""Every route of the whole store (every installed agent) declares its permission, and each
role gets exactly what it holds."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from mercato.kernel.auth import PermissionCheck, Principal, PrincipalKind
from mercato.kernel.config import Settings
from tests.integration.identity.conftest import (
    ROLES,
    app_of,
    role_headers,
)
from tests.support.store import store_for


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client on the app of every installed agent (background work not started)."""
    async with store_for(settings, start=False) as (_, client):
        yield client


# -- the route-by-role matrix ------------------------------------------------------------

BODY_METHODS = {"POST", "PATCH", "PUT"}
KINDS: dict[str, PrincipalKind] = {"anonymous": "anonymous", "guest": "guest", "system": "api_key"}


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
    # the walk sees the kernel's and every agent's routes, those of included routers too
    paths = {path for path, _ in table}
    assert {
        "/health/live",
        "/v1/audit/events",
        "/v1/auth/login",
        "/v1/admin/users",
        "/v1/products",
        "/v1/inventory/levels",
        "/v1/carts/{cart_id}",
        "/v1/discount-codes",
        "/v1/inventory/reservations",
        "/v1/checkout",
        "/v1/orders/{order_id}",
        "/v1/payments",
        "/v1/payments/webhooks/stripe",
    } <= paths
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
    refusal = 401 if role == "anonymous" else 403  # a guest sent credentials: 403
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
