"""The reviews agent's business rules as registered: BR015 (rating 1 to 5), BR016 (one review
per customer and product, a conflict), BR025 (verified needs a delivered order)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.reviews import rules as _rules  # noqa: F401 - registers the rules
from mercato.kernel import rules
from mercato.kernel.rules import RuleViolated


@pytest.mark.business_rule("BR015")
@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=-1000, max_value=1000))
def test_a_rating_holds_exactly_from_one_to_five(rating: int) -> None:
    assert rules.evaluate("BR015", rating=rating) == (1 <= rating <= 5)


@pytest.mark.business_rule("BR015")
async def test_a_broken_rating_is_a_422_with_the_rules_code() -> None:
    with pytest.raises(RuleViolated) as raised:
        await rules.enforce("BR015", rating=0)
    assert (raised.value.status, raised.value.code) == (422, "br015_rating_range")
    assert rules.evaluate("BR015", rating=True) is False  # a boolean is not a rating


@pytest.mark.business_rule("BR016")
async def test_a_second_review_is_a_409_conflict() -> None:
    await rules.enforce("BR016", existing_review_id=None)
    with pytest.raises(RuleViolated) as raised:
        await rules.enforce("BR016", existing_review_id="r-1")
    assert (raised.value.status, raised.value.code) == (409, "br016_one_review_per_product")


@pytest.mark.business_rule("BR025")
def test_verified_needs_a_delivered_order() -> None:
    assert rules.evaluate("BR025", verified=False, delivered_orders=0)
    assert rules.evaluate("BR025", verified=True, delivered_orders=1)
    assert not rules.evaluate("BR025", verified=True, delivered_orders=0)
    assert rules.get("BR025").entity == "review"
