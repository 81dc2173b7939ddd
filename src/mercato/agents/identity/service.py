"""Identity commands and queries: the only code that writes the identity agent's tables.

Functions take the caller's unit of work and never commit: the edge commits, so failed-login
bookkeeping and refresh-token revocations are returned as `Refusal`s that the edge commits
*before* it answers with the problem.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import String, Table, bindparam, false, or_, select, update
from sqlalchemy import cast as cast_
from sqlalchemy.exc import IntegrityError

from mercato.agents.identity import events, lockout, one_time
from mercato.agents.identity.accounts import end_access_tokens
from mercato.agents.identity.deps import IdentityDeps, digest, new_secret, normalize_email
from mercato.agents.identity.models import GuestSession, RefreshToken, User
from mercato.agents.identity.passwords import check_password
from mercato.agents.identity.statuses import UserStatus
from mercato.kernel import rules
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Problem, Unauthorized
from mercato.kernel.ids import new_id
from mercato.kernel.prepared import Prepared
from mercato.kernel.rules import RuleViolated
from mercato.kernel.security import SecurityViolation
from mercato.kernel.store_sql import in_store


class InvalidCredentials(Unauthorized):
    code, title = "invalid_credentials", "Wrong email or password"


class AccountLocked(Problem):
    status, code, title = 423, "account_locked", "Too many failed logins: the account is locked"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"try again in {retry_after} s", retry_after=retry_after)
        self.headers = {"Retry-After": str(retry_after)}


class InvalidRefreshToken(Unauthorized):
    code, title = "invalid_refresh_token", "The refresh token is not valid"


class RefreshTokenReused(Unauthorized):
    code, title = "refresh_token_reused", "The refresh token was already used"


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    user: User


@dataclass(frozen=True)
class Refusal:
    """A refused request whose bookkeeping must still be committed."""

    problem: Problem
    delay: float = 0.0


async def create_user(
    uow: UnitOfWork,
    deps: IdentityDeps,
    *,
    email: str,
    password: str,
    full_name: str,
    roles: list[str],
    merchant_id: str | None = None,
) -> User:
    email = normalize_email(email)
    await rules.enforce("BR017", password=password)
    check_password(password, email=email)
    password_hash = await deps.passwords.hash(password)  # before the first statement: see ADR 4
    await rules.enforce("BR011", uow=uow, email=email)
    now = deps.clock.now()
    user = User(
        id=new_id(),
        email=email,
        full_name=full_name,
        password_hash=password_hash,
        roles=roles,
        merchant_id=merchant_id,
        status=UserStatus.ACTIVE,
        failed_logins=0,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(user)
    try:
        await uow.session.flush()
    except IntegrityError:  # a concurrent registration won the race for this email
        raise RuleViolated(rules.get("BR011")) from None
    uow.publish(
        events.UserRegistered(user_id=user.id, email=email, roles=roles), aggregate_id=user.id
    )
    return user


async def account_exists(uow: UnitOfWork, *, email: str) -> bool:
    """Whether the store has an account with this address (in any case)."""
    found = await uow.session.scalar(select(User.id).where(User.email == normalize_email(email)))
    return found is not None


async def register(
    uow: UnitOfWork,
    deps: IdentityDeps,
    *,
    email: str,
    password: str,
    full_name: str,
    session_token: str | None = None,
) -> User:
    """A customer account, and the request to confirm its email (mailed by notifications
    after the commit)."""
    user = await create_user(
        uow, deps, email=email, password=password, full_name=full_name, roles=["customer"]
    )
    if session_token:
        await promote_session(uow, deps, session_token=session_token, user=user)
    uow.publish(
        events.VerificationRequested(user_id=user.id, email=user.email), aggregate_id=user.id
    )
    return user


@dataclass(frozen=True)
class Credentials:
    """What checking a password found, before anything is written."""

    email: str
    password_ok: bool
    new_hash: str | None = None  # the password re-hashed with stronger parameters


async def check_credentials(
    uow: UnitOfWork, deps: IdentityDeps, *, email: str, password: str
) -> Credentials:
    """Read-only and slow on purpose (Argon2id): run it in a read-only unit of work, so the
    hashing never holds a write transaction (on SQLite, the database's one write lock)."""
    email = normalize_email(email)
    stored = await uow.session.scalar(select(User.password_hash).where(User.email == email))
    ok = await deps.passwords.verify(stored, password)
    new_hash = None
    if ok and stored and deps.passwords.needs_rehash(stored):
        new_hash = await deps.passwords.hash(password)
    return Credentials(email, ok, new_hash)


async def login(
    uow: UnitOfWork,
    deps: IdentityDeps,
    credentials: Credentials,
    *,
    session_token: str | None = None,
) -> TokenPair | Refusal:
    """Record the outcome of `check_credentials`: failures count towards a lock, success
    issues a token pair (and promotes the guest session)."""
    settings, now = deps.settings, deps.clock.now()
    user = await uow.session.scalar(select(User).where(User.email == credentials.email))
    lock = lockout.locked_for(await lockout.lock_of(uow, user=user, email=credentials.email), now)
    if lock is not None:
        return Refusal(AccountLocked(lock))
    if user is None or user.status != UserStatus.ACTIVE or not credentials.password_ok:
        # Unknown emails, disabled accounts and wrong passwords fail alike (see lockout).
        failure = await lockout.record_failure(uow, deps, user=user, email=credentials.email)
        delay = settings.login_failure_delay * 2 ** min(failure.count - 1, 4)
        return Refusal(InvalidCredentials(), delay)
    user.failed_logins, user.locked_until = 0, None
    if credentials.new_hash:
        user.password_hash = credentials.new_hash
    session_id = None
    if session_token:
        session_id = await promote_session(uow, deps, session_token=session_token, user=user)
    return await _issue(uow, deps, user, family_id=new_id(), session_id=session_id)


async def _issue(
    uow: UnitOfWork,
    deps: IdentityDeps,
    user: User,
    *,
    family_id: str,
    session_id: str | None = None,
) -> TokenPair:
    now = deps.clock.now()
    raw, hashed = new_secret("mr")
    uow.session.add(
        RefreshToken(
            id=new_id(),
            user_id=user.id,
            family_id=family_id,
            token_hash=hashed,
            issued_at=now,
            expires_at=now + timedelta(seconds=deps.settings.refresh_token_ttl),
        )
    )
    access = deps.tokens.issue(
        subject=user.id,
        tenant_id=user.tenant_id,
        roles=user.roles,
        merchant_id=user.merchant_id,
        session_id=session_id,
        version=user.auth_version,
        now=now,
    )
    return TokenPair(access, raw, deps.tokens.ttl, user)


async def refresh(
    uow: UnitOfWork, deps: IdentityDeps, *, refresh_token: str
) -> TokenPair | Refusal:
    """Rotate: the presented token is spent and a new one of the same family issued. A spent
    token presented again means it leaked: the whole family is revoked."""
    now = deps.clock.now()
    token = await uow.session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == digest(refresh_token))
    )
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return Refusal(InvalidRefreshToken())
    spent = await uow.session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == token.id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
    )
    if getattr(spent, "rowcount", 0) != 1:
        await _revoke_family(uow, token.family_id, now)
        uow.publish(
            SecurityViolation(
                kind="refresh_token_reuse",
                principal_id=token.user_id,
                detail=f"family {token.family_id} revoked",
            ),
            aggregate_id=token.user_id,
        )
        return Refusal(RefreshTokenReused("every session of this login was signed out"))
    user = await uow.session.get(User, token.user_id)
    if user is None or user.status != UserStatus.ACTIVE:
        return Refusal(InvalidRefreshToken())
    return await _issue(uow, deps, user, family_id=token.family_id)


