"""An order's status as analytics keeps it, and which statuses count as sales."""

from __future__ import annotations

from enum import StrEnum


class FactStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


SALES = (FactStatus.CONFIRMED, FactStatus.SHIPPED, FactStatus.DELIVERED)
"""An order is a sale once confirmed, and stays one after shipping and delivery; a cancelled
order leaves the sales (it stays visible as cancelled)."""

_RANK = {
    FactStatus.PENDING: 0,
    FactStatus.CONFIRMED: 1,
    FactStatus.SHIPPED: 2,
    FactStatus.DELIVERED: 3,
    FactStatus.CANCELLED: 4,
}


def later(current: FactStatus, new: FactStatus) -> FactStatus:
    """The status an order has after `new` is heard: statuses only move forward (a cancelled
    order is never confirmed again), so a replayed or redelivered event cannot move an
    order back."""
    return new if _RANK[new] > _RANK[current] else current
