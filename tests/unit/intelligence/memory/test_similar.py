"""Similar past questions are chosen by cosine similarity among the user's own (seed 001
property 42, on the pure choice over vectors; the real model's answer is in the integration
tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.memory.similar import Asked, rank

PROPERTY = settings(max_examples=100, deadline=None, database=None)
DIMENSIONS = 8
NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)
vectors = st.lists(
    st.floats(-1, 1, allow_nan=False, width=32), min_size=DIMENSIONS, max_size=DIMENSIONS
).map(lambda v: np.array(v, dtype=np.float32))


@st.composite
def history(draw: st.DrawFn) -> list[Asked]:
    found = []
    for i in range(draw(st.integers(0, 30))):
        found.append(
            Asked(
                user_id=draw(st.sampled_from(["me", "someone-else"])),
                question=f"question {i}",
                report_id=f"r{draw(st.integers(0, 12))}",
                asked_at=NOW - timedelta(hours=draw(st.integers(0, 1000))),
                vector=draw(vectors),
            )
        )
    return found


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    norms = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / max(norms, 1e-12)


@pytest.mark.seed_property(42)
@PROPERTY
@given(
    query=vectors,
    asked=history(),
    k=st.integers(1, 5),
    min_score=st.floats(-1, 0.9),
    excluded=st.sampled_from([None, "r0", "r1"]),
)
def test_property_42_the_closest_of_the_users_own_questions_come_first(
    query: np.ndarray, asked: list[Asked], k: int, min_score: float, excluded: str | None
) -> None:
    # when the past questions most like a new one are chosen for "me"
    found = rank(query, asked, user_id="me", k=k, min_score=min_score, exclude_report_id=excluded)

    # then they are mine only, never the report being made, one per report, at most k,
    # each at least min_score, best first
    mine = [a for a in asked if a.user_id == "me" and a.report_id != excluded]
    by_question = {a.question: a for a in mine}
    assert all(f.question in by_question for f in found)
    assert all(f.report_id != excluded for f in found)
    assert len({f.report_id for f in found}) == len(found) <= k
    assert all(f.score >= min_score for f in found)
    assert [f.score for f in found] == sorted((f.score for f in found), reverse=True)
    # and the first is the most similar of mine, found whenever one reaches min_score
    best = max((_cosine(query, a.vector) for a in mine), default=None)
    if best is not None and best >= min_score + 1e-5:
        assert found and found[0].score == pytest.approx(best, abs=1e-5)
    for f in found:
        assert f.score == pytest.approx(_cosine(query, by_question[f.question].vector), abs=1e-5)
