"""Seed 001's ingestion properties on the connectors' HTTP layer, against an in-process
transport and a clock that only moves when slept on: per-domain rate limits (2), failures
isolated (3), retries with exponential backoff, bounded (49)."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from itertools import pairwise

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.ingest.clean.pipeline import checksum
from mercato.agents.intelligence.ingest.connectors.http import (
    Backoff,
    DomainPacer,
    Polite,
    SourceUnavailable,
    TokenBucket,
    retry_after_seconds,
)
from mercato.agents.intelligence.ingest.runner import run_many

PROPERTY = settings(max_examples=100, deadline=None)


class FakeTime:
    """A monotonic clock that sleeping advances, recording every sleep."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Failure = tuple[str, float | None]
FAILURES = st.tuples(st.sampled_from(["429", "500", "503", "connect"]), st.none()) | st.tuples(
    st.just("429"), st.floats(min_value=0, max_value=20)
)


@pytest.mark.seed_property(49)
@PROPERTY
@given(
    failures=st.lists(FAILURES, max_size=8),
    attempts=st.integers(min_value=1, max_value=6),
    base=st.floats(min_value=0.01, max_value=2),
    seed=st.integers(0, 2**32),
)
def test_property_49_failures_are_retried_with_exponential_backoff(
    failures: list[Failure], attempts: int, base: float, seed: int
) -> None:
    # given an API that fails the first calls (429 with or without Retry-After, 5xx,
    # connection refused) and then answers
    time = FakeTime()
    calls: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(time.now)
        if len(calls) <= len(failures):
            kind, retry_after = failures[len(calls) - 1]
            if kind == "connect":
                raise httpx.ConnectError("refused", request=request)
            headers = {"retry-after": f"{retry_after:.3f}"} if retry_after is not None else {}
            return httpx.Response(int(kind), headers=headers)
        return httpx.Response(200, json={"ok": True})

    backoff = Backoff(attempts=attempts, base=base, cap=30.0, rng=random.Random(seed))
    client = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    polite = Polite(
        client=client,
        bucket=TokenBucket(1000, burst=1000, now=time.clock, sleep=time.sleep),
        backoff=backoff,
        sleep=time.sleep,
    )

    async def fetch() -> httpx.Response | None:
        try:
            return await polite.get("https://api.test/items")
        except SourceUnavailable:
            return None
        finally:
            await client.aclose()

    # when it is called
    answered = asyncio.run(fetch())
    # then it is tried at most `attempts` times: it answers once the failures are over
    # within them, and gives up otherwise
    assert len(calls) == min(len(failures) + 1, attempts)
    assert (answered is not None) == (len(failures) < attempts)
    # and the n-th wait is between half and all of min(cap, base·2ⁿ), or the Retry-After
    # asked for when that is longer
    assert len(time.sleeps) == len(calls) - 1
    for n, waited in enumerate(time.sleeps):
        ceiling = min(30.0, base * 2**n)
        sent = failures[n][1]
        asked = float(f"{sent:.3f}") if sent is not None else None  # as the header says it
        assert waited >= ceiling / 2 - 1e-9
        if asked is not None and asked > ceiling:
            assert waited == pytest.approx(asked, abs=1e-3)
        else:
            assert waited <= max(ceiling, asked or 0) + 1e-9


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
    assert retry_after_seconds("Sun, 06 Dec 2026 08:00:30 GMT", now=now) == 30
    assert retry_after_seconds("2.0") == 2.0
    assert retry_after_seconds("soon") is None
    with pytest.raises(SourceUnavailable):
        Backoff(cap=10).delay(0, retry_after=3600)


@pytest.mark.seed_property(2)
@PROPERTY
@given(
    requests=st.lists(
        st.tuples(st.sampled_from(["a.test", "b.test", "c.test"]), st.floats(0, 3)),
        min_size=1,
        max_size=30,
    ),
    interval=st.floats(min_value=0.1, max_value=5),
    concurrent=st.booleans(),
)
def test_property_2_requests_to_a_domain_are_paced(
    requests: list[tuple[str, float]], interval: float, concurrent: bool
) -> None:
    # given requests to several domains, each followed by some work, one after the other or
    # all at once
    time = FakeTime()
    pacer = DomainPacer(interval, now=time.clock, sleep=time.sleep)
    starts: dict[str, list[float]] = {}

    async def one(domain: str, work: float) -> None:
        await pacer.wait(f"https://{domain}/p/1")
        starts.setdefault(domain, []).append(time.now)
        await time.sleep(work)

    async def all_of_them() -> None:
        if concurrent:
            await asyncio.gather(*(one(d, w) for d, w in requests))
        else:
            for d, w in requests:
                await one(d, w)

    # when they are made through the pacer
    asyncio.run(all_of_them())
    # then two requests to one domain are never closer than the interval
    for moments in starts.values():
        ordered = sorted(moments)
        for earlier, later in pairwise(ordered):
            assert later - earlier >= interval - 1e-9
    assert sum(len(m) for m in starts.values()) == len(requests)


def test_token_bucket_keeps_the_rate() -> None:
    # given a bucket of 2 requests a second, bursts of 1
    time = FakeTime()
    bucket = TokenBucket(2.0, now=time.clock, sleep=time.sleep)

    async def take(n: int) -> None:
        for _ in range(n):
            await bucket.take()

    # when 11 requests are made at once
    asyncio.run(take(11))
    # then they took 5 seconds
    assert time.now == pytest.approx(5.0)


@pytest.mark.seed_property(3)
@PROPERTY
@given(outcomes=st.lists(st.sampled_from(["ok", "raises", "times out"]), max_size=12))
def test_property_3_a_failing_source_never_stops_the_others(outcomes: list[str]) -> None:
    # given sources of which some fail (an error, a timeout)
    ran: list[int] = []

    async def run_one(index: int) -> str:
        ran.append(index)
        if outcomes[index] == "raises":
            raise RuntimeError(f"source {index} is down")
        if outcomes[index] == "times out":
            raise TimeoutError()
        return f"run {index}"

    # when they are run together
    results = asyncio.run(run_many(range(len(outcomes)), run_one))
    # then every source ran, the good ones succeeded, each failure is reported as its own
    assert ran == list(range(len(outcomes)))
    for (index, result, error), outcome in zip(results, outcomes, strict=True):
        assert (result == f"run {index}") == (outcome == "ok")
        assert (error is None) == (outcome == "ok")


@given(payload=st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5)))
@PROPERTY
def test_checksum_ignores_key_order(payload: dict[str, object]) -> None:
    reordered = dict(reversed(list(payload.items())))
    assert checksum(payload) == checksum(reordered)
    assert len(checksum(payload)) == 64
