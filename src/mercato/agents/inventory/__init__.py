"""The inventory agent: locations, stock per variant per location, the ledger of movements,
adjustments, transfers, reorder points and `stock.low`, reservations with an expiry (swept
by a periodic job) for the checkout saga, and warehouse stock feeds (inventory_sync)."""

from __future__ import annotations

from pathlib import Path

from mercato.agents.catalog.ports import AvailableStock
from mercato.agents.inventory import rules as _rules  # registers BR018, BR019
from mercato.agents.inventory import service
from mercato.agents.inventory.api import router
from mercato.agents.inventory.jobs import sweep
from mercato.kernel.agent import Agent, PeriodicJob
from mercato.kernel.auth import grant
from mercato.kernel.bootstrap import Kernel

del _rules

# Not merchants: stock, its ledger, reservations and feeds are the whole store's, and
# nothing in them is scoped to one merchant's products.
grant("support", "inventory:read")
grant("system", "inventory:read", "inventory:write")


def setup(kernel: Kernel) -> None:
    """The catalog's availability read model asks the stock through its port."""
    kernel.provide(AvailableStock, AvailableStock(of=service.available))


agent = Agent(
    name="inventory",
    description=(
        "Stock per variant and location, its ledger, adjustments, transfers, reorder points, "
        "reservations with expiry, and warehouse stock feeds"
    ),
    router=router,
    setup=setup,
    tables=[
        "inventory_locations",
        "stock_levels",
        "stock_movements",
        "stock_reservations",
        "stock_transfers",
        "inventory_sync_runs",
        "inventory_sync_discrepancies",
    ],
    jobs=[
        PeriodicJob("inventory.expire_reservations", lambda s: s.reservation_sweep_interval, sweep)
    ],
    web=Path(__file__).parent / "web",
)
