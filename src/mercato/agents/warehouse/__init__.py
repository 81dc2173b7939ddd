"""The warehouse agent: zones and bins of each inventory location and what each bin holds,
purchase orders received into inventory and put away, pick lists walked in a serpentine,
packing with the cheapest boxes that fit, cycle counts booked to inventory's ledger, and the
tasks of the people doing the work. Seed 003 Warehouse."""

from __future__ import annotations

from pathlib import Path

from mercato.agents.warehouse import access as access  # grants the permission
from mercato.agents.warehouse.api import router
from mercato.kernel.agent import Agent

agent = Agent(
    name="warehouse",
    description="Zones, bins, receiving and putaway, pick lists, packing, cycle counts, tasks",
    router=router,
    tables=[
        "warehouse_zones",
        "warehouse_bins",
        "warehouse_bin_stock",
        "warehouse_purchase_orders",
        "warehouse_purchase_order_lines",
        "warehouse_receipts",
        "warehouse_pick_lists",
        "warehouse_pick_lines",
        "warehouse_boxes",
        "warehouse_packings",
        "warehouse_cycle_counts",
        "warehouse_cycle_count_lines",
        "warehouse_tasks",
    ],
    web=Path(__file__).parent / "web",
)
