"""The problems the inventory agent answers with (each with a stable `code`)."""

from __future__ import annotations

from typing import Any

from mercato.kernel.errors import NotFound, Problem


class LocationNotFound(NotFound):
    code, title = "location_not_found", "No such location"


class LocationCodeTaken(Problem):
    status, code, title = 409, "location_code_taken", "The location code is already used"


class UnknownVariant(NotFound):
    code, title = "unknown_variant", "No such variant or SKU"


class StockLevelNotFound(NotFound):
    code, title = "stock_level_not_found", "No such stock level"


class InvalidStockRequest(Problem):
    """Input the service refuses before writing anything (the edge's schemas catch most)."""

    status, code, title = 422, "invalid_stock_request", "The stock request is not valid"


class SameLocation(Problem):
    status, code, title = 422, "same_location", "A transfer needs two different locations"


class InsufficientStock(Problem):
    """Not enough available stock; `lines` names every short line (variant, requested,
    available)."""

    status, code, title = 409, "insufficient_stock", "Not enough stock available"

    def __init__(self, lines: list[dict[str, Any]], detail: str | None = None) -> None:
        super().__init__(detail or f"{len(lines)} line(s) cannot be served", lines=lines)
        self.lines = lines


class StockLimitExceeded(Problem):
    status, code, title = 409, "stock_limit_exceeded", "The stock row would exceed its maximum"


class ReservationNotFound(NotFound):
    code, title = "reservation_not_found", "No reservation for this reference"


class ReservationNotActive(Problem):
    """BR018: a reservation that expired, was released, or is past its expiry cannot be
    committed."""

    status, code, title = 409, "reservation_not_active", "The reservation is no longer active"


class DiscrepancyNotFound(NotFound):
    code, title = "discrepancy_not_found", "No such sync discrepancy"


class DiscrepancyAlreadyDecided(Problem):
    status, code, title = 409, "discrepancy_already_decided", "The discrepancy was already decided"


class FeedBelowReserved(Problem):
    status, code, title = (
        409,
        "feed_below_reserved",
        "The feed's quantity is below the units reserved at the location",
    )


class StockMovedSinceFeed(Problem):
    """The row's on hand changed after the feed was compared with it: the feed's count no
    longer says what is on the shelf. Count again, or send a new feed."""

    status, code, title = (
        409,
        "stock_moved_since_feed",
        "The stock changed since the feed was taken: count again or send a new feed",
    )


class ReservationMismatch(Problem):
    """A reference that already holds stock reserved again for other lines; `held` lists
    what it holds (variant, quantity)."""

    status, code, title = (
        409,
        "reservation_mismatch",
        "The reference already holds other lines: release it or use a new reference",
    )


class CountBelowReserved(Problem):
    status, code, title = (
        409,
        "count_below_reserved",
        "The count is below the units reserved at the location",
    )


class StockBusy(Problem):
    """A compare-and-set kept losing to concurrent writers; nothing was changed."""

    status, code, title = 409, "stock_busy", "The stock row kept changing: try again"


class InvalidCursor(Problem):
    status, code, title = 400, "invalid_cursor", "Invalid cursor"
