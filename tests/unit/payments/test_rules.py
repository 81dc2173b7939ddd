"""The payment rules as checks (BR004, BR007, BR008) and the card checks checkout runs
before a card goes to a gateway (Luhn, expiry, CVV)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from mercato.agents.payments import rules as payment_rules
from mercato.agents.payments.cards import check_card, luhn_valid
from mercato.agents.payments.problems import InvalidCardNumber
from mercato.agents.payments.providers.base import Card
from mercato.kernel import rules
from mercato.kernel.rules import RuleViolated

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
RULES = {
    "BR004": ("payment_amount_match", "payment", 422),
    "BR007": ("card_expiry_future", "payment", 422),
    "BR008": ("cvv_required", "payment", 422),
}


def card(**changes: object) -> Card:
    values: dict[str, object] = {
        "number": "4242424242424242",
        "exp_month": 12,
        "exp_year": 2030,
        "cvc": "123",
    }
    values.update(changes)
    return Card(**values)  # type: ignore[arg-type]


def test_the_payment_rules_are_registered_from_the_payments_agent() -> None:
    for rule_id, (name, entity, status) in RULES.items():
        rule = rules.get(rule_id)
        assert (rule.name, rule.entity, rule.status) == (name, entity, status)
        assert rule.check.__module__ == payment_rules.__name__


@pytest.mark.business_rule("BR004")
@pytest.mark.parametrize(
    ("amount", "total", "capture", "holds"),
    [
        ("100.00", "100.00", False, True),
        ("99.99", "100.00", False, False),
        ("100.01", "100.00", False, False),
        ("40.00", "100.00", True, True),
        ("100.00", "100.00", True, True),
        ("100.01", "100.00", True, False),
        ("0", "100.00", True, False),
    ],
)
async def test_br004_the_payment_matches_the_order_total(
    amount: str, total: str, capture: bool, holds: bool
) -> None:
    facts = {"amount": Decimal(amount), "order_total": Decimal(total), "capture": capture}
    assert await rules.holds("BR004", **facts) is holds


@pytest.mark.business_rule("BR007")
@pytest.mark.parametrize(
    ("month", "year", "holds"),
    [
        (6, 2026, True),  # valid to the end of its month
        (5, 2026, False),
        (12, 2025, False),
        (1, 2027, True),
        (7, 26, True),  # two-digit years are this century's
        (13, 2030, False),
        (0, 2030, False),
    ],
)
async def test_br007_a_card_is_valid_to_the_end_of_its_expiry_month(
    month: int, year: int, holds: bool
) -> None:
    assert await rules.holds("BR007", exp_month=month, exp_year=year, now=NOW) is holds


@pytest.mark.business_rule("BR007")
async def test_br007_an_expired_card_is_refused_with_its_code() -> None:
    with pytest.raises(RuleViolated) as refused:
        await check_card(card=card(exp_month=5, exp_year=2026), now=NOW)
    assert (refused.value.status, refused.value.code) == (422, "br007_card_expiry_future")


@pytest.mark.business_rule("BR008")
@pytest.mark.parametrize(
    ("cvc", "holds"),
    [("123", True), ("1234", True), (None, False), ("", False), ("12", False),
     ("12345", False), ("12a", False), ("١٢٣", False)],
)  # fmt: skip
async def test_br008_a_card_needs_a_3_or_4_digit_cvv(cvc: str | None, holds: bool) -> None:
    assert await rules.holds("BR008", cvc=cvc) is holds


@pytest.mark.business_rule("BR008")
async def test_br008_a_card_without_cvv_is_refused_with_its_code() -> None:
    with pytest.raises(RuleViolated) as refused:
        await check_card(card=card(cvc=None), now=NOW)
    assert (refused.value.status, refused.value.code) == (422, "br008_cvv_required")


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4242424242424242", True),
        ("4000000000000002", True),
        ("4100000000000019", True),
        ("4242424242424241", False),
        ("42424242", False),
        ("4242-4242-4242-4242", False),
    ],
)
def test_luhn(number: str, valid: bool) -> None:
    assert luhn_valid(number) is valid


async def test_a_mistyped_card_number_is_refused_before_the_other_checks() -> None:
    with pytest.raises(InvalidCardNumber) as refused:
        await check_card(card=card(number="4242 4242 4242 4241", cvc=None), now=NOW)
    assert (refused.value.status, refused.value.code) == (422, "invalid_card_number")


async def test_a_good_card_with_spaces_passes() -> None:
    await check_card(card=card(number="4242 4242 4242 4242"), now=NOW)
