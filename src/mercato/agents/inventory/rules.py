"""Inventory's business rules: reservations expire (BR018), and a stock feed far from the
system's count waits for a person (BR019, the inventory_sync workflow)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from mercato.agents.inventory.statuses import ReservationStatus
from mercato.kernel.rules import business_rule


@business_rule(
    "BR018",
    name="reservation_expiry",
    entity="inventory",
    condition="a stock reservation is committed, or the sweeper looks at it",
    constraint=(
        "a reservation holds stock for at most its expiry (15 minutes by default) unless "
        "its order was confirmed (allocated); an expired reservation cannot be committed"
    ),
    status=409,
)
def reservation_holds(*, status: str, expires_at: datetime, now: datetime) -> bool:
    """True while the reservation still holds its stock: allocated to a confirmed order, or
    active and not yet expired."""
    return status == ReservationStatus.ALLOCATED or (
        status == ReservationStatus.ACTIVE and now < expires_at
    )


@business_rule(
    "BR019",
    name="sync_discrepancy_review",
    entity="product",
    condition="a warehouse stock feed line is compared with the system (inventory_sync)",
    constraint=(
        "a stock feed differing from the system by more than 10 % is not applied "
        "without manual review"
    ),
    status=409,
)
def within_sync_threshold(*, system_on_hand: int, feed_on_hand: int, threshold: Decimal) -> bool:
    """True when the feed may be applied without review: |feed - system| / max(system, 1)
    is at most the threshold (exact, in Decimal)."""
    difference = Decimal(abs(feed_on_hand - system_on_hand))
    return difference / Decimal(max(system_on_hand, 1)) <= threshold
