"""Budget decisions (seed 001 requirement 19): a budget warns at 80 % and is spent at 100 %
(79, 80), judged in whole tokens; the binding budget is the spent one, else the most used."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.governance.budget import binding, judge

EXAMPLES = settings(max_examples=100, deadline=None, database=None)


@pytest.mark.seed_property(80)
@EXAMPLES
@given(used=st.integers(0, 5_000_000), limit=st.integers(0, 5_000_000))
def test_property_80_a_budget_is_spent_exactly_when_use_reaches_its_limit(
    used: int, limit: int
) -> None:
    # when usage is judged against a budget
    found = judge(
        used=used, limit=limit, scope="store", period="2026-12", warn_percent=80, user_id=None
    )
    # then it is spent iff used >= limit, and warns iff used >= 80 % of it (exactly)
    assert found.exceeded == (used >= limit)
    assert found.warning == (used * 5 >= limit * 4)
    assert not found.exceeded or found.warning


def test_the_binding_budget_is_the_spent_one_then_the_most_used() -> None:
    # given a store budget half used and a user budget spent
    store = judge(
        used=50, limit=100, scope="store", period="2026-12", warn_percent=80, user_id=None
    )
    user = judge(used=10, limit=10, scope="user", period="2026-12", warn_percent=80, user_id="u")
    # then the user's binds; without a spent one, the store's on a tie
    assert binding([store, user]) == user
    same = judge(used=5, limit=10, scope="user", period="2026-12", warn_percent=80, user_id="u")
    assert binding([store, same]) == store
