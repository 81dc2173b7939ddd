"""Events the inventory agent publishes (aggregate: the variant, so one variant's stock
events arrive in order). Each names the variant whose availability it changed, except
`stock.received`: one event for a whole delivery, whose aggregate is the receipt, and
`inventory.location_changed`: a location opened or closed, whose aggregate is the
location."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

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


class ReceivedLine(BaseModel):
    """One variant of a receipt (its lines for the variant summed)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    variant_id: str
    sku: str
    quantity: int


class StockReceived(Event):
    """A delivery of many lines (a purchase order arriving, opening stock) was booked in at
    a location: published once per receipt, not once per line (no `stock.adjusted`).
    Aggregate: the receipt's reference."""

    event_type: ClassVar[str] = "stock.received"
    location_id: str
    reference: str
    lines: list[ReceivedLine]


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


class LocationChanged(Event):
    """A location was closed (`active` false: its stock is no longer sold nor reserved) or
    opened again. `variant_ids` are the variants with a stock row there (sorted), whose
    availability may have changed with it. Aggregate: the location."""

    event_type: ClassVar[str] = "inventory.location_changed"
    location_id: str
    active: bool
    variant_ids: list[str]
