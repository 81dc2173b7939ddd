"""Rate limits per principal (per IP when anonymous) and per route class.

Fixed windows, counted in memory in embedded mode and in Redis in scaled mode, where every
server process shares the counts (in batches while a key is far from its limit). A refused
request gets 429 with `Retry-After`.
"""

from __future__ import annotations

import asyncio
import contextlib
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
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
"""

EXACT_BELOW = 100
"""A limit this small is counted in Redis at every request (logins: 10/minute)."""
MAX_KEYS = 100_000


class RedisRateLimiter:
    """Shared by every process: one counter per key and window in Redis, expiring with the
    window.

    A key far from its limit costs no Redis round trip: this process counts its requests and
    adds them to Redis in one pipelined batch every `flush_seconds`, and each batch tells it
    the shared counts of the keys it sent (ADR 22, fourth and fifth passes). A request is
    counted in Redis before it is answered when it is this process's first of the key in
    the window, when the key is past half its limit by what this process knows, and always
    under a limit below `EXACT_BELOW` (logins); so the limit itself is enforced on the
    shared count. What that lets through: between a key's batches (0.1 s) a process
    decides on the shared count of the last one, so a client gets past its limit only by
    sending more than half of it to one process within those 0.1 s (300 requests at the
    default 600/minute, 3,000 a second).
    """

    def __init__(self, url: str, prefix: str, *, flush_seconds: float = 0.1) -> None:
        self._redis: aioredis.Redis = aioredis.from_url(url)
        self._prefix = prefix
        self._script = self._redis.register_script(_HIT)
        self._flush_seconds = flush_seconds
        self._unsent: dict[str, tuple[int, int]] = {}
        """Requests counted here and not yet in Redis, by Redis key: (count, window in ms)."""
        self._known: dict[str, tuple[int, float]] = {}
        """What Redis last said a key's count was, and when its window ends."""
        self._forgot_at = 0.0
        self._flush: asyncio.Task[None] | None = None

    async def hit(self, key: str, limit: Limit) -> int:
        now = time.time()
        window = int(now // limit.seconds)
        redis_key = f"{self._prefix}:rl:{key}:{limit.seconds}:{window}"
        unsent = self._unsent.get(redis_key, (0, 0))[0]
        known = self._known.get(redis_key)
        if known is None or limit.count < EXACT_BELOW or 2 * (known[0] + unsent + 1) > limit.count:
            return await self._exact(redis_key, limit, unsent + 1)
        self._unsent[redis_key] = (unsent + 1, limit.seconds * 1000)
        if self._flush is None:
            self._flush = asyncio.get_running_loop().create_task(self._flush_soon())
        return 0

    async def _exact(self, redis_key: str, limit: Limit, count: int) -> int:
        self._unsent.pop(redis_key, None)
        try:
            total, ttl_ms = await self._script(keys=[redis_key], args=[limit.seconds * 1000, count])
        except (RedisError, OSError) as exc:  # a limiter outage must not take the API down
            log.warning("rate_limiter_unavailable", error=repr(exc))
            return 0
        self._forget_past_windows()
        self._known[redis_key] = (int(total), time.time() + int(ttl_ms) / 1000)
        if int(total) <= limit.count:
            return 0
        return max(1, math.ceil(int(ttl_ms) / 1000))

    async def _flush_soon(self) -> None:
        try:
            await asyncio.sleep(self._flush_seconds)
        finally:
            self._flush = None
            await self.flush()

    async def flush(self) -> None:
        """Add what this process counted to Redis, and learn the shared counts."""
        batch, self._unsent = self._unsent, {}
        if not batch:
            return
        self._forget_past_windows()
        now = time.time()
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for redis_key, (count, window_ms) in batch.items():
                    await self._script(keys=[redis_key], args=[window_ms, count], client=pipe)
                answers = await pipe.execute()
        except (RedisError, OSError) as exc:
            log.warning("rate_limiter_unavailable", error=repr(exc))
            return
        for redis_key, (total, ttl_ms) in zip(batch, answers, strict=True):
            self._known[redis_key] = (int(total), now + int(ttl_ms) / 1000)

    def _forget_past_windows(self) -> None:
        """Drop the counts of windows that have ended: at most once a second, or at once
        when MAX_KEYS are known (a pass reads every key)."""
        now = time.time()
        if now - self._forgot_at < 1.0 and len(self._known) < MAX_KEYS:
            return
        self._forgot_at = now
        self._known = {k: v for k, v in self._known.items() if v[1] > now}

    async def close(self) -> None:
        if self._flush is not None:
            self._flush.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flush
        await self._redis.aclose()
