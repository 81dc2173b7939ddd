"""Authenticators the identity agent gives the kernel: access tokens, API keys, guest
sessions. Each returns None when the request carries no credential of its kind."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from fastapi import Request
from sqlalchemy import select, update

from mercato.agents.identity.deps import IdentityDeps, digest
from mercato.agents.identity.models import ApiKey
from mercato.kernel.auth import Principal
from mercato.kernel.errors import Unauthorized
from mercato.kernel.security import record_violation

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel


LAST_USED_RESOLUTION = timedelta(minutes=1)


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class TokenTenantMismatch(Unauthorized):
    code, title = "token_tenant_mismatch", "The token belongs to another store"


class TokenRevoked(Unauthorized):
    code, title = "token_revoked", "The access token no longer holds"


class AccessTokenAuthenticator:
    """A signed, unexpired token names the account; what the account may do is what it holds
    now (its current roles and status), and only while the token's version is current."""

    def __init__(self, kernel: Kernel, deps: IdentityDeps) -> None:
        self._kernel = kernel
        self._deps = deps

    async def authenticate(self, request: Request, tenant_id: str) -> Principal | None:
        token = _bearer(request)
        if token is None or not token.startswith("eyJ"):
            return None
        claims = self._deps.tokens.verify(token)
        if claims.tenant_id != tenant_id:
            await record_violation(
                self._kernel.uow,
                tenant_id=tenant_id,
                kind="token_tenant_mismatch",
                principal_id=claims.subject,
                detail=f"token of store {claims.tenant_id!r}",
            )
            raise TokenTenantMismatch()
        account = await self._deps.accounts.get(claims.tenant_id, claims.subject)
        if account is None or not account.active or account.version != claims.version:
            raise TokenRevoked("sign in again (or use the refresh token)")
        return Principal(
            id=claims.subject,
            tenant_id=claims.tenant_id,
            kind="user",
            roles=account.roles,
            merchant_id=account.merchant_id,
            session_id=claims.session_id,
        )


class ApiKeyAuthenticator:
    def __init__(self, kernel: Kernel, deps: IdentityDeps) -> None:
        self._kernel = kernel
        self._deps = deps

    async def authenticate(self, request: Request, tenant_id: str) -> Principal | None:
        token = _bearer(request)
        if token is None or not token.startswith("mk_") or token.startswith("mk_admin_"):
            return None
        async with self._kernel.uow(writes=False) as uow:
            key = await uow.session.scalar(select(ApiKey).where(ApiKey.key_hash == digest(token)))
        if key is None or key.revoked_at is not None:
            raise Unauthorized("the API key is not valid")
        now = self._deps.clock.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
            async with self._kernel.uow() as uow:  # at most one write a minute per key
                await uow.session.execute(
                    update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now)
                )
                await uow.commit()
        return Principal(
            id=f"api_key:{key.id}", tenant_id=tenant_id, kind="api_key", roles=frozenset(key.roles)
        )


class GuestSessionAuthenticator:
    """`X-Session-Token` without a bearer credential: a guest of this store."""

    def __init__(self, kernel: Kernel, deps: IdentityDeps) -> None:
        self._kernel = kernel
        self._deps = deps

    async def authenticate(self, request: Request, tenant_id: str) -> Principal | None:
        token = request.headers.get("x-session-token")
        if not token or _bearer(request):
            return None
        session_id = await self._deps.sessions.session_id(tenant_id, digest(token))
        if session_id is None:
            return None  # a stale session must not stop a shopper signing in: anonymous
        return Principal(
            id=session_id,
            tenant_id=tenant_id,
            kind="guest",
            roles=frozenset({"guest"}),
            session_id=session_id,
        )
