"""Principals, permissions and the tenant of a request (rules 5 and 6).

Every route declares the permission it needs with `require("audit:read")`, or says it is
open with `public()`. Authenticators turn a request into a principal; the identity agent
adds token and API-key authenticators, and the kernel ships one for the bootstrap admin key
(generated into the data directory on first run in embedded mode) so an operator can reach
the admin routes before any account exists.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, Protocol

from fastapi import Depends, Request

from mercato.kernel import context
from mercato.kernel.errors import Forbidden, TenantContextMissing, Unauthorized

PrincipalKind = Literal["anonymous", "guest", "user", "api_key", "system"]

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"*"}),
    "system": frozenset({"*"}),
}
"""Permissions granted to each role. Agents extend it with `grant()`."""


def grant(role: str, *permissions: str) -> None:
    ROLE_PERMISSIONS[role] = ROLE_PERMISSIONS.get(role, frozenset()) | frozenset(permissions)


@dataclass(frozen=True)
class Principal:
    id: str
    tenant_id: str
    kind: PrincipalKind
    roles: frozenset[str] = field(default_factory=frozenset)

    def can(self, permission: str) -> bool:
        for role in self.roles:
            granted = ROLE_PERMISSIONS.get(role, frozenset())
            if "*" in granted or permission in granted:
                return True
        return False


class Authenticator(Protocol):
    async def authenticate(self, request: Request, tenant_id: str) -> Principal | None:
        """The principal behind the request's credentials, None if it carries none of this
        kind; raise `Unauthorized` for credentials that are present but invalid."""
        ...


def tenant_of(request: Request) -> str:
    """The store a request names (`X-Tenant`, else the default), bound by the edge middleware."""
    tenant = context.current_tenant()
    if tenant is None:
        raise TenantContextMissing("the request was not bound to a tenant")
    return tenant


async def current_principal(request: Request) -> Principal:
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    tenant = tenant_of(request)
    principal = None
    for authenticator in request.app.state.kernel.authenticators:
        principal = await authenticator.authenticate(request, tenant)
        if principal is not None:
            break
    principal = principal or Principal(id="anonymous", tenant_id=tenant, kind="anonymous")
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


class PermissionCheck:
    """A dependency that enforces one permission; routes are inspected for it by tests."""

    def __init__(self, permission: str | None) -> None:
        self.permission = permission

    async def __call__(self, principal: CurrentPrincipal) -> Principal:
        if self.permission is None or principal.can(self.permission):
            return principal
        if principal.kind == "anonymous":
            raise Unauthorized("this route needs credentials")
        raise Forbidden(f"missing permission {self.permission!r}")


def require(permission: str) -> Callable[..., Awaitable[Principal]]:
    return PermissionCheck(permission)


def public() -> Callable[..., Awaitable[Principal]]:
    return PermissionCheck(None)


class BootstrapKeyAuthenticator:
    """Accepts `Authorization: Bearer <bootstrap admin key>` as an admin of any tenant."""

    def __init__(self, key: str) -> None:
        self._key = key.encode()

    async def authenticate(self, request: Request, tenant_id: str) -> Principal | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        if hmac.compare_digest(token.encode(), self._key):
            return Principal(
                id="bootstrap-admin",
                tenant_id=tenant_id,
                kind="api_key",
                roles=frozenset({"admin"}),
            )
        return None


def bootstrap_admin_key(configured: str | None, data_dir: Path, *, generate: bool) -> str | None:
    """The configured key, else (embedded mode) the one kept in the data directory."""
    if configured:
        return configured
    path = data_dir / "admin-api-key"
    if path.exists():
        return path.read_text().strip()
    if not generate:
        return None
    data_dir.mkdir(parents=True, exist_ok=True)
    key = "mk_admin_" + secrets.token_urlsafe(32)
    path.touch(mode=0o600)
    path.write_text(key + "\n")
    return key
