"""Historical context personalizes responses (seed 001 property 42) with the MiniLM model
Mercato ships: a new question finds the user's past question that means the same above one
about something else, and never another user's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import numpy as np
import pytest

from mercato.agents.intelligence.memory import similar
from mercato.kernel.config import Settings
from mercato.kernel.embeddings import encoder
from tests.integration.intelligence.memory.support import Store, memory_store


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Store]:
    async with memory_store(settings) as found:
        yield found


async def _ask(store: Store, user: str, question: str, report_id: str) -> None:
    store.clock.advance(minutes=5)
    async with store.kernel.uow() as uow:
        await similar.record(
            uow, user_id=user, question=question, report_id=report_id, now=store.clock.now()
        )
        await uow.commit()


@pytest.mark.seed_property(42)
async def test_property_42_a_question_finds_the_users_past_question_of_the_same_meaning(
    store: Store,
) -> None:
    if encoder("queries") is None:
        pytest.skip("the MiniLM model cannot be loaded here")
    # given a user's two past questions, and another user's question like the new one
    await _ask(store, "user-a", "why are sales of running shoes falling?", "report-shoes")
    await _ask(store, "user-a", "what do customers think of the blue hoodie", "report-hoodie")
    await _ask(store, "user-b", "why did running shoe sales drop", "report-theirs")

    # when user-a asks about running shoe sales, with no threshold and room for every answer
    async with store.kernel.uow(writes=False) as uow:
        found = await similar.similar(
            uow, user_id="user-a", question="why did running shoe sales drop",
            k=5, min_score=-1.0,
        )  # fmt: skip
        # and with the default threshold
        offered = await similar.similar(
            uow, user_id="user-a", question="why did running shoe sales drop"
        )

    # then the question of the same meaning comes first, the hoodie's after it, and
    # user-b's identical question not at all
    assert [f.report_id for f in found] == ["report-shoes", "report-hoodie"]
    assert found[0].score > found[1].score
    assert found[0].asked_at == store.clock.now() - timedelta(minutes=10)
    # and by default only the one of the same meaning is offered
    assert [f.report_id for f in offered] == ["report-shoes"]
    assert offered[0].as_dict()["question"] == "why are sales of running shoes falling?"


async def test_the_report_being_made_is_not_offered_and_questions_without_a_model_are_kept(
    store: Store,
) -> None:
    # given questions recorded while no model was available, and one with a fake model
    def no_model(texts: list[str]) -> None:
        return None

    def one_axis(texts: list[str]) -> np.ndarray:
        return np.array([[1.0, 0.0] for _ in texts], dtype=np.float32)

    async with store.kernel.uow() as uow:
        now = store.clock.now()
        await similar.record(
            uow, user_id="u", question="a", report_id="r1", now=now, embed=no_model
        )
        await similar.record(
            uow, user_id="u", question="b", report_id="r2", now=now, embed=one_axis
        )
        await uow.commit()

    # when similar questions are looked for, the report being made (r2) left out
    async with store.kernel.uow(writes=False) as uow:
        with_r2 = await similar.similar(uow, user_id="u", question="b", embed=one_axis)
        without = await similar.similar(
            uow, user_id="u", question="b", embed=one_axis, exclude_report_id="r2"
        )
        unavailable = await similar.similar(uow, user_id="u", question="b", embed=no_model)

    # then only the question with a vector is compared; the excluded report is not offered;
    # with no model nothing is
    assert [(f.report_id, f.score) for f in with_r2] == [("r2", 1.0)]
    assert without == [] and unavailable == []
