"""Queries the identity routes answer from: the caller's own account, an API key by id."""

from __future__ import annotations

from mercato.agents.identity.models import ApiKey, User
from mercato.agents.identity.statuses import UserStatus
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import NotFound, Unauthorized
from mercato.kernel.security import get_or_404


async def current_account(uow: UnitOfWork, principal: Principal) -> User:
    """The principal's account: 404 for a principal without one (a guest, an API key), 401
    for a disabled one."""
    user = await uow.session.get(User, principal.id) if principal.kind == "user" else None
    if user is None:
        raise NotFound("this principal has no account")
    if user.status != UserStatus.ACTIVE:  # a disabled account's unexpired token is refused here
        raise Unauthorized("this account is disabled")
    return user


async def api_key_for(uow: UnitOfWork, key_id: str, *, principal: Principal) -> ApiKey:
    """The store's API key; 404 when there is none (another store's is recorded too)."""
    return await get_or_404(uow, ApiKey, key_id, principal=principal, what="API key")
