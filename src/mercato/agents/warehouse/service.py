"""Warehouse commands and queries: the only code that writes the warehouse agent's tables.
Every function takes the caller's unit of work and never commits.

Other agents use this module (`from mercato.agents.warehouse import service as warehouse`);
the shipping agent asks `choose_packages` which boxes a shipment's units go in.
"""

from __future__ import annotations

from mercato.agents.warehouse.boxes import OWN_PACKAGING, Package
from mercato.agents.warehouse.counting import (
    CountView,
    cancel_count,
    complete,
    create_count,
    get_count,
    list_counts,
    record,
)
from mercato.agents.warehouse.layout import (
    BinView,
    create_bin,
    create_zone,
    get_bin,
    get_zone,
    list_bins,
    list_zones,
    skus_of,
)
from mercato.agents.warehouse.packing import (
    DEFAULT_BOXES,
    catalogue,
    choose_packages,
    create_box,
    list_boxes,
    pack,
    spec_of,
)
from mercato.agents.warehouse.pick_views import PickListView, Stop, ToteLine
from mercato.agents.warehouse.picking import (
    cancel_pick_list,
    create_pick_list,
    get_pick_list,
    list_pick_lists,
    pick,
)
from mercato.agents.warehouse.putaway import Suggestion, put_away, suggest
from mercato.agents.warehouse.receiving import (
    PurchaseOrderView,
    cancel_purchase_order,
    create_purchase_order,
    get_purchase_order,
    list_purchase_orders,
    receive,
)
from mercato.agents.warehouse.tasks import act, get_task, list_tasks, open_task

__all__ = [
    "DEFAULT_BOXES",
    "OWN_PACKAGING",
    "BinView",
    "CountView",
    "Package",
    "PickListView",
    "PurchaseOrderView",
    "Stop",
    "Suggestion",
    "ToteLine",
    "act",
    "cancel_count",
    "cancel_pick_list",
    "cancel_purchase_order",
    "catalogue",
    "choose_packages",
    "complete",
    "create_bin",
    "create_box",
    "create_count",
    "create_pick_list",
    "create_purchase_order",
    "create_zone",
    "get_bin",
    "get_count",
    "get_pick_list",
    "get_purchase_order",
    "get_task",
    "get_zone",
    "list_bins",
    "list_boxes",
    "list_counts",
    "list_pick_lists",
    "list_purchase_orders",
    "list_tasks",
    "list_zones",
    "open_task",
    "pack",
    "pick",
    "put_away",
    "receive",
    "record",
    "skus_of",
    "spec_of",
    "suggest",
]
