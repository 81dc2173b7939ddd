"""The per-process copy of which guest session a token opens (ADR 22, fourth pass): a session
found once is served from memory until it expires, in its own store only; a token that opens
nothing is asked again every time. Driven with a fake table and a manual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest

from mercato.agents.identity.live_sessions import LiveSessions
from mercato.kernel.clock import ManualClock


class FakeTable:
    """Sessions by (store, token hash), and how often the table was read."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], tuple[str, datetime]] = {}
        self.reads = 0
        self.tenant = "default"

    @asynccontextmanager
    async def unit(self, **_: Any) -> AsyncIterator[Any]:
        yield self

    async def read(self, _uow: Any, token_hash: str) -> tuple[str, datetime] | None:
        self.reads += 1
        return self.rows.get((self.tenant, token_hash))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def table(clock: ManualClock) -> FakeTable:
    table = FakeTable()
    table.rows[("default", "h1")] = ("s1", clock.now() + timedelta(hours=1))
    return table


@pytest.fixture
def sessions(table: FakeTable, clock: ManualClock) -> LiveSessions:
    return LiveSessions(table.unit, clock, table.read)


async def test_a_session_found_once_is_served_without_reading(
    sessions: LiveSessions, table: FakeTable
) -> None:
    assert await sessions.session_id("default", "h1") == "s1"
    assert await sessions.session_id("default", "h1") == "s1"
    assert table.reads == 1


async def test_an_expired_session_opens_nothing_though_it_was_kept(
    sessions: LiveSessions, table: FakeTable, clock: ManualClock
) -> None:
    # given a session this process has found
    await sessions.session_id("default", "h1")
    # when its hour passes
    clock.advance(hours=1)
    # then it is refused from memory, and asked again next time
    assert await sessions.session_id("default", "h1") is None
    assert await sessions.session_id("default", "h1") is None
    assert table.reads == 2


async def test_a_miss_is_not_kept_so_a_session_made_elsewhere_works_at_once(
    sessions: LiveSessions, table: FakeTable, clock: ManualClock
) -> None:
    # given a token no session has yet
    assert await sessions.session_id("default", "h2") is None
    # when another process makes its session
    table.rows[("default", "h2")] = ("s2", clock.now() + timedelta(hours=1))
    # then the next request finds it
    assert await sessions.session_id("default", "h2") == "s2"


async def test_a_session_kept_for_one_store_opens_nothing_in_another(
    sessions: LiveSessions, table: FakeTable
) -> None:
    # given the session found in its own store
    assert await sessions.session_id("default", "h1") == "s1"
    # when the same token is sent to another store
    table.tenant = "other"
    # then that store's table is asked, and it has no such session
    assert await sessions.session_id("other", "h1") is None
    assert table.reads == 2
