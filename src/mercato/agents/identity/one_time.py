"""Single-use links sent by mail: password reset and email verification.

The token is random, stored as a hash, expires, and is spent with a conditional update, so
two requests cannot both use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from mercato.agents.identity import events
from mercato.agents.identity.accounts import end_access_tokens
from mercato.agents.identity.deps import IdentityDeps, digest, new_secret, normalize_email
from mercato.agents.identity.models import OneTimeToken, RefreshToken, User
from mercato.agents.identity.passwords import check_password
from mercato.agents.identity.statuses import UserStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Problem
from mercato.kernel.ids import new_id

PURPOSES = ("password_reset", "email_verification")
VERIFICATION_TTL = 7 * 86400


class InvalidOneTimeToken(Problem):
    status, code, title = 400, "invalid_token", "The link is invalid, used or expired"


async def request_password_reset(uow: UnitOfWork, *, email: str) -> None:
    """Ask for the reset mail of an active account: an event the notifications agent acts on
    after the commit, so no request waits on a mail server (whose speed would tell which
    emails have accounts). Nothing happens for an unknown email; the caller answers the same
    either way."""
    user = await uow.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None or user.status != UserStatus.ACTIVE:
        return
    uow.publish(
        events.PasswordResetRequested(user_id=user.id, email=user.email), aggregate_id=user.id
    )


async def confirm_password_reset(
    uow: UnitOfWork, deps: IdentityDeps, *, token: str, new_password: str
) -> User:
    password_hash = await deps.passwords.hash(new_password)  # before the first statement
    _, user = await _spend_one_time(uow, deps, token, "password_reset")
    check_password(new_password, email=user.email)
    user.password_hash = password_hash
    user.failed_logins, user.locked_until, user.updated_at = 0, None, deps.clock.now()
    await uow.session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=deps.clock.now())
    )
    await end_access_tokens(uow, deps.accounts, user)
    uow.publish(events.PasswordChanged(user_id=user.id, reason="reset"), aggregate_id=user.id)
    return user


async def verify_email(uow: UnitOfWork, deps: IdentityDeps, *, token: str) -> User:
    _, user = await _spend_one_time(uow, deps, token, "email_verification")
    user.email_verified_at = deps.clock.now()
    uow.publish(events.EmailVerified(user_id=user.id, email=user.email), aggregate_id=user.id)
    return user


async def _spend_one_time(
    uow: UnitOfWork, deps: IdentityDeps, token: str, purpose: str
) -> tuple[OneTimeToken, User]:
    now = deps.clock.now()
    row = await uow.session.scalar(
        select(OneTimeToken).where(
            OneTimeToken.token_hash == digest(token), OneTimeToken.purpose == purpose
        )
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise InvalidOneTimeToken()
    spent = await uow.session.execute(
        update(OneTimeToken)
        .where(OneTimeToken.id == row.id, OneTimeToken.used_at.is_(None))
        .values(used_at=now)
    )
    user = await uow.session.get(User, row.user_id)
    if getattr(spent, "rowcount", 0) != 1 or user is None:
        raise InvalidOneTimeToken()
    return row, user


@dataclass(frozen=True)
class OneTimeLink:
    """A freshly minted link and what its mail says about it."""

    url: str
    ttl_seconds: int
    email: str
    full_name: str


async def mint(
    uow: UnitOfWork, deps: IdentityDeps, *, user_id: str, purpose: str
) -> OneTimeLink | None:
    """A new single-use link for the account (only its hash is stored), or None when the
    account is gone or no longer active. Called by whoever sends it, in their transaction."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown one-time purpose {purpose!r}")
    user = await uow.session.get(User, user_id)
    if user is None or user.status != UserStatus.ACTIVE:
        return None
    raw, hashed = new_secret("mt")
    ttl = deps.settings.reset_token_ttl if purpose == "password_reset" else VERIFICATION_TTL
    uow.session.add(
        OneTimeToken(
            id=new_id(),
            user_id=user.id,
            purpose=purpose,
            token_hash=hashed,
            expires_at=deps.clock.now() + timedelta(seconds=ttl),
        )
    )
    base = deps.settings.public_url.rstrip("/")
    page = "reset-password" if purpose == "password_reset" else "verify-email"
    return OneTimeLink(f"{base}/{page}?token={raw}", ttl, user.email, user.full_name)
