"""Events the demand part publishes (aggregate: the product id): the stock of a product will
not meet the forecast demand over the horizon, or far exceeds it. The inventory agent (or
a buyer's tooling) can act on them: reorder, rebalance, mark down. Published when the risk
appears, not again while it lasts (each refresh compares with the last stored forecast)."""

from __future__ import annotations

from typing import ClassVar, Literal

from mercato.kernel.events import Event

Severity = Literal["high", "medium"]


class DemandRisk(Event):
    product_id: str
    variant_ids: list[str]
    horizon: int
    """Days the forecast covers."""
    severity: Severity
    on_hand: int
    """Units available to sell now (the inventory agent's figure)."""
    inbound: int
    """Units on open purchase orders, not yet received."""
    expected_demand: int
    """The forecast's units over the horizon, rounded."""
    model: str


class StockoutRisk(DemandRisk):
    """Stock runs out within the horizon: on `stockout_date` by the forecast itself (high),
    or only if demand reaches the 80 % interval's upper end (medium)."""

    event_type: ClassVar[str] = "demand.stockout_risk"
    stockout_date: str
    shortfall: int
    """Units short by the horizon's end (at the level that raised the risk)."""


class OverstockRisk(DemandRisk):
    """Stock exceeds even the 95 % interval's upper end of the horizon's demand by the
    store's margin: `excess` units will still be there at its end."""

    event_type: ClassVar[str] = "demand.overstock_risk"
    excess: int
