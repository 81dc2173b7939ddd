"""Identity's HTTP routes: parse → service → schema. The edge commits, then answers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import structlog
from fastapi import APIRouter, Depends, Header, Query, Response

from mercato.agents.identity import admin, lookups, one_time, service
from mercato.agents.identity.deps import IdentityDeps
from mercato.agents.identity.passwords import WeakPassword
from mercato.agents.identity.schemas import (
    ApiKeyCreatedOut,
    ApiKeyIn,
    ApiKeyOut,
    ApiKeyPage,
    EmailVerificationIn,
    LoginIn,
    MeUpdateIn,
    PasswordResetConfirmIn,
    PasswordResetIn,
    RefreshIn,
    RegisterIn,
    SessionOut,
    StaffIn,
    TokenPairOut,
    UserOut,
    UserPage,
    UserPatchIn,
)
from mercato.kernel import paging
from mercato.kernel.auth import Principal, public, require
from mercato.kernel.errors import NotFound
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

if TYPE_CHECKING:
    from mercato.agents.identity.models import User

log = structlog.get_logger("mercato.identity")
router = APIRouter(tags=["identity"])
well_known = APIRouter(tags=["identity"])

SessionToken = Annotated[str | None, Header(alias="X-Session-Token")]


async def deps_of(kernel: KernelDep) -> IdentityDeps:
    return kernel.deps(IdentityDeps)


Deps = Annotated[IdentityDeps, Depends(deps_of)]
AuthRoute = Annotated[Principal, Depends(public(rate="auth"))]


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        roles=user.roles,
        merchant_id=user.merchant_id,
        status=user.status,
        email_verified=user.email_verified_at is not None,
        created_at=user.created_at,
    )


def pair_out(pair: service.TokenPair) -> TokenPairOut:
    return TokenPairOut(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
        user=user_out(pair.user),
    )


NO_STORE = {"Cache-Control": "no-store"}


@router.post(
    "/auth/register",
    status_code=201,
    response_model=UserOut,
    responses=problems(WeakPassword, "BR011", "BR017"),
)
async def register(
    body: RegisterIn,
    kernel: KernelDep,
    deps: Deps,
    _: AuthRoute,
    session_token: SessionToken = None,
) -> UserOut:
    """Create a customer account (and promote the guest session named by X-Session-Token)."""
    async with kernel.uow() as uow:
        user = await service.register(
            uow,
            deps,
            email=str(body.email),
            password=body.password,
            full_name=body.full_name,
            session_token=session_token,
        )
        await uow.commit()
    return user_out(user)


@router.post(
    "/auth/login",
    response_model=TokenPairOut,
    responses=problems(service.InvalidCredentials, service.AccountLocked),
)
async def login(
    body: LoginIn,
    response: Response,
    kernel: KernelDep,
    deps: Deps,
    _: AuthRoute,
    session_token: SessionToken = None,
) -> TokenPairOut:
    """Exchange email and password for an access token (15 min) and a refresh token."""
    async with kernel.uow(writes=False) as uow:
        credentials = await service.check_credentials(
            uow, deps, email=str(body.email), password=body.password
        )
    async with kernel.uow() as uow:
        result = await service.login(uow, deps, credentials, session_token=session_token)
        await uow.commit()
    if isinstance(result, service.Refusal):
        await service.pause_after_refusal(result)
        raise result.problem
    response.headers.update(NO_STORE)
    return pair_out(result)


@router.post(
    "/auth/refresh",
    response_model=TokenPairOut,
    responses=problems(service.InvalidRefreshToken, service.RefreshTokenReused),
)
async def refresh(
    body: RefreshIn, response: Response, kernel: KernelDep, deps: Deps, _: AuthRoute
) -> TokenPairOut:
    """Spend a refresh token for a new pair. Presenting a spent one signs that login out."""
    async with kernel.uow() as uow:
        result = await service.refresh(uow, deps, refresh_token=body.refresh_token)
        await uow.commit()
    if isinstance(result, service.Refusal):
        raise result.problem
    response.headers.update(NO_STORE)
    return pair_out(result)


@router.post("/auth/logout", status_code=204)
async def logout(body: RefreshIn, kernel: KernelDep, deps: Deps, _: AuthRoute) -> None:
    """Revoke the refresh token and every token rotated from the same login."""
    async with kernel.uow() as uow:
        await service.logout(uow, deps, refresh_token=body.refresh_token)
        await uow.commit()


@router.post("/auth/password-reset", status_code=202)
async def password_reset(
    body: PasswordResetIn, kernel: KernelDep, deps: Deps, _: AuthRoute
) -> dict[str, str]:
    """Mail a single-use reset link. The answer is the same whether or not the account exists."""
    async with kernel.uow() as uow:
        await one_time.request_password_reset(uow, email=str(body.email))
        await uow.commit()
    return {"status": "if the account exists, a reset link is on its way"}


@router.post(
    "/auth/password-reset/confirm",
    status_code=204,
    responses=problems(one_time.InvalidOneTimeToken, WeakPassword),
)
async def password_reset_confirm(
    body: PasswordResetConfirmIn, kernel: KernelDep, deps: Deps, _: AuthRoute
) -> None:
    """Set a new password with the link's token; every existing login is signed out."""
    async with kernel.uow() as uow:
        await one_time.confirm_password_reset(
            uow, deps, token=body.token, new_password=body.new_password
        )
        await uow.commit()