async def logout(uow: UnitOfWork, deps: IdentityDeps, *, refresh_token: str) -> None:
    """Revoke the login's refresh tokens and end the account's access tokens (ADR 15: the
    account's other logins keep their refresh tokens and get a new access token with them)."""
    token = await uow.session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == digest(refresh_token))
    )
    if token is not None:
        await _revoke_family(uow, token.family_id, deps.clock.now())
        user = await uow.session.get(User, token.user_id)
        if user is not None:
            await end_access_tokens(uow, deps.accounts, user)


async def _revoke_family(uow: UnitOfWork, family_id: str, now: object) -> None:
    await uow.session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def create_session(uow: UnitOfWork, deps: IdentityDeps) -> tuple[GuestSession, str]:
    now = deps.clock.now()
    raw, hashed = new_secret("ms")
    session = GuestSession(
        id=new_id(),
        token_hash=hashed,
        created_at=now,
        expires_at=now + timedelta(seconds=deps.settings.session_ttl),
    )
    uow.session.add(session)
    uow.publish(events.SessionStarted(session_id=session.id), aggregate_id=session.id)
    return session, raw


async def find_session(uow: UnitOfWork, deps: IdentityDeps, token: str) -> GuestSession | None:
    session = await uow.session.scalar(
        select(GuestSession).where(GuestSession.token_hash == digest(token))
    )
    if session is None or session.expires_at <= deps.clock.now():
        return None
    return session


