"""Polite HTTP for connectors (seed 001, properties 2 and 49): a token bucket per source, a
minimum interval per domain, and bounded retries with exponential backoff and jitter on
429 (honouring `Retry-After`), 5xx and connection errors. Time and randomness are injected
(`now`, `sleep`, `rng`) so the timing is proven without waiting."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

Sleep = Callable[[float], Awaitable[None]]
Now = Callable[[], float]
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})


class SourceUnavailable(Exception):  # noqa: N818 - a state of the source, not our error
    """The source kept failing after every attempt (or asked to wait longer than allowed)."""


@dataclass
class Backoff:
    """Attempt n (0-based) waits between half and all of `min(cap, base * 2**n)` (equal
    jitter: always growing, never synchronised across clients). A `Retry-After` longer than
    that is waited in full, up to `cap`; a longer one gives up."""

    attempts: int = 5
    base: float = 0.5
    cap: float = 30.0
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def ceiling(self, attempt: int) -> float:
        return float(min(self.cap, self.base * 2.0**attempt))

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        ceiling = self.ceiling(attempt)
        jittered = ceiling / 2 + self.rng.uniform(0, ceiling / 2)
        if retry_after is None:
            return jittered
        if retry_after > self.cap:
            raise SourceUnavailable(f"asked to retry after {retry_after:.0f} s")
        return max(jittered, retry_after)


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    try:  # delta-seconds; Shopify writes them with a fraction ("2.0")
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if 0 <= seconds < float("inf") else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class TokenBucket:
    """`rate` requests a second on average, bursts of up to `burst`."""

    def __init__(self, rate: float, burst: int = 1, *, now: Now, sleep: Sleep) -> None:
        self.rate, self.burst = rate, max(1, burst)
        self.tokens = float(self.burst)
        self._now, self._sleep = now, sleep
        self._at = now()

    async def take(self) -> None:
        moment = self._now()
        self.tokens = min(self.burst, self.tokens + (moment - self._at) * self.rate)
        self._at = moment
        if self.tokens < 1:
            await self._sleep((1 - self.tokens) / self.rate)
            self._at = self._now()
            self.tokens = 1.0
        self.tokens -= 1


class DomainPacer:
    """At least `interval` seconds between the starts of two requests to one domain."""

    def __init__(self, interval: float, *, now: Now, sleep: Sleep) -> None:
        self.interval = interval
        self._now, self._sleep = now, sleep
        self._last: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def wait(self, url: str) -> None:
        domain = (urlsplit(url).hostname or "").lower()
        async with self._locks.setdefault(domain, asyncio.Lock()):
            last = self._last.get(domain)
            if last is not None:
                remaining = last + self.interval - self._now()
                if remaining > 0:
                    await self._sleep(remaining)
            self._last[domain] = self._now()


@dataclass
class Polite:
    """An httpx client with a source's rate limit and retries."""

    client: httpx.AsyncClient
    bucket: TokenBucket
    backoff: Backoff
    sleep: Sleep
    pacer: DomainPacer | None = None
    attempts_made: int = 0

    async def get(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """The first answer that is neither 429 nor 5xx; `SourceUnavailable` after the last
        attempt (the last failure is its cause)."""
        last_failure = "no attempt"
        for attempt in range(self.backoff.attempts):
            await self.bucket.take()
            if self.pacer is not None:
                await self.pacer.wait(url)
            self.attempts_made += 1
            retry_after: float | None = None
            try:
                response = await self.client.get(url, params=params, headers=headers)
            except httpx.TransportError as exc:
                last_failure = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code not in RETRIED_STATUSES:
                    return response
                last_failure = f"HTTP {response.status_code}"
                if response.status_code in {429, 503}:
                    retry_after = retry_after_seconds(response.headers.get("retry-after"))
            if attempt + 1 < self.backoff.attempts:
                await self.sleep(self.backoff.delay(attempt, retry_after))
        raise SourceUnavailable(f"{url}: {last_failure} after {self.backoff.attempts} attempts")


def polite(
    client: httpx.AsyncClient,
    *,
    rate: float,
    attempts: int,
    base: float,
    cap: float,
    seed: int = 0,
    pacer: DomainPacer | None = None,
) -> Polite:
    """A `Polite` on the real clock."""
    return Polite(
        client=client,
        bucket=TokenBucket(rate, now=time.monotonic, sleep=asyncio.sleep),
        backoff=Backoff(attempts=attempts, base=base, cap=cap, rng=random.Random(seed)),
        sleep=asyncio.sleep,
        pacer=pacer,
    )
