"""The event bus survives SIGKILL: a committed event is delivered after a restart, and each
handler's effect happens exactly once however the process dies."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.config import Settings
from tests.conftest import eventually
from tests.reliability.conftest import Node
from tests.support import example_agent
from tests.support.example_agent import Effect

pytestmark = pytest.mark.reliability


async def effect_counts(kernel: Kernel) -> Counter[tuple[str, str]]:
    async with kernel.uow(writes=False) as uow:
        rows = await uow.session.execute(select(Effect.event_id, Effect.handler))
        return Counter((event_id, handler) for event_id, handler in rows)


async def outbox_ids(kernel: Kernel) -> tuple[list[str], int]:
    async with kernel.uow(writes=False) as uow:
        ids = list(await uow.session.scalars(select(OutboxRecord.id)))
        unpublished = await uow.session.scalar(
            select(func.count())
            .select_from(OutboxRecord)
            .where(OutboxRecord.published_at.is_(None))
        )
    return ids, int(unpublished or 0)


def observer(settings: Settings) -> Kernel:
    return Kernel.build(settings, agents=[example_agent.agent])


@pytest.mark.parametrize("stack", ["sqlite", "postgres", "postgres+redis"])
async def test_an_event_committed_before_a_sigkill_is_delivered_after_restart(
    stack: str,
    make_settings: Callable[..., Settings],
    nodes: list[Node],
) -> None:
    settings = _settings_or_skip(make_settings, stack)
    kernel = observer(settings)
    try:
        # given a process that committed five notes and was killed before relaying them
        writer = Node(settings, "write", "5")
        nodes.append(writer)
        committed = [line.split()[1] for line in writer.wait_for("committed", 5)]
        writer.kill()
        ids, unpublished = await outbox_ids(kernel)
        assert len(ids) == 5 and unpublished == 5
        assert await effect_counts(kernel) == Counter()
        # when a new process starts
        server = Node(settings, "serve")
        nodes.append(server)
        server.wait_for("started")

        # then every event reaches both handlers exactly once
        async def delivered() -> bool:
            return sum((await effect_counts(kernel)).values()) >= 10

        await eventually(delivered, within=30)
        server.kill()
        counts = await effect_counts(kernel)
        assert set(counts.values()) == {1} and len(counts) == 10
        events = {event for event, _ in counts}
        assert len(events) == 5 and len(committed) == 5
    finally:
        await kernel.stop()


@pytest.mark.parametrize("stack", ["sqlite", "postgres", "postgres+redis"])
async def test_random_sigkills_while_relaying_and_handling_lose_and_repeat_nothing(
    stack: str,
    make_settings: Callable[..., Settings],
    nodes: list[Node],
) -> None:
    settings = _settings_or_skip(make_settings, stack)
    kernel = observer(settings)
    rng = random.Random(20261122)
    try:
        # given a process that writes, relays and handles events, killed at random moments
        for _ in range(6):
            node = Node(settings, "churn")
            nodes.append(node)
            node.wait_for("started")
            await asyncio.sleep(rng.uniform(0.1, 0.8))
            node.kill()
        # when a last process runs until the outbox is drained
        final = Node(settings, "serve")
        nodes.append(final)
        final.wait_for("started")

        async def drained() -> bool:
            ids, unpublished = await outbox_ids(kernel)
            return unpublished == 0 and sum((await effect_counts(kernel)).values()) >= 2 * len(ids)

        await eventually(drained, within=60)
        final.kill()
        # then every committed event was handled exactly once by each handler
        ids, _ = await outbox_ids(kernel)
        counts = await effect_counts(kernel)
        assert len(ids) > 10
        assert {
            (event, handler) for event in ids for handler in ("count_note", "audit_note")
        } == set(counts)
        assert max(counts.values()) == 1
    finally:
        await kernel.stop()


def _settings_or_skip(make_settings: Callable[..., Settings], stack: str) -> Settings:
    from tests.conftest import PG_URL, REDIS_URL

    if stack != "sqlite" and not PG_URL:
        pytest.skip("MERCATO_TEST_DATABASE_URL is not set")
    if stack.endswith("redis") and not REDIS_URL:
        pytest.skip("MERCATO_TEST_BROKER_URL is not set")
    return make_settings(stack)
