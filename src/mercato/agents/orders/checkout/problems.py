"""The problems checkout itself answers with (the agents it calls have their own:
`insufficient_stock`, `payment_declined`, `payment_gateway_unavailable`, the BR… rules)."""

from __future__ import annotations

from typing import Any

from mercato.kernel.errors import Problem


class IdempotencyKeyRequired(Problem):
    status, code, title = 400, "idempotency_key_required", "Idempotency-Key header required"


class IdempotencyKeyReused(Problem):
    """The key was used for another checkout request (another body)."""

    status, code, title = 422, "idempotency_key_reused", "Idempotency-Key used for another request"


class CheckoutInProgress(Problem):
    """A checkout with this key is still running: ask again in a moment."""

    status, code, title = 409, "checkout_in_progress", "A checkout with this key is running"


class CartPricesChanged(Problem):
    """EC013: prices moved since the lines were added. The shopper accepts the new prices
    (`POST /v1/carts/{id}/accept-prices`) and checks out again."""

    status, code, title = 409, "cart_prices_changed", "Prices changed since the cart was built"

    def __init__(self, lines: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(lines)} line(s) changed price", lines=lines)


class CartNotCheckoutable(Problem):
    status, code, title = 422, "cart_not_checkoutable", "The cart cannot be checked out"

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        detail = "; ".join(p["detail"] for p in problems)
        super().__init__(detail, problems=problems)


class CheckoutFailed(Problem):
    """The saga ended without a problem of its own to tell (a compensation ran after a
    timeout or a crash)."""

    status, code, title = 503, "checkout_failed", "The checkout could not be completed"


class PaymentRequired(Problem):
    status, code, title = 422, "payment_required", "A payment is required"
