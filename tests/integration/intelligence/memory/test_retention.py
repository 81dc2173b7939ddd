"""The memory keeps what users asked only so long (seed 001 property 43): after a purge,
exactly the conversation turns and past questions younger than the policy's limits remain,
in every store, by the daily job."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, select

from mercato.agents.intelligence.ask.scope import Scope
from mercato.agents.intelligence.memory import JOBS
from mercato.agents.intelligence.memory.models import IntelConversationTurn, IntelPastQuestion
from mercato.agents.intelligence.memory.retention import (
    PURGE_JOB,
    MemoryPolicy,
    purge,
    purge_all,
)
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from tests.integration.intelligence.memory.support import EXAMPLES, Store, memory_store

DAY = timedelta(days=1)
ages = st.lists(
    st.one_of(
        st.integers(0, 500 * 24).map(lambda hours: timedelta(hours=hours)),
        st.sampled_from([0, 1, 89, 90, 91, 364, 365, 366]).map(lambda days: days * DAY),
    ),
    max_size=10,
)


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Store]:
    async with memory_store(settings) as found:
        yield found


def _add(uow: UnitOfWork, store: Store, kind: str, age: timedelta) -> None:
    at = store.clock.now() - age
    if kind == "turn":
        uow.session.add(
            IntelConversationTurn(
                id=new_id(),
                conversation_id="c",
                user_id="u",
                query_id="q",
                question="?",
                scope=Scope().as_dict(),
                intents=[],
                created_at=at,
            )
        )
    else:
        uow.session.add(
            IntelPastQuestion(
                id=new_id(),
                user_id="u",
                question="?",
                report_id="r",
                embedding=None,
                created_at=at,
            )
        )


async def _kept(store: Store) -> tuple[list[timedelta], list[timedelta]]:
    now = store.clock.now()
    async with store.kernel.uow(writes=False) as uow:
        turns = await uow.session.scalars(select(IntelConversationTurn.created_at))
        questions = await uow.session.scalars(select(IntelPastQuestion.created_at))
        return sorted(now - t for t in turns), sorted(now - t for t in questions)


@pytest.mark.seed_property(43)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(
    turn_ages=ages,
    question_ages=ages,
    policy=st.builds(
        MemoryPolicy, conversation_days=st.integers(1, 400), question_days=st.integers(1, 400)
    ),
)
async def test_property_43_after_a_purge_exactly_the_rows_younger_than_the_policy_remain(
    store: Store, turn_ages: list[timedelta], question_ages: list[timedelta], policy: MemoryPolicy
) -> None:
    async with store.kernel.uow() as uow:
        # given conversation turns and past questions of random ages (and no others)
        await uow.session.execute(delete(IntelConversationTurn))
        await uow.session.execute(delete(IntelPastQuestion))
        for age in turn_ages:
            _add(uow, store, "turn", age)
        for age in question_ages:
            _add(uow, store, "question", age)
        await uow.session.flush()

        # when the store is purged by the policy
        deleted = await purge(uow, now=store.clock.now(), policy=policy)
        await uow.commit()

    # then exactly the rows younger than their limit remain, and the count says how many went
    turns_kept, questions_kept = await _kept(store)
    assert turns_kept == sorted(a for a in turn_ages if a < policy.conversation_days * DAY)
    assert questions_kept == sorted(a for a in question_ages if a < policy.question_days * DAY)
    assert deleted == {
        "intel_conversation_turns": len(turn_ages) - len(turns_kept),
        "intel_past_questions": len(question_ages) - len(questions_kept),
    }


async def test_the_daily_job_purges_every_store(store: Store) -> None:
    # given old and recent rows in two stores
    for tenant in ("default", "shop-b"):
        with bind(tenant_id=tenant):
            async with store.kernel.uow() as uow:
                for age in (1 * DAY, 100 * DAY, 400 * DAY):
                    _add(uow, store, "turn", age)
                    _add(uow, store, "question", age)
                await uow.commit()

    # when the scheduled purge runs with the default policy (90 and 365 days)
    deleted = await purge_all(store.kernel)

    # then each store keeps only its recent rows
    assert deleted == {"intel_conversation_turns": 4, "intel_past_questions": 2}
    for tenant in ("default", "shop-b"):
        with bind(tenant_id=tenant):
            assert await _kept(store) == ([1 * DAY], [1 * DAY, 100 * DAY])
    # and the job runs daily, not at every start
    assert PURGE_JOB in JOBS and PURGE_JOB.seconds(store.kernel.settings) == 86_400
    assert PURGE_JOB.at_start is False