@router.post(
    "/auth/verify-email", response_model=UserOut, responses=problems(one_time.InvalidOneTimeToken)
)
async def verify_email(
    body: EmailVerificationIn, kernel: KernelDep, deps: Deps, _: AuthRoute
) -> UserOut:
    """Confirm an email address with the token mailed at registration."""
    async with kernel.uow() as uow:
        user = await one_time.verify_email(uow, deps, token=body.token)
        await uow.commit()
    return user_out(user)


@router.post("/sessions", status_code=201, response_model=SessionOut)
async def create_session(
    response: Response, kernel: KernelDep, deps: Deps, _: AuthRoute
) -> SessionOut:
    """An anonymous session for carts and the assistant; send it back as X-Session-Token."""
    async with kernel.uow() as uow:
        session, token = await service.create_session(uow, deps)
        await uow.commit()
    response.headers.update(NO_STORE)
    return SessionOut(session_id=session.id, session_token=token, expires_at=session.expires_at)


@router.get("/me", response_model=UserOut, responses=problems(NotFound))
async def get_me(
    kernel: KernelDep, principal: Annotated[Principal, Depends(require("me:read"))]
) -> UserOut:
    """The signed-in account."""
    async with kernel.uow(writes=False) as uow:
        return user_out(await lookups.current_account(uow, principal))


@router.patch("/me", response_model=UserOut, responses=problems(NotFound))
async def patch_me(
    body: MeUpdateIn,
    kernel: KernelDep,
    deps: Deps,
    principal: Annotated[Principal, Depends(require("me:write"))],
) -> UserOut:
    """Change the signed-in account's name."""
    async with kernel.uow() as uow:
        user = await service.update_me(
            uow, deps, user=await lookups.current_account(uow, principal), full_name=body.full_name
        )
        await uow.commit()
    return user_out(user)


