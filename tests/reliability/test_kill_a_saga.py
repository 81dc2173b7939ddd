"""Sagas survive SIGKILL: an interrupted saga is resumed by the next process and finishes,
each step taking effect exactly once."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import select

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.saga_models import SagaInstance
from tests.conftest import eventually
from tests.reliability.conftest import Node
from tests.reliability.test_kill_the_bus import _settings_or_skip
from tests.support import example_agent
from tests.support.example_agent import Effect

pytestmark = pytest.mark.reliability


async def saga_state(kernel: Kernel) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    async with kernel.uow(writes=False) as uow:
        statuses = Counter(await uow.session.scalars(select(SagaInstance.status)))
        steps = Counter(
            (saga, step)
            for saga, step in await uow.session.execute(select(Effect.event_id, Effect.handler))
        )
    return statuses, steps


@pytest.mark.parametrize("stack", ["sqlite", "postgres"])
async def test_sagas_interrupted_by_sigkill_resume_and_finish_after_restart(
    stack: str,
    make_settings: Callable[..., Settings],
    nodes: list[Node],
) -> None:
    settings = _settings_or_skip(make_settings, stack)
    kernel = Kernel.build(settings, agents=[example_agent.agent])
    rng = random.Random(7)
    try:
        # given ten sagas started by a process that is killed part-way through them
        node = Node(settings, "sagas", "10")
        nodes.append(node)
        node.wait_for("created")
        await asyncio.sleep(rng.uniform(0.1, 0.5))
        node.kill()
        statuses, _ = await saga_state(kernel)
        assert statuses["running"] > 0, statuses
        # when another process starts
        resumer = Node(settings, "resume")
        nodes.append(resumer)
        resumer.wait_for("started")

        # then every saga completes, with each step done exactly once
        async def all_completed() -> bool:
            statuses, _ = await saga_state(kernel)
            return statuses == Counter({"completed": 10})

        await eventually(all_completed, within=30)
        _, steps = await saga_state(kernel)
        assert len(steps) == 30 and set(steps.values()) == {1}
        assert {step for _, step in steps} == {"do:one", "do:two", "do:three"}
    finally:
        await kernel.stop()
