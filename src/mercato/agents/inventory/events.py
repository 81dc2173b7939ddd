"""Events the inventory agent publishes (aggregate: the variant, so one variant's stock
events arrive in order). Each names the variant whose availability it changed."""

from __future__ import annotations

from typing import ClassVar

from mercato.kernel.events import Event


class StockChanged(Event):
    """Base of the events that change what is available to sell."""

    variant_id: str
    sku: str
    location_id: str
    quantity: int


class StockAdjusted(StockChanged):
    event_type: ClassVar[str] = "stock.adjusted"
    reason: str
    on_hand: int


class StockTransferred(StockChanged):
    event_type: ClassVar[str] = "stock.transferred"
    to_location_id: str
    transfer_id: str


class StockReserved(StockChanged):
    event_type: ClassVar[str] = "stock.reserved"
    reservation_id: str
    reference: str
    expires_at: str


class StockReleased(StockChanged):
    event_type: ClassVar[str] = "stock.released"
    reservation_id: str
    reference: str
    reason: str  # released | expired


class StockCommitted(StockChanged):
    event_type: ClassVar[str] = "stock.committed"
    reservation_id: str
    reference: str


class StockLow(StockChanged):
    """Available stock at a location fell to or below its reorder point (once per fall)."""

    event_type: ClassVar[str] = "stock.low"
    available: int
    reorder_point: int


class StockSyncHeld(Event):
    """A warehouse feed line differs by more than the threshold: it waits for review."""

    event_type: ClassVar[str] = "stock.sync_held"
    discrepancy_id: str
    variant_id: str
    sku: str
    location_id: str
    system_on_hand: int
    feed_on_hand: int
