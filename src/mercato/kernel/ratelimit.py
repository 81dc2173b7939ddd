"""Rate limits per principal (per IP when anonymous) and per route class.

Fixed windows, counted in memory in embedded mode and in Redis in scaled mode, where every
server process shares the counts. A refused request gets 429 with `Retry-After`.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import structlog
from redis import asyncio as aioredis
from redis.exceptions import RedisError

from mercato.kernel.errors import Problem

log = structlog.get_logger("mercato.ratelimit")
_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Limit:
        """`"10/minute"` → 10 requests per 60 s."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(second|minute|hour|day)\s*", text)
        if not match:
            raise ValueError(f"not a rate limit: {text!r} (e.g. '10/minute')")
        return cls(int(match[1]), _PERIODS[match[2]])


class RateLimited(Problem):
    status, code, title = 429, "rate_limited", "Too many requests"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"try again in {retry_after} s", retry_after=retry_after)
        self.headers = {"Retry-After": str(retry_after)}


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: Limit) -> int:
        """Count one request; 0 if allowed, else the seconds until the window reopens."""
        ...


class MemoryRateLimiter:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._windows: dict[str, tuple[int, int]] = {}

    async def hit(self, key: str, limit: Limit) -> int:
        now = self._clock()
        window = int(now // limit.seconds)
        started, count = self._windows.get(key, (window, 0))
        if started != window:
            started, count = window, 0
            if len(self._windows) > 100_000:  # forget stale windows now and then
                self._windows = {k: v for k, v in self._windows.items() if v[0] == window}
        count += 1
        self._windows[key] = (started, count)
        if count <= limit.count:
            return 0
        return max(1, math.ceil((window + 1) * limit.seconds - now))


_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
"""


class RedisRateLimiter:
    """Shared by every process: one counter per key and window, expiring with the window."""

    def __init__(self, url: str, prefix: str) -> None:
        self._redis: aioredis.Redis = aioredis.from_url(url)
        self._prefix = prefix
        self._script = self._redis.register_script(_HIT)

    async def hit(self, key: str, limit: Limit) -> int:
        window = int(time.time() // limit.seconds)
        redis_key = f"{self._prefix}:rl:{key}:{limit.seconds}:{window}"
        try:
            count, ttl_ms = await self._script(keys=[redis_key], args=[limit.seconds * 1000])
        except (RedisError, OSError) as exc:  # a limiter outage must not take the API down
            log.warning("rate_limiter_unavailable", error=repr(exc))
            return 0
        if int(count) <= limit.count:
            return 0
        return max(1, math.ceil(int(ttl_ms) / 1000))

    async def close(self) -> None:
        await self._redis.aclose()
