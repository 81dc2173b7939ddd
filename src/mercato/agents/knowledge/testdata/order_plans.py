"""Where an order ends: its status and the moments of its milestones, from its scenario
(and the workflow: checkout leaves orders confirmed, return_flow delivered)."""

from __future__ import annotations

from dataclasses import dataclass

from mercato.agents.knowledge.testdata.people import DAY
from mercato.agents.knowledge.testdata.tools import HOUR, MINUTE, SECOND, Tools

REVIEWED = "manual_review"


@dataclass
class Plan:
    """Where an order ends: its status and the moments of its milestones (µs)."""

    status: str
    placed: int
    confirmed: int | None = None
    shipped: int | None = None
    delivered: int | None = None
    cancelled: int | None = None
    refunded: int | None = None
    cancel_reason: str | None = None


def plan_order(t: Tools, scenario: str, *, held: bool = False, status: str | None = None) -> Plan:
    """The order's end: `held` (a total the fraud screening holds) keeps it confirmed
    unless it was cancelled; `status` (confirmed, shipped, delivered) names the end of
    an order that is not cancelled or refunded."""
    now = t.now
    between = t.between
    if scenario in ("cancelled", "card_declined", "abandoned"):
        status = "cancelled"
    elif scenario in ("full_refund", "partial_refund"):
        status = "delivered"
    elif scenario == REVIEWED or held or status == "confirmed":
        status = "confirmed"
    elif status is not None:
        pass
    elif t.workflow == "checkout":
        status = "confirmed"
    elif t.workflow == "return_flow":
        status = "delivered"
    else:
        roll = t.rng.random()
        status = "confirmed" if roll < 0.15 else "shipped" if roll < 0.3 else "delivered"
    if status == "confirmed":
        placed = now - between(5 * MINUTE, 2 * DAY)
    elif status == "shipped":
        placed = now - between(3 * DAY, 6 * DAY)
    elif status == "delivered":
        placed = now - between(20 * DAY, 180 * DAY)
    else:
        placed = now - between(DAY, 60 * DAY)
    plan = Plan(status, placed)
    if scenario == "card_declined":
        plan.cancelled, plan.cancel_reason = placed + 2 * SECOND, "payment_declined"
        return plan
    if scenario == "abandoned":
        plan.cancelled, plan.cancel_reason = (
            placed + 15 * MINUTE + 30 * SECOND,
            ("reservation_expired"),
        )
        return plan
    plan.confirmed = placed + between(SECOND, 5 * SECOND)
    if status == "cancelled":
        plan.cancelled = plan.confirmed + between(10 * MINUTE, DAY)
        plan.cancel_reason = "customer_request"
    if status in ("shipped", "delivered"):
        plan.shipped = plan.confirmed + between(12 * HOUR, 2 * DAY)
    if status == "delivered":
        assert plan.shipped is not None
        plan.delivered = plan.shipped + between(DAY, 5 * DAY)
        if scenario in ("full_refund", "partial_refund"):
            plan.refunded = plan.delivered + between(DAY, 7 * DAY)
    return plan


def outcome(scenario: str, plan: Plan) -> tuple[str, str]:
    """(the payment's outcome, the order's payment status) of an order that pays."""
    if scenario == "card_declined":
        return "declined", "failed"
    if plan.status == "cancelled":
        return "voided", "voided"
    if plan.refunded is not None:
        return "refunded", "refunded" if scenario == "full_refund" else "partially_refunded"
    if plan.shipped is not None:
        return "captured", "paid"
    return "authorized", "authorized"


def shift(plan: Plan, delta: int) -> None:
    for name in ("placed", "confirmed", "shipped", "delivered", "cancelled", "refunded"):
        value = getattr(plan, name)
        if value is not None:
            setattr(plan, name, value + delta)
