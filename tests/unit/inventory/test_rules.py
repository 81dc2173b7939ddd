"""Inventory's business rules as pure checks (BR018, BR019)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from mercato.agents.inventory import rules as inventory_rules
from mercato.kernel import rules

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
TEN_PERCENT = Decimal("0.10")


def test_both_rules_are_registered_from_the_inventory_agent() -> None:
    for rule_id, name in (("BR018", "reservation_expiry"), ("BR019", "sync_discrepancy_review")):
        rule = rules.get(rule_id)
        assert rule.name == name
        assert rule.check.__module__ == inventory_rules.__name__


@pytest.mark.business_rule("BR018")
@pytest.mark.parametrize(
    ("status", "expires_in", "holds"),
    [
        ("active", timedelta(minutes=15), True),
        ("active", timedelta(microseconds=1), True),
        ("active", timedelta(0), False),  # the expiry itself is already too late
        ("active", -timedelta(minutes=1), False),
        ("released", timedelta(minutes=15), False),
        ("expired", timedelta(minutes=15), False),
        ("committed", timedelta(minutes=15), False),
    ],
)
async def test_br018_a_reservation_holds_only_while_active_and_before_its_expiry(
    status: str, expires_in: timedelta, holds: bool
) -> None:
    assert await rules.holds("BR018", status=status, expires_at=NOW + expires_in, now=NOW) is holds


@pytest.mark.business_rule("BR019")
@pytest.mark.parametrize(
    ("system", "feed", "applied"),
    [
        (100, 100, True),
        (100, 110, True),  # exactly 10 %: applied
        (100, 90, True),
        (100, 111, False),
        (100, 89, False),
        (0, 0, True),
        (0, 1, False),  # new stock from nowhere waits for a person
        (1, 0, False),
        (7, 8, False),  # one unit is 14 % of seven
    ],
)
async def test_br019_a_feed_beyond_10_percent_of_the_system_needs_review(
    system: int, feed: int, applied: bool
) -> None:
    facts = {"system_on_hand": system, "feed_on_hand": feed, "threshold": TEN_PERCENT}
    assert await rules.holds("BR019", **facts) is applied


async def test_br019_counts_as_enforced_when_evaluated() -> None:
    before = rules.enforcement_counts()["BR019"]
    await rules.holds("BR019", system_on_hand=10, feed_on_hand=10, threshold=TEN_PERCENT)
    assert rules.enforcement_counts()["BR019"] == before + 1
