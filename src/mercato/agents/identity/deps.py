"""What the identity service needs, wired once by the agent's `setup`."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from mercato.agents.identity.accounts import AccountStates
from mercato.agents.identity.live_sessions import LiveSessions
from mercato.agents.identity.passwords import Passwords
from mercato.agents.identity.tokens import TokenService
from mercato.kernel.clock import Clock
from mercato.kernel.config import Settings


@dataclass
class IdentityDeps:
    settings: Settings
    clock: Clock
    passwords: Passwords
    tokens: TokenService
    accounts: AccountStates
    sessions: LiveSessions


def new_secret(prefix: str) -> tuple[str, str]:
    """A random opaque token and the hash it is stored under (`mr_…` refresh, `ms_…`
    session, `mt_…` one-time, `mk_…` API key). Only the hash is kept."""
    token = f"{prefix}_{secrets.token_urlsafe(32)}"
    return token, digest(token)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(email: str) -> str:
    """The one spelling stored and looked up: trimmed and lower-case (mailboxes that differ
    only by case are one person in practice, and must be one account)."""
    return email.strip().lower()
