"""The warehouse agent's problem types (problem+json, stable codes)."""

from __future__ import annotations

from mercato.kernel.errors import NotFound, Problem


class InvalidWarehouseRequest(Problem):
    status, code, title = 422, "invalid_warehouse_request", "The request is not valid"


class ZoneNotFound(NotFound):
    code, title = "zone_not_found", "No such zone"


class BinNotFound(NotFound):
    code, title = "bin_not_found", "No such bin"


class PurchaseOrderNotFound(NotFound):
    code, title = "purchase_order_not_found", "No such purchase order"


class PickListNotFound(NotFound):
    code, title = "pick_list_not_found", "No such pick list"


class PickLineNotFound(NotFound):
    code, title = "pick_line_not_found", "No such line on this pick list"


class CountNotFound(NotFound):
    code, title = "cycle_count_not_found", "No such cycle count"


class TaskNotFound(NotFound):
    code, title = "task_not_found", "No such task"


class OrderNotFound(NotFound):
    code, title = "order_not_found", "No such order"


class CodeTaken(Problem):
    status, code, title = 409, "warehouse_code_taken", "The code is already used"


class PurchaseOrderClosed(Problem):
    status, code, title = 409, "purchase_order_closed", "The purchase order takes no receipts"


class NotOnPurchaseOrder(Problem):
    status, code, title = 422, "not_on_purchase_order", "The variant is not on the order"


class BinShort(Problem):
    status, code, title = 409, "bin_short", "The bin does not hold the units"


class Unlocated(Problem):
    status, code, title = 409, "more_than_unlocated", "More units than the location holds"


class OrderNotPickable(Problem):
    status, code, title = 409, "order_not_pickable", "The order cannot be picked"


class PickListClosed(Problem):
    status, code, title = 409, "pick_list_closed", "The pick list is closed"


class OverPick(Problem):
    status, code, title = 409, "over_pick", "More units than the line asks for"


class CountClosed(Problem):
    status, code, title = 409, "cycle_count_closed", "The cycle count is closed"


class CountStale(Problem):
    status, code, title = 409, "cycle_count_stale", "The bin changed: count it again"


class InvalidTransition(Problem):
    status, code, title = 409, "invalid_task_transition", "The task cannot do that now"


class NoFreeBin(Problem):
    status, code, title = 409, "no_free_bin", "No storage bin to put the units in"


# Inventory's problems that reach the warehouse's routes through inventory's service: the
# same codes, declared on these routes (the service does not export the classes).


class LocationNotFound(NotFound):
    code, title = "location_not_found", "No such location"


class UnknownVariant(NotFound):
    code, title = "unknown_variant", "No such variant"


class InvalidStockRequest(Problem):
    status, code, title = 422, "invalid_stock_request", "The stock request is not valid"


class StockLimitExceeded(Problem):
    status, code, title = 409, "stock_limit_exceeded", "A stock row would hold too many units"
