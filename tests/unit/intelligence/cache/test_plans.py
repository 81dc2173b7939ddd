"""Token usage minimised through caching (seed 001 property 46): a question's plan is paid
for once, whatever the case, spacing or punctuation it is asked with again."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.cache import cached_plan, normalise_question
from mercato.kernel.context import bind
from tests.unit.intelligence.cache.support import STORE, FakeClock, memory_cache

PROPERTY = settings(max_examples=100, deadline=None, database=None)
QUESTIONS = [
    "How are my prices compared to competitors",
    "What will sell next month",
    "Why are reviews of the kettle negative",
    "which products are at risk of a stockout",
]


@st.composite
def asked(draw: st.DrawFn) -> str:
    """One of the questions, as someone might type it."""
    words = draw(st.sampled_from(QUESTIONS)).split()
    words = [w.upper() if draw(st.booleans()) else w.lower() for w in words]
    spaces = [draw(st.sampled_from([" ", "  ", "\t", " - "])) for _ in words[1:]]
    text = words[0] + "".join(s + w for s, w in zip(spaces, words[1:], strict=True))
    return draw(st.sampled_from(["", "  "])) + text + draw(st.sampled_from(["", "?", "?!", " ."]))


def _tokens(normalised: str) -> int:
    return 100 + len(normalised)


@pytest.mark.seed_property(46)
@PROPERTY
@given(questions=st.lists(asked(), min_size=1, max_size=15))
async def test_property_46_each_distinct_question_is_paid_for_once(questions: list[str]) -> None:
    # given a planner that spends tokens on every call
    cache = memory_cache(FakeClock())
    calls: list[str] = []

    def planner(question: str) -> Any:
        async def plan() -> tuple[dict[str, Any], int]:
            calls.append(question)
            return {"intents": [normalise_question(question)]}, _tokens(
                normalise_question(question)
            )

        return plan

    # when the questions are asked, repeats included
    spent = 0
    with bind(tenant_id=STORE):
        for question in questions:
            found, tokens = await cached_plan(cache, question, planner(question))
            assert found == {"intents": [normalise_question(question)]}
            spent += tokens
    # then only the distinct questions (as normalised) cost tokens, once each
    distinct = {normalise_question(q) for q in questions}
    assert spent == sum(_tokens(n) for n in distinct)
    assert len(calls) == len(distinct)


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("  What's   the PRICE gap?! ", "whats the price gap"),
        ("stock-out risk\tnext week.", "stock out risk next week"),
        ("Ventes: €100 ou plus ?", "ventes 100 ou plus"),
    ],
)
def test_a_question_is_normalised_for_case_spacing_and_punctuation(
    typed: str, normalised: str
) -> None:
    assert normalise_question(typed) == normalised
