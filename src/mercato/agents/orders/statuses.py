"""An order's statuses, and its payment's as the order sees it (stored as these strings)."""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class OrderPaymentStatus(StrEnum):
    PENDING = "pending"
    AUTHORIZED = "authorized"
    PAID = "paid"
    FAILED = "failed"
    VOIDED = "voided"
    """An authorization released without taking money (a cancelled order)."""
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


CANCELLABLE = (OrderStatus.PENDING, OrderStatus.CONFIRMED)
"""Statuses an order may be cancelled (or modified) in: before it ships."""
