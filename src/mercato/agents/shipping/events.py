"""The shipping agent's events (seed 003 Shipping): a shipment's label, its leaving, its
tracking milestones. Returns' parcels publish the same events with `kind` "return"."""

from __future__ import annotations

from typing import ClassVar

from mercato.kernel.events import Event


class ShipmentEvent(Event):
    shipment_id: str
    number: str
    kind: str
    order_id: str
    order_number: str
    carrier: str
    service: str
    tracking_number: str | None
    return_id: str | None = None


class ShipmentCreated(ShipmentEvent):
    event_type: ClassVar[str] = "shipment.created"
    lines: dict[str, int]
    """Order line id → units."""


class ShipmentShipped(ShipmentEvent):
    event_type: ClassVar[str] = "shipment.shipped"
    lines: dict[str, int]


class ShipmentInTransit(ShipmentEvent):
    event_type: ClassVar[str] = "shipment.in_transit"
    status: str
    description: str


class ShipmentDelivered(ShipmentEvent):
    event_type: ClassVar[str] = "shipment.delivered"
    lines: dict[str, int]


class DeliveryFailed(ShipmentEvent):
    """A delivery attempt failed (no one home, no access): the carrier tries again."""

    event_type: ClassVar[str] = "delivery.failed"
    attempts: int
    description: str


class ShipmentException(ShipmentEvent):
    """The carrier cannot deliver it as it stands (lost, damaged) or sent it back."""

    event_type: ClassVar[str] = "shipment.exception"
    status: str
    description: str


class ShipmentCancelled(ShipmentEvent):
    event_type: ClassVar[str] = "shipment.cancelled"
