"""Single-use links sent by mail: password reset and email verification.

The token is random, stored as a hash, expires, and is spent with a conditional update, so
two requests cannot both use it.
"""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

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
from mercato.kernel.mail import compose


class InvalidOneTimeToken(Problem):
    status, code, title = 400, "invalid_token", "The link is invalid, used or expired"


async def request_password_reset(
    uow: UnitOfWork, deps: IdentityDeps, *, email: str
) -> EmailMessage | None:
    """The reset mail to send after commit, or None when no such account (the caller answers
    the same either way, so accounts cannot be discovered)."""
    user = await uow.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None or user.status != UserStatus.ACTIVE:
        return None
    return await mail(uow, deps, user, "password_reset")


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


async def mail(uow: UnitOfWork, deps: IdentityDeps, user: User, purpose: str) -> EmailMessage:
    raw, hashed = new_secret("mt")
    ttl = deps.settings.reset_token_ttl if purpose == "password_reset" else 7 * 86400
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
    if purpose == "password_reset":
        subject = "Reset your password"
        text = (
            f"Hello {user.full_name},\n\nTo choose a new password, open\n"
            f"{base}/reset-password?token={raw}\n\nThe link works once, within "
            f"{ttl // 60} minutes. If you did not ask for it, ignore this message.\n"
        )
    else:
        subject = "Confirm your email address"
        text = f"Hello {user.full_name},\n\nConfirm your address: {base}/verify-email?token={raw}\n"
    return compose(sender=deps.settings.mail_from, to=user.email, subject=subject, text=text)
