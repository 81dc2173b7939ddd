"""Which guest session an `X-Session-Token` opens: what every guest's request asks.

A guest session's row never changes once made: its id and its expiry are fixed, and nothing
revokes or deletes it (a promotion records the account beside it; the session stays what it
was). So this process keeps what it found until the session expires, and a guest's request
costs a dictionary lookup instead of a unit of work and a query (ADR 22, "Fourth pass").

Misses are not kept: a token made a moment ago by another process must work at once, and an
attacker's guesses must not fill the memory. Should sessions ever become revocable, the
revoker must evict through the kernel's broadcast, as `accounts.py` does (ADR 15).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from mercato.kernel.clock import Clock
from mercato.kernel.db import UnitOfWork

MAX_ENTRIES = 100_000

Found = tuple[str, datetime]  # the session's id, when it expires
Key = tuple[str, str]  # the store, the token's hash


class LiveSessions:
    def __init__(
        self,
        units: Callable[..., UnitOfWork],
        clock: Clock,
        read: Callable[[UnitOfWork, str], Awaitable[Found | None]],
    ) -> None:
        self._units = units
        self._clock = clock
        self._read = read
        self._found: dict[Key, Found] = {}

    async def session_id(self, tenant_id: str, token_hash: str) -> str | None:
        """The id of the store's unexpired session whose token hashes to `token_hash`."""
        key = (tenant_id, token_hash)
        found = self._found.get(key)
        if found is None:
            async with self._units(writes=False) as uow:
                found = await self._read(uow, token_hash)
            if found is None:
                return None
            if len(self._found) >= MAX_ENTRIES:
                self._found.clear()
            self._found[key] = found
        session_id, expires_at = found
        if expires_at <= self._clock.now():
            self._found.pop(key, None)
            return None
        return session_id
