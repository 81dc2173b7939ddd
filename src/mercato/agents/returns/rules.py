"""The returns agent's business rules (seed 000's return entity and return_flow), registered
once here and enforced where they apply: BR009 when a return is requested, BR010 when an
inspected item's refund is set."""

from __future__ import annotations

from decimal import Decimal

from mercato.agents.returns.statuses import Condition
from mercato.kernel.rules import business_rule


@business_rule(
    "BR009",
    name="return_window",
    entity="return",
    condition="at a return request (staff may make a recorded exception)",
    constraint="a return must be requested within 30 days of delivery",
    status=422,
)
def within_window(*, days_since_delivery: float, window_days: int) -> bool:
    return days_since_delivery <= window_days


@business_rule(
    "BR010",
    name="return_condition",
    entity="return",
    condition="when an inspected item's refund is set",
    constraint="an item must be in its original condition for a full refund",
    status=422,
)
def full_refund_only_when_original(*, condition: str, refund: Decimal, paid: Decimal) -> bool:
    return condition == Condition.ORIGINAL or refund < paid or paid == 0
