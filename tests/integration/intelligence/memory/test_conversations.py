"""A conversation remembers its questions (seed 001 property 32, the storage half): a
follow-up reads the scope and intents of the last question of its own conversation, never
another conversation's or another user's; to anyone but its holder a conversation is
unknown."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from mercato.agents.intelligence.ask.scope import Intent, Period, Scope
from mercato.agents.intelligence.memory import conversations
from mercato.agents.intelligence.memory.models import IntelConversationTurn
from mercato.agents.intelligence.memory.problems import ConversationNotFound
from mercato.kernel.config import Settings
from tests.integration.intelligence.memory.support import EXAMPLES, Store, memory_store

OWNERS = ("user-a", "user-a", "user-b")
"""Who holds each of the example's three conversations."""


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Store]:
    async with memory_store(settings) as found:
        yield found


periods = st.builds(
    lambda start, days, label: Period(start, start + timedelta(days=days), label),
    st.dates(date(2025, 1, 1), date(2026, 12, 1)),
    st.integers(0, 90),
    st.sampled_from(["last month", "the last 7 days", "Q3"]),
)
scopes = st.builds(
    Scope,
    product_ids=st.lists(st.uuids().map(str), max_size=3).map(tuple),
    product_names=st.lists(st.sampled_from(["Trail Runner", "Blue Hoodie"]), max_size=2).map(tuple),
    category_id=st.none() | st.just("cat-shoes"),
    category_name=st.none() | st.just("Shoes"),
    competitor=st.none() | st.sampled_from(["Rival", "Other"]),
    marketplace=st.none() | st.sampled_from(["amazon", "ebay"]),
    period=st.none() | periods,
    filters=st.dictionaries(st.sampled_from(["colour", "size"]), st.sampled_from(["blue", "M"])),
)
turns = st.lists(
    st.tuples(
        st.integers(0, 2),  # which conversation
        st.text(min_size=1, max_size=40),
        scopes,
        st.lists(st.sampled_from(list(Intent)), max_size=3, unique=True),
        st.integers(0, 2),  # seconds before it (0: within the same instant)
    ),
    max_size=8,
)


@pytest.mark.seed_property(32)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(asked=turns)
async def test_property_32_a_follow_up_reads_its_own_conversations_last_question(
    store: Store, asked: list[tuple[int, str, Scope, list[Intent], int]]
) -> None:
    # given questions asked in three new conversations (two of user-a's, one of user-b's)
    ids = [await conversations.new_conversation_id() for _ in OWNERS]
    last: dict[int, tuple[str, Scope, tuple[str, ...]]] = {}
    async with store.kernel.uow() as uow:
        for n, (which, question, scope, intents, gap) in enumerate(asked):
            store.clock.advance(seconds=gap)
            await conversations.remember(
                uow, conversation_id=ids[which], user_id=OWNERS[which], query_id=f"q{n}",
                question=question, scope=scope, intents=intents, now=store.clock.now(),
            )  # fmt: skip
            last[which] = (f"q{n}", scope, tuple(intents))
        await uow.commit()

    async with store.kernel.uow(writes=False) as uow:
        for which, owner in enumerate(OWNERS):
            # when the holder reads the conversation's last turn
            turn = await conversations.last_turn(uow, conversation_id=ids[which], user_id=owner)
            # then it is the last question asked in it: its scope and intents
            if which not in last:
                assert turn is None
                continue
            assert turn is not None
            assert (turn.query_id, turn.scope, turn.intents) == last[which]
            # and to another user the conversation is unknown
            stranger = "user-b" if owner == "user-a" else "user-a"
            with pytest.raises(ConversationNotFound):
                await conversations.last_turn(uow, conversation_id=ids[which], user_id=stranger)


async def test_no_one_adds_to_another_users_conversation(store: Store) -> None:
    # given user-a's conversation
    conversation = await conversations.new_conversation_id()
    async with store.kernel.uow() as uow:
        await conversations.remember(
            uow, conversation_id=conversation, user_id="user-a", query_id="q1",
            question="How is the Trail Runner priced?", scope=Scope(product_ids=("p1",)),
            intents=[Intent.PRICE_POSITION], now=store.clock.now(),
        )  # fmt: skip
        await uow.commit()

    # when user-b asks a question in it
    async with store.kernel.uow() as uow:
        with pytest.raises(ConversationNotFound) as refused:
            await conversations.remember(
                uow, conversation_id=conversation, user_id="user-b", query_id="q2",
                question="and last month?", scope=Scope(), intents=[], now=store.clock.now(),
            )  # fmt: skip
        await uow.commit()

    # then it is refused as unknown, and the conversation is unchanged
    assert refused.value.code == "intel_conversation_not_found"
    async with store.kernel.uow(writes=False) as uow:
        count = await uow.session.scalar(
            select(func.count()).where(IntelConversationTurn.conversation_id == conversation)
        )
        turn = await conversations.last_turn(uow, conversation_id=conversation, user_id="user-a")
    assert count == 1
    assert turn is not None and turn.query_id == "q1" and turn.scope.product_ids == ("p1",)
