"""Password hashing (Argon2id) and the password policy.

Hashing runs in a worker thread: with the production parameters (RFC 9106's second
recommendation: t=3, m=64 MiB, p=4) one hash takes tens of milliseconds of CPU and must not
stall the event loop.
"""

from __future__ import annotations

import asyncio
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from mercato.kernel.errors import Problem

MIN_LENGTH = 10


class Passwords:
    def __init__(self, *, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
        )
        self._dummy = self._hasher.hash("mercato-dummy-password")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True if it matches. With no hash (unknown account) a dummy is checked, so a wrong
        email takes as long as a wrong password and accounts cannot be probed by timing."""
        try:
            return (
                await asyncio.to_thread(self._hasher.verify, password_hash or self._dummy, password)
                and password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # 30,000 most common passwords

    return frozenset(FREQUENCY_LISTS["passwords"])


def policy_problem(password: str, *, email: str = "", full_name: str = "") -> str | None:
    """Why a password is refused, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters"
    if len(password) > 1024:
        return "must be at most 1024 characters"
    lowered = password.lower()
    if lowered in _common_passwords():
        return "is one of the most common passwords"
    local = email.split("@", 1)[0].lower()
    if local and len(local) >= 4 and local in lowered:
        return "must not contain the email address"
    return None


class WeakPassword(Problem):
    status, code, title = 422, "weak_password", "The password is too weak"


def check_password(password: str, *, email: str) -> None:
    reason = policy_problem(password, email=email)
    if reason:
        raise WeakPassword(
            f"the password {reason}", errors=[{"field": "body.password", "message": reason}]
        )
