"""The shipping agent's business rules (seed 000's shipment entity), registered once here
and enforced where a shipment moves: BR023 when it ships, BR024 when it is delivered."""

from __future__ import annotations

from mercato.agents.shipping.statuses import ON_THE_WAY, ShipmentStatus
from mercato.kernel.rules import business_rule


@business_rule(
    "BR023",
    name="tracking_number_when_shipped",
    entity="shipment",
    condition="when a shipment ships",
    constraint="a shipment must have a tracking number when it ships",
    status=422,
)
def tracking_number_present(*, tracking_number: str | None) -> bool:
    return bool(tracking_number and tracking_number.strip())


@business_rule(
    "BR024",
    name="no_delivery_before_shipping",
    entity="shipment",
    condition="when a shipment is marked delivered (by staff, a webhook or a poll)",
    constraint="a shipment cannot be delivered before it has shipped",
    status=409,
)
def shipped_before_delivered(*, status: str) -> bool:
    return status in {*ON_THE_WAY, ShipmentStatus.DELIVERED}
