"""The cart's business rules as pure checks (BR001, BR002, BR003, BR014, BR020), and the
version an `If-Match` header names (EC001)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mercato.agents.cart import rules as cart_rules
from mercato.agents.cart.api import if_match_version
from mercato.kernel import rules
from mercato.kernel.rules import RuleViolated

RULES = {
    "BR001": ("cart_item_quantity_limit", "cart_item", 422),
    "BR002": ("cart_total_minimum", "cart", 422),
    "BR003": ("cart_item_limit", "cart", 422),
    "BR014": ("stock_required_for_sale", "product", 409),
    "BR020": ("cart_abandonment_threshold", "cart", 200),
}


def test_the_cart_rules_are_registered_from_the_cart_agent() -> None:
    for rule_id, (name, entity, status) in RULES.items():
        rule = rules.get(rule_id)
        assert (rule.name, rule.entity, rule.status) == (name, entity, status)
        assert rule.check.__module__ == cart_rules.__name__


@pytest.mark.business_rule("BR001")
@pytest.mark.edge_case("EC007")
@pytest.mark.parametrize(
    ("quantity", "holds"), [(-1, False), (0, False), (1, True), (99, True), (100, False)]
)
async def test_br001_a_line_holds_1_to_99(quantity: int, holds: bool) -> None:
    assert await rules.holds("BR001", quantity=quantity) is holds


async def test_br001_is_enforced_with_its_code() -> None:
    with pytest.raises(RuleViolated) as refused:
        await rules.enforce("BR001", quantity=100)
    assert (refused.value.status, refused.value.code) == (422, "br001_cart_item_quantity_limit")


@pytest.mark.business_rule("BR002")
@pytest.mark.edge_case("EC010")
@pytest.mark.parametrize(
    ("total", "all_free", "holds"),
    [
        ("0.99", False, False),
        ("1.00", False, True),
        ("250.00", False, True),
        ("0.00", True, True),  # a cart of free products checks out (EC010)
        ("0.00", False, False),
    ],
)
async def test_br002_a_total_of_at_least_one_unless_all_free(
    total: str, all_free: bool, holds: bool
) -> None:
    assert await rules.holds("BR002", total=Decimal(total), all_free=all_free) is holds


@pytest.mark.business_rule("BR003")
@pytest.mark.edge_case("EC006")
@pytest.mark.parametrize(("lines", "holds"), [(1, True), (100, True), (101, False)])
async def test_br003_at_most_100_distinct_lines(lines: int, holds: bool) -> None:
    assert await rules.holds("BR003", lines=lines) is holds


@pytest.mark.business_rule("BR014")
@pytest.mark.parametrize(
    ("quantity", "available", "holds"),
    [(1, 1, True), (5, 5, True), (6, 5, False), (1, 0, False), (1, -2, False)],
)
async def test_br014_stock_must_cover_the_line(quantity: int, available: int, holds: bool) -> None:
    assert await rules.holds("BR014", quantity=quantity, available=available) is holds


@pytest.mark.business_rule("BR020")
@pytest.mark.parametrize(
    ("items", "idle", "announced", "abandoned"),
    [
        (1, 3599, False, False),
        (1, 3600, False, True),
        (3, 90_000, False, True),
        (0, 90_000, False, False),  # an empty cart is never abandoned
        (1, 90_000, True, False),  # announced once
    ],
)
async def test_br020_a_cart_with_items_idle_for_an_hour_is_abandoned_once(
    items: int, idle: int, announced: bool, abandoned: bool
) -> None:
    facts = {
        "items": items,
        "idle_seconds": idle,
        "threshold_seconds": 3600,
        "already_announced": announced,
    }
    assert await rules.holds("BR020", **facts) is abandoned


@pytest.mark.edge_case("EC001")
@pytest.mark.parametrize(
    ("header", "version"),
    [
        (None, None),
        ("*", None),
        ('"7"', 7),
        ('W/"7"', 7),
        ("7", 7),
        ('"seven"', -1),
        ("", -1),
        ('"\u00b2"', -1),  # a superscript two: `isdigit`, but not a number `int` reads
        ('"\u0663"', -1),  # an Arabic-Indic three: a digit, but no version this API issued
        ('"' + "9" * 5000 + '"', -1),  # more digits than `int` reads
    ],
)
def test_ec001_if_match_names_the_version_the_client_saw(
    header: str | None, version: int | None
) -> None:
    assert if_match_version(header) == version
