"""The orders agent's business rules (seed 000), registered once here and enforced where they
apply: BR005 when an order is placed or its address changes, BR006 when it is cancelled."""

from __future__ import annotations

from mercato.agents.orders.statuses import OrderStatus
from mercato.kernel.rules import business_rule


@business_rule(
    "BR005",
    name="shipping_address_required",
    entity="order",
    condition="at order creation, and when a modification changes the address",
    constraint="orders with physical items must have a shipping address",
    status=422,
)
def shipping_address_present(*, requires_shipping: bool, has_shipping_address: bool) -> bool:
    return has_shipping_address or not requires_shipping


@business_rule(
    "BR006",
    name="cancel_before_ship",
    entity="order",
    condition="at a cancellation request",
    constraint="an order can only be cancelled before shipping",
    status=409,
)
def not_yet_shipped(*, status: str) -> bool:
    return status not in {OrderStatus.SHIPPED, OrderStatus.DELIVERED}