@router.get("/admin/users", response_model=UserPage)
async def list_users(
    kernel: KernelDep,
    _: Annotated[Principal, Depends(require("users:read"))],
    cursor: str | None = None,
    email: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> UserPage:
    """Accounts of this store, by id."""
    async with kernel.uow(writes=False) as uow:
        users = await admin.list_users(uow, after=cursor, limit=limit + 1, email=email)
    more = len(users) > limit
    users = users[:limit]
    return UserPage(
        items=[user_out(u) for u in users], next_cursor=users[-1].id if more and users else None
    )


@router.post(
    "/admin/users",
    status_code=201,
    response_model=UserOut,
    responses=problems(
        WeakPassword, admin.RoleEscalation, admin.MerchantRequired, "BR011", "BR017"
    ),
)
async def create_user(
    body: StaffIn,
    kernel: KernelDep,
    deps: Deps,
    principal: Annotated[Principal, Depends(require("users:manage"))],
) -> UserOut:
    """Create an account with roles (merchant staff, support, admins)."""
    async with kernel.uow() as uow:
        user = await admin.create_staff(
            uow,
            deps,
            email=str(body.email),
            password=body.password,
            full_name=body.full_name,
            roles=list(body.roles),
            merchant_id=body.merchant_id,
            creator=principal,
        )
        await uow.commit()
    return user_out(user)


@router.get("/admin/users/{user_id}", response_model=UserOut)
async def get_user(
    user_id: str, kernel: KernelDep, principal: Annotated[Principal, Depends(require("users:read"))]
) -> UserOut:
    async with kernel.uow(writes=False) as uow:
        return user_out(await admin.get_user(uow, user_id, principal=principal))


@router.patch(
    "/admin/users/{user_id}",
    response_model=UserOut,
    responses=problems(admin.RoleEscalation, admin.MerchantRequired),
)
async def patch_user(
    user_id: str,
    body: UserPatchIn,
    kernel: KernelDep,
    deps: Deps,
    principal: Annotated[Principal, Depends(require("users:manage"))],
) -> UserOut:
    """Change roles, merchant or status (disabling signs the account out everywhere)."""
    async with kernel.uow() as uow:
        user = await admin.get_user(uow, user_id, principal=principal)
        user = await admin.update_user(
            uow,
            deps,
            user,
            roles=list(body.roles) if body.roles else None,
            status=body.status,
            merchant_id=body.merchant_id,
            editor=principal,
        )
        await uow.commit()
    return user_out(user)


@router.get("/admin/api-keys", response_model=ApiKeyPage)
async def list_api_keys(
    kernel: KernelDep,
    _: Annotated[Principal, Depends(require("api_keys:manage"))],
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ApiKeyPage:
    """The store's API keys (revoked ones too), oldest first."""
    after = paging.decode(cursor, datetime, str)
    async with kernel.uow(writes=False) as uow:
        keys = await admin.list_api_keys(uow, after=after, limit=limit + 1)
    page, next_cursor = paging.cut(keys, limit, lambda k: (k.created_at, k.id))
    return ApiKeyPage(items=[ApiKeyOut.model_validate(k) for k in page], next_cursor=next_cursor)


@router.post(
    "/admin/api-keys",
    status_code=201,
    response_model=ApiKeyCreatedOut,
    responses=problems(admin.RoleEscalation),
)
async def create_api_key(
    body: ApiKeyIn,
    response: Response,
    kernel: KernelDep,
    deps: Deps,
    principal: Annotated[Principal, Depends(require("api_keys:manage"))],
) -> ApiKeyCreatedOut:
    """A key for an integration or an agent. It is shown once, in this answer."""
    async with kernel.uow() as uow:
        key, raw = await admin.create_api_key(
            uow, deps, name=body.name, roles=list(body.roles), creator=principal
        )
        await uow.commit()
    response.headers.update(NO_STORE)
    return ApiKeyCreatedOut(key=raw, **ApiKeyOut.model_validate(key).model_dump())


@router.delete("/admin/api-keys/{key_id}", response_model=ApiKeyOut)
async def revoke_api_key(
    key_id: str,
    kernel: KernelDep,
    deps: Deps,
    principal: Annotated[Principal, Depends(require("api_keys:manage"))],
) -> ApiKeyOut:
    async with kernel.uow() as uow:
        key = await lookups.api_key_for(uow, key_id, principal=principal)
        await admin.revoke_api_key(uow, deps, key)
        await uow.commit()
    return ApiKeyOut.model_validate(key)


@well_known.get("/.well-known/jwks.json", dependencies=[Depends(public())])
async def jwks(deps: Deps, response: Response) -> dict[str, Any]:
    """The public keys that verify Mercato's access tokens."""
    response.headers["Cache-Control"] = "public, max-age=300"
    return deps.tokens.keyring.jwks()
