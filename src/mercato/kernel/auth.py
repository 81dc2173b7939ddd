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
from typing import Annotated, Any, Literal, Protocol

from fastapi import Depends, Request

from mercato.kernel import context
from mercato.kernel.errors import Forbidden, TenantContextMissing, Unauthorized
from mercato.kernel.ratelimit import RateLimited

PrincipalKind = Literal["anonymous", "guest", "user", "api_key", "system"]
RouteClass = Literal["api", "auth", "generate", "unlimited"]

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"*"}),
    "system": frozenset(),
}
"""Permissions granted to each role. Agents extend it with `grant()`. Only `admin` holds
everything; `system` (integrations' API keys) gets what each agent grants it, never the
administration of accounts and keys."""


def grant(role: str, *permissions: str) -> None:
    ROLE_PERMISSIONS[role] = ROLE_PERMISSIONS.get(role, frozenset()) | frozenset(permissions)


@dataclass(frozen=True)
class Principal:
    id: str
    tenant_id: str
    kind: PrincipalKind
    roles: frozenset[str] = field(default_factory=frozenset)
    merchant_id: str | None = None
    session_id: str | None = None

    def can_grant(self, roles: list[str]) -> bool:
        """Whether this principal holds every permission of `roles` (no escalation)."""
        if self.can("*"):
            return True
        wanted = {p for r in roles for p in ROLE_PERMISSIONS.get(r, frozenset())}
        return "*" not in wanted and all(self.can(p) for p in wanted)

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


class TenantDirectory(Protocol):
    """Which stores exist and which host names they answer on (kept by the identity agent)."""

    def resolve(self, *, header: str | None, host: str | None) -> str | None:
        """The store a request names, or None if it names no store that exists."""
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
    kernel = request.app.state.kernel
    principal = None
    try:
        for authenticator in kernel.authenticators:
            principal = await authenticator.authenticate(request, tenant)
            if principal is not None:
                break
        if principal is None and request.headers.get("authorization"):
            raise Unauthorized("the credentials are not valid")  # never downgrade to anonymous
    except Unauthorized:
        # Refused credentials count against the strict limit of the caller's address, so
        # guessing keys or replaying foreign tokens is throttled like guessing passwords.
        anonymous = Principal(id="anonymous", tenant_id=tenant, kind="anonymous")
        await _rate_limit(kernel, "auth", anonymous, request)
        raise
    principal = principal or Principal(id="anonymous", tenant_id=tenant, kind="anonymous")
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


class PermissionCheck:
    """A dependency that enforces one permission and the rate limit of its route class.
    Routes are inspected for it: every route must declare one (`require()` or `public()`)."""

    def __init__(self, permission: str | None, rate: RouteClass = "api") -> None:
        self.permission = permission
        self.rate = rate

    async def __call__(self, request: Request, principal: CurrentPrincipal) -> Principal:
        if self.rate != "unlimited":
            await _rate_limit(request.app.state.kernel, self.rate, principal, request)
        if self.permission is None or principal.can(self.permission):
            return principal
        if principal.kind == "anonymous":  # sent no credentials: signing in may help
            raise Unauthorized("this route needs credentials")
        raise Forbidden(f"missing permission {self.permission!r}")


async def _rate_limit(kernel: Any, rate: str, principal: Principal, request: Request) -> None:
    """Count the request against its principal (its client address when anonymous)."""
    who = (
        principal.id
        if principal.kind in {"user", "api_key", "system"}
        else (request.client.host if request.client else "unknown")
    )
    key = f"{rate}:{principal.tenant_id}:{who}"
    retry_after = await kernel.rate_limiter.hit(key, kernel.rate_limits[rate])
    if retry_after:
        raise RateLimited(retry_after)


def require(permission: str, *, rate: RouteClass = "api") -> Callable[..., Awaitable[Principal]]:
    return PermissionCheck(permission, rate)


def public(*, rate: RouteClass = "api") -> Callable[..., Awaitable[Principal]]:
    return PermissionCheck(None, rate)


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