async def read_live_session(uow: UnitOfWork, token_hash: str) -> tuple[str, datetime] | None:
    """The id and expiry of the store's guest session whose token hashes to `token_hash`:
    what every guest's request asks (through `LiveSessions`), as a prepared statement
    (`find_session` loads the entity)."""
    found = await _SESSION_BY_TOKEN.first(uow, token_hash=token_hash)
    return None if found is None else (str(found.id), found.expires_at)


_GUEST_SESSIONS = cast(Table, GuestSession.__table__)
_SESSION_BY_TOKEN = Prepared(
    in_store(
        select(_GUEST_SESSIONS.c.id, _GUEST_SESSIONS.c.expires_at).where(
            _GUEST_SESSIONS.c.token_hash == bindparam("token_hash")
        )
    )
)


async def promote_session(
    uow: UnitOfWork, deps: IdentityDeps, *, session_token: str, user: User
) -> str | None:
    """The guest session becomes the user's; `session.promoted` lets other agents move what
    it owned (carts, assistant history). A session already promoted to someone else is
    left alone."""
    session = await find_session(uow, deps, session_token)
    if session is None or (session.user_id is not None and session.user_id != user.id):
        return None
    if session.user_id is None:
        session.user_id, session.promoted_at = user.id, deps.clock.now()
        uow.publish(
            events.SessionPromoted(session_id=session.id, user_id=user.id), aggregate_id=session.id
        )
    return session.id


async def update_me(
    uow: UnitOfWork, deps: IdentityDeps, *, user: User, full_name: str | None
) -> User:
    changed = []
    if full_name is not None and full_name != user.full_name:
        user.full_name, changed = full_name, ["full_name"]
    if changed:
        user.updated_at = deps.clock.now()
        uow.publish(events.UserUpdated(user_id=user.id, fields=changed), aggregate_id=user.id)
    return user


async def pause_after_refusal(refusal: Refusal) -> None:
    """Failed logins slow down: the answer waits, longer after each failure."""
    if refusal.delay:
        await asyncio.sleep(refusal.delay)


async def one_time_link(
    uow: UnitOfWork, *, user_id: str, purpose: str
) -> one_time.OneTimeLink | None:
    """Mint a single-use link (`password_reset`, `email_verification`) for whoever mails it;
    None when the account is gone or not active."""
    return await one_time.mint(uow, uow.deps(IdentityDeps), user_id=user_id, purpose=purpose)


async def contact_of(uow: UnitOfWork, *, user_id: str) -> tuple[str, str | None] | None:
    """A user's email and full name (what another agent writes to them with), or None."""
    user = await uow.session.get(User, user_id)
    return None if user is None else (user.email, user.full_name)


@dataclass(frozen=True)
class StaffContact:
    user_id: str
    email: str
    full_name: str


async def staff_contacts(uow: UnitOfWork, *, merchant_id: str | None) -> list[StaffContact]:
    """The store's active admins, and the active accounts of `merchant_id` (a merchant's
    people): whom store alerts (low stock) are for."""
    admin_like = cast_(User.roles, String).like('%"admin"%')  # a JSON list on both backends
    mine = User.merchant_id == merchant_id if merchant_id is not None else false()
    users = await uow.session.scalars(
        select(User)
        .where(User.status == UserStatus.ACTIVE, or_(admin_like, mine))
        .order_by(User.created_at)
        .limit(200)
    )
    return [
        StaffContact(u.id, u.email, u.full_name)
        for u in users
        if "admin" in u.roles or (merchant_id is not None and u.merchant_id == merchant_id)
    ]
