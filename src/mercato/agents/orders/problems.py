"""The orders agent's errors, each with its stable code (rules' violations are the kernel's
`RuleViolated`: `br005_shipping_address_required`, `br006_cancel_before_ship`)."""

from __future__ import annotations

from mercato.kernel.errors import Forbidden, NotFound, Problem


class OrderNotFound(NotFound):
    code, title = "order_not_found", "No such order"


class OrderLineNotFound(NotFound):
    code, title = "order_line_not_found", "No such line in this order"


class NotYourOrder(Forbidden):
    code, title = "not_your_order", "This action on the order is not yours to take"


class OrderNotModifiable(Problem):
    status, code, title = 409, "order_not_modifiable", "The order can no longer be modified"


class OrderStatusConflict(Problem):
    """The order is not in a status this transition starts from."""

    status, code, title = 409, "order_status_conflict", "The order is not in that status"


class OrderUnderReview(Problem):
    status, code, title = (
        409,
        "order_under_review",
        "The order's payment is held for manual review: approve or reject it first",
    )


class OrderVersionConflict(Problem):
    """The order changed since the client read it (`If-Match`): re-read it and try again."""

    status, code, title = 409, "order_version_conflict", "The order was changed by another request"

    def __init__(self, current_version: int, detail: str | None = None) -> None:
        super().__init__(
            detail or "the order changed since you read it: GET it and try again",
            current_version=current_version,
        )
        self.headers = {"ETag": f'"{current_version}"'}


class InvalidModification(Problem):
    status, code, title = 422, "invalid_order_modification", "The modification is not valid"


class InvalidOrderRequest(Problem):
    status, code, title = 422, "invalid_order_request", "The order request is not valid"


class InvalidCursor(Problem):
    status, code, title = 400, "invalid_cursor", "Invalid cursor"


class OrderNotPaid(Problem):
    """Nothing holds the order's money (its authorization failed or was voided)."""

    status, code, title = 409, "order_not_paid", "The order has no payment to capture"


class StockNoLongerHeld(Problem):
    """Part of the order's reservation lapsed (BR018) before it could be confirmed; the
    same code as inventory's, so every caller treats both alike."""

    status, code, title = 409, "reservation_not_active", "The order's stock is no longer held"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, rule="BR018")


class FulfilmentConflict(Problem):
    """More units shipped, delivered or returned than the line has left to."""

    status, code, title = 409, "fulfilment_quantity_conflict", "The line has no such units left"
