"""Why a checkout stops, as the problems its client sees: the cart's own problems at
checkout (EC013 price changes, stock, the cart's rules) and a payment that failed."""

from __future__ import annotations

from typing import Any

from mercato.agents.cart.service import CartView
from mercato.agents.inventory.service import InsufficientStock
from mercato.agents.orders.checkout.problems import CartNotCheckoutable, CartPricesChanged
from mercato.agents.payments import service as payments
from mercato.kernel.errors import Problem

_STOCK = {"out_of_stock", "insufficient_stock"}


def require_checkoutable(view: CartView) -> None:
    """Stop at the first kind of problem the shopper must act on: changed prices (accept
    them), then stock (the lines, as inventory names them), then anything else."""
    if view.valid:
        return
    items = {item.id: item for item in view.items}
    changed = [p for p in view.problems if p.code == "price_changed"]
    if changed:
        raise CartPricesChanged(
            [
                {
                    "item_id": p.item_id,
                    "variant_id": items[p.item_id].variant_id if p.item_id in items else None,
                    **p.extra,
                }
                for p in changed
            ]
        )
    short = [
        (items[p.item_id], p.extra.get("available", 0))
        for p in view.problems
        if p.code in _STOCK and p.item_id in items
    ]
    if short:
        raise InsufficientStock(
            [
                {"variant_id": item.variant_id, "requested": item.quantity, "available": left}
                for item, left in short
            ]
        )
    raise CartNotCheckoutable([_problem(p, view.id) for p in view.problems])


def _problem(problem: Any, cart_id: str) -> dict[str, Any]:
    found = {"code": problem.code, "detail": problem.detail, **problem.extra}
    if problem.item_id:
        found["item_id"] = problem.item_id
    if found.get("removed"):  # checkout changes nothing when it refuses: the code stays
        code = found["discount_code"]
        found["removed"] = False
        found["detail"] = (
            f"the code {code} can no longer be used: take it off the cart "
            f"(DELETE /v1/carts/{cart_id}/codes/{code}) and check out again"
        )
    return found


def failure_problem(info: payments.PaymentInfo) -> Problem:
    """A payment that failed at the gateway: 503 when the gateway could not be reached
    (EC017: nothing was charged, the cart is given back for a retry), else 402."""
    if info.failure_code == "gateway_unavailable":
        return payments.PaymentGatewayUnavailable(
            "the payment gateway is unavailable: nothing was charged; try again shortly "
            "or choose another payment method"
        )
    return payments.PaymentDeclined(info.failure_code or "card_declined")
