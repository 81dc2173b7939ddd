"""Administration of accounts and API keys (admin routes and `mercato users create-admin`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from mercato.agents.identity import events
from mercato.agents.identity.accounts import end_access_tokens
from mercato.agents.identity.deps import IdentityDeps, new_secret
from mercato.agents.identity.models import ApiKey, RefreshToken, User
from mercato.agents.identity.service import create_user
from mercato.agents.identity.statuses import UserStatus
from mercato.kernel import paging
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Problem
from mercato.kernel.ids import new_id
from mercato.kernel.security import get_or_404


class RoleEscalation(Problem):
    status, code, title = 403, "role_escalation", "Cannot grant more than you hold"


class MerchantRequired(Problem):
    status, code, title = 422, "merchant_required", "A merchant account names its merchant"


async def list_users(
    uow: UnitOfWork, *, after: str | None, limit: int, email: str | None = None
) -> list[User]:
    query = select(User).order_by(User.id).limit(limit)
    if after:
        query = query.where(User.id > after)
    if email:
        query = query.where(User.email == email)
    return list(await uow.session.scalars(query))


async def create_staff(
    uow: UnitOfWork,
    deps: IdentityDeps,
    *,
    email: str,
    password: str,
    full_name: str,
    roles: list[str],
    merchant_id: str | None,
    creator: Principal,
) -> User:
    if not creator.can_grant(roles):
        raise RoleEscalation(f"you cannot create an account with roles {roles}")
    if "merchant" in roles and not merchant_id:
        raise MerchantRequired("give merchant_id for an account with the merchant role")
    return await create_user(
        uow,
        deps,
        email=email,
        password=password,
        full_name=full_name,
        roles=roles,
        merchant_id=merchant_id,
    )


async def update_user(
    uow: UnitOfWork,
    deps: IdentityDeps,
    user: User,
    *,
    roles: list[str] | None,
    status: UserStatus | None,
    merchant_id: str | None,
    editor: Principal,
) -> User:
    if roles is not None and not editor.can_grant(roles):
        raise RoleEscalation(f"you cannot give roles {roles}")
    changed: list[str] = []
    if roles is not None and roles != user.roles:
        user.roles, changed = roles, [*changed, "roles"]
    if merchant_id is not None and merchant_id != user.merchant_id:
        user.merchant_id, changed = merchant_id, [*changed, "merchant_id"]
    if "merchant" in user.roles and not user.merchant_id:
        raise MerchantRequired("give merchant_id for an account with the merchant role")
    if status is not None and status != user.status:
        user.status, changed = status, [*changed, "status"]
        if status == UserStatus.DISABLED:  # signed out everywhere
            await uow.session.execute(
                update(RefreshToken)
                .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
                .values(revoked_at=deps.clock.now())
            )
    if changed:
        user.updated_at = deps.clock.now()
        # Requests authorize on the account as it is now (ADR 15): its access tokens end, and
        # the keys it made hold no more than it does.
        await end_access_tokens(uow, deps.accounts, user)
        await restrict_keys_made_by(uow, deps, user)
        uow.publish(events.UserUpdated(user_id=user.id, fields=changed), aggregate_id=user.id)
    return user


async def restrict_keys_made_by(uow: UnitOfWork, deps: IdentityDeps, user: User) -> None:
    """A key cannot outlive or outrank its maker: a disabled maker's keys are revoked, and
    each other key keeps only the roles its maker may still grant (none left: revoked)."""
    maker = Principal(
        id=user.id,
        tenant_id=user.tenant_id,
        kind="user",
        roles=frozenset(user.roles) if user.status == UserStatus.ACTIVE else frozenset(),
    )
    keys = await uow.session.scalars(
        select(ApiKey).where(ApiKey.created_by == user.id, ApiKey.revoked_at.is_(None))
    )
    for key in keys:
        kept = [role for role in key.roles if maker.can_grant([role])]
        if not kept:
            key.revoked_at = deps.clock.now()
        elif kept != key.roles:
            key.roles = kept


async def get_user(uow: UnitOfWork, user_id: str, *, principal: Principal) -> User:
    return await get_or_404(uow, User, user_id, principal=principal, what="user")


async def create_api_key(
    uow: UnitOfWork, deps: IdentityDeps, *, name: str, roles: list[str], creator: Principal
) -> tuple[ApiKey, str]:
    """The key is shown once, here; only its hash is kept."""
    if not creator.can_grant(roles):
        raise RoleEscalation(f"you cannot create a key with roles {roles}")
    raw, hashed = new_secret("mk")
    key = ApiKey(
        id=new_id(),
        name=name,
        prefix=raw[:10],
        key_hash=hashed,
        roles=roles,
        created_by=creator.id,
        created_at=deps.clock.now(),
    )
    uow.session.add(key)
    return key, raw


async def list_api_keys(
    uow: UnitOfWork, *, after: tuple[datetime, str] | None = None, limit: int = 100
) -> list[ApiKey]:
    """The store's API keys, oldest first: those after the (created_at, id) key `after`."""
    order = (ApiKey.created_at, ApiKey.id)
    query = select(ApiKey).where(paging.beyond(order, after, descending=False))
    return list(await uow.session.scalars(query.order_by(*order).limit(limit)))


async def revoke_api_key(uow: UnitOfWork, deps: IdentityDeps, key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = deps.clock.now()
    return key
