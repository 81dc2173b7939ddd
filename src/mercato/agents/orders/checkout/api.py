"""`POST /v1/checkout`: parse, turn the card into the gateway's token, run the saga, answer.

The saga row is the idempotency record (`run.py`): the first request with a key starts it
and waits for its end; a repeat gets the first answer with `Idempotent-Replayed: true`, 409
while it still runs, 422 if its body differs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response

from mercato.agents.cart.service import CartNotActive, CartNotFound
from mercato.agents.inventory.service import InsufficientStock
from mercato.agents.orders import rules  # noqa: F401  (registers BR005, named in responses)
from mercato.agents.orders.checkout.problems import (
    CartNotCheckoutable,
    CartPricesChanged,
    CheckoutFailed,
    CheckoutInProgress,
    IdempotencyKeyRequired,
    IdempotencyKeyReused,
    PaymentRequired,
)
from mercato.agents.orders.checkout.run import check_out
from mercato.agents.orders.checkout.schemas import CheckoutIn, CheckoutOut
from mercato.agents.payments.service import (
    InvalidCardNumber,
    PaymentDeclined,
    PaymentGatewayUnavailable,
)
from mercato.kernel.auth import CurrentPrincipal, PermissionCheck, Principal
from mercato.kernel.errors import Unauthorized
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

router = APIRouter(tags=["checkout"])


class SessionRequired(Unauthorized):
    code = "session_required"


class ShopperCheck(PermissionCheck):
    """`require("checkout:use")`, telling an anonymous caller to start a session first."""

    async def __call__(self, request: Request, principal: CurrentPrincipal) -> Principal:
        try:
            return await super().__call__(request, principal)
        except Unauthorized:
            if principal.kind == "anonymous":
                raise SessionRequired(
                    "check out as a signed-in shopper or with a guest session "
                    "(POST /v1/sessions, then X-Session-Token)"
                ) from None
            raise


Shopper = Annotated[Principal, Depends(ShopperCheck("checkout:use"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


@router.post(
    "/checkout",
    status_code=201,
    response_model=CheckoutOut,
    summary="Check a cart out: one order, its stock reserved and its payment authorized",
    responses={
        202: {"model": CheckoutOut, "description": "Payment outcome being reconciled"},
        **problems(
            SessionRequired,
            IdempotencyKeyRequired,
            IdempotencyKeyReused,
            CheckoutInProgress,
            CartNotFound,
            CartNotActive,
            CartPricesChanged,
            InsufficientStock,
            CartNotCheckoutable,
            PaymentRequired,
            InvalidCardNumber,
            PaymentDeclined,
            PaymentGatewayUnavailable,
            CheckoutFailed,
            "BR002",
            "BR005",
            "BR007",
            "BR008",
        ),
    },
)
async def checkout(
    body: CheckoutIn,
    request: Request,
    response: Response,
    kernel: KernelDep,
    principal: Shopper,
    idempotency_key: IdempotencyKey = None,
) -> CheckoutOut:
    outcome = await check_out(
        kernel,
        body=body,
        principal=principal,
        idempotency_key=idempotency_key,
        ip=request.client.host if request.client else None,
    )
    if outcome.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    response.status_code = outcome.status
    return outcome.body
