"""The shipping agent's statuses and kinds."""

from __future__ import annotations

from enum import StrEnum


class ShipmentStatus(StrEnum):
    """A shipment's way: its label bought (`label_created`), handed to the carrier
    (`shipped`), moving, delivered; or a failed attempt (tried again), back to the sender,
    an exception (lost, damaged), or cancelled before it shipped (its label voided)."""

    LABEL_CREATED = "label_created"
    SHIPPED = "shipped"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    FAILED_ATTEMPT = "failed_attempt"
    DELIVERED = "delivered"
    RETURNED_TO_SENDER = "returned_to_sender"
    EXCEPTION = "exception"
    CANCELLED = "cancelled"


ON_THE_WAY = (
    ShipmentStatus.SHIPPED,
    ShipmentStatus.IN_TRANSIT,
    ShipmentStatus.OUT_FOR_DELIVERY,
    ShipmentStatus.FAILED_ATTEMPT,
    ShipmentStatus.EXCEPTION,
)
"""Shipped and not yet delivered or back: a delivery may still come (polling looks here)."""


class ShipmentKind(StrEnum):
    OUTBOUND = "outbound"
    """From a location to the shopper."""
    RETURN = "return"
    """From the shopper back to a location (a return's label)."""


class QuoteSource(StrEnum):
    CARRIER = "carrier"
    """The carrier's own answer."""
    TABLE = "table"
    """The store's rate table (a table carrier, or a carrier that did not answer: EC018)."""
