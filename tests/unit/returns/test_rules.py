"""The returns agent's rules as the registry holds them (BR009, BR010), and what each
condition refunds of what was paid."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mercato.agents.returns import credit
from mercato.agents.returns import rules as _rules
from mercato.agents.returns.handling import refund_for
from mercato.agents.returns.problems import InvalidReturn
from mercato.agents.returns.statuses import OPEN, Condition, ReturnStatus
from mercato.kernel import rules
from mercato.kernel.config import Settings
from mercato.kernel.rules import RuleViolated

del _rules


@pytest.mark.business_rule("BR009")
@pytest.mark.parametrize(
    ("days", "holds"),
    [(0, True), (29.99, True), (30, True), (30.0001, False), (31, False), (400, False)],
)
async def test_br009_a_return_is_asked_within_30_days_of_delivery(days: float, holds: bool) -> None:
    assert await rules.holds("BR009", days_since_delivery=days, window_days=30) is holds


@pytest.mark.business_rule("BR009")
async def test_br009_enforced_is_a_422_with_its_code() -> None:
    with pytest.raises(RuleViolated) as raised:
        await rules.enforce("BR009", days_since_delivery=31, window_days=30)
    assert (raised.value.status, raised.value.code) == (422, "br009_return_window")


@pytest.mark.business_rule("BR010")
@pytest.mark.parametrize(
    ("condition", "refund", "holds"),
    [
        ("original", "40.00", True),
        ("opened", "40.00", False),
        ("opened", "39.99", True),
        ("damaged", "40.00", False),
        ("damaged", "20.00", True),
        ("missing", "40.00", False),
    ],
)
async def test_br010_only_an_original_item_is_refunded_in_full(
    condition: str, refund: str, holds: bool
) -> None:
    facts = {"condition": condition, "refund": Decimal(refund), "paid": Decimal("40.00")}
    assert await rules.holds("BR010", **facts) is holds


@pytest.mark.business_rule("BR010")
async def test_br010_holds_for_an_item_nothing_was_paid_for() -> None:
    facts = {"condition": "damaged", "refund": Decimal(0), "paid": Decimal(0)}
    assert await rules.holds("BR010", **facts) is True


@pytest.mark.business_rule("BR010")
def test_each_condition_refunds_its_part_of_what_was_paid() -> None:
    store = Settings(restocking_fee_percent=Decimal(15), returns_damaged_refund_percent=Decimal(30))
    paid = Decimal("33.33")
    assert refund_for(Condition.ORIGINAL, paid, store, "USD") == paid
    assert refund_for(Condition.OPENED, paid, store, "USD") == Decimal("28.33")
    assert refund_for(Condition.DAMAGED, paid, store, "USD") == Decimal("10.00")
    assert refund_for(Condition.MISSING, paid, store, "USD") == 0
    assert refund_for(Condition.OPENED, Decimal(1000), store, "JPY") == Decimal(850)


def test_open_returns_hold_their_units_until_refunded_rejected_or_cancelled() -> None:
    closed = set(ReturnStatus) - set(OPEN)
    assert closed == {ReturnStatus.REFUNDED, ReturnStatus.REJECTED, ReturnStatus.CANCELLED}


def test_a_guests_credit_is_kept_by_their_email() -> None:
    assert credit.owner_of(customer_id=None, email=" Ana@Example.com ") == "email:ana@example.com"
    assert credit.owner_of(customer_id="c-1", email="ana@example.com") == "customer:c-1"
    with pytest.raises(InvalidReturn):
        credit.owner_of(customer_id=None, email=None)
