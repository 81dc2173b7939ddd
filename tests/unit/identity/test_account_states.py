"""The per-process copy of an account's state (ADR 15): served from memory within its TTL,
evicted at once by a broadcast, and never re-filled with what a read racing an eviction saw.
Driven with a fake table and a fake monotonic clock, no database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from mercato.agents.identity.accounts import TOPIC, AccountState, AccountStates
from mercato.kernel.broadcast import InProcessBroadcast

ADMIN = AccountState(version=1, active=True, roles=frozenset({"admin"}), merchant_id=None)
DEMOTED = AccountState(version=2, active=True, roles=frozenset({"customer"}), merchant_id=None)


class FakeTable:
    """The account as the database has it, how often it was read, and an optional gate
    that holds a read half-way (to race it against an eviction)."""

    def __init__(self) -> None:
        self.state: AccountState | None = ADMIN
        self.reads = 0
        self.gate: asyncio.Event | None = None

    @asynccontextmanager
    async def unit(self, **_: Any) -> AsyncIterator[Any]:
        yield self

    async def read(self, _uow: Any, _user_id: str) -> AccountState | None:
        self.reads += 1
        seen = self.state
        if self.gate is not None:
            await self.gate.wait()
        return seen


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def table() -> FakeTable:
    return FakeTable()


@pytest.fixture
def clock() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
def broadcast() -> InProcessBroadcast:
    return InProcessBroadcast()


@pytest.fixture
def states(table: FakeTable, clock: FakeMonotonic, broadcast: InProcessBroadcast) -> AccountStates:
    return AccountStates(table.unit, broadcast, ttl=5.0, monotonic=clock, read=table.read)


async def test_within_the_ttl_the_copy_is_served_without_reading(
    states: AccountStates, table: FakeTable, clock: FakeMonotonic
) -> None:
    assert await states.get("default", "u1") == ADMIN
    clock.now += 4.9
    assert await states.get("default", "u1") == ADMIN
    assert table.reads == 1


async def test_past_the_ttl_a_missed_change_is_read_again(
    states: AccountStates, table: FakeTable, clock: FakeMonotonic
) -> None:
    # given a cached admin whose demotion this process never heard of
    await states.get("default", "u1")
    table.state = DEMOTED
    # then the staleness is bounded by the TTL
    clock.now += 5.01
    assert await states.get("default", "u1") == DEMOTED


async def test_a_broadcast_evicts_at_once(
    states: AccountStates, table: FakeTable, broadcast: InProcessBroadcast
) -> None:
    await states.get("default", "u1")
    table.state = DEMOTED
    await broadcast.publish(TOPIC, {"tenant_id": "default", "user_id": "u1"})
    assert await states.get("default", "u1") == DEMOTED


async def test_a_read_that_raced_an_eviction_is_not_kept(
    states: AccountStates, table: FakeTable
) -> None:
    # given a read that saw the old state and is still in flight
    table.gate = asyncio.Event()
    racing = asyncio.create_task(states.get("default", "u1"))
    await asyncio.sleep(0)
    # when the account changes and is evicted meanwhile
    table.state = DEMOTED
    states.evict("default", "u1")
    table.gate.set()
    assert await racing == ADMIN  # (that request began before the change)
    table.gate = None
    # then the next request reads again instead of trusting what the racing read saw
    assert await states.get("default", "u1") == DEMOTED


async def test_stores_do_not_share_copies(states: AccountStates, table: FakeTable) -> None:
    await states.get("shop-a", "u1")
    table.state = None
    assert await states.get("shop-b", "u1") is None
