"""What a checkout answers, from its saga alone: the first request and every replay of its
`Idempotency-Key` get the same answer, even after the process that ran it died."""

from __future__ import annotations

from typing import Any

from mercato.agents.orders.checkout.problems import CheckoutFailed, CheckoutInProgress
from mercato.agents.orders.checkout.schemas import CheckoutOrderOut, CheckoutOut, OrderLineOut
from mercato.agents.orders.statuses import OrderStatus
from mercato.kernel.saga import PROBLEM, ProblemReplay, SagaResult, SagaStatus


def answer(result: SagaResult) -> tuple[int, CheckoutOut]:
    """(201, the order) once confirmed; (202, the order) while its payment's outcome is
    being reconciled (EC004); the problem that stopped it; 409 while it runs."""
    data = result.data
    if result.status == SagaStatus.COMPLETED:
        order, payment = data["order"], data["payment"]
        status = 201 if order["status"] != OrderStatus.PENDING else 202
        return status, _out(order, payment)
    if not result.status.ended:
        raise CheckoutInProgress("this checkout is still running: ask again in a moment")
    if PROBLEM in data:
        raise ProblemReplay(data[PROBLEM])
    raise CheckoutFailed(
        "the checkout was stopped and undone (nothing was charged); try again",
        checkout_id=result.id,
    )


def _out(order: dict[str, Any], payment: dict[str, Any] | None) -> CheckoutOut:
    payment = payment or {}
    return CheckoutOut(
        order=CheckoutOrderOut(
            id=order["id"],
            number=order["number"],
            status=order["status"],
            payment_status=order["payment_status"],
            review=order.get("review") or payment.get("review"),
            total=order["total"],
            currency=order["currency"],
            placed_at=order["placed_at"],
            lines=[OrderLineOut(**line) for line in order["lines"]],
        ),
        payment={
            key: payment.get(key)
            for key in ("id", "provider", "status", "card_brand", "card_last4", "review")
        },
    )
