"""`POST /v1/checkout`: parse, turn the card into the gateway's token, run the saga, answer.

The saga row is the idempotency record (`requests.py`): the first request with a key
starts it and waits for its end; a repeat gets the first answer with
`Idempotent-Replayed: true`, 409 while it still runs, 422 if its body differs.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from sqlalchemy.exc import IntegrityError

from mercato.agents.cart.service import CartNotActive, CartNotFound
from mercato.agents.inventory.service import InsufficientStock
from mercato.agents.orders import rules  # noqa: F401  (registers BR005, named in responses)
from mercato.agents.orders.checkout.answers import answer
from mercato.agents.orders.checkout.problems import (
    CartNotCheckoutable,
    CartPricesChanged,
    CheckoutFailed,
    CheckoutInProgress,
    IdempotencyKeyRequired,
    IdempotencyKeyReused,
    PaymentRequired,
)
from mercato.agents.orders.checkout.requests import request_hash, saga_data, saga_id_for
from mercato.agents.orders.checkout.schemas import CheckoutIn, CheckoutOut
from mercato.agents.orders.checkout.sources import payment_source
from mercato.agents.payments.service import (
    InvalidCardNumber,
    PaymentDeclined,
    PaymentGatewayUnavailable,
)
from mercato.kernel.auth import CurrentPrincipal, PermissionCheck, Principal
from mercato.kernel.errors import Unauthorized
from mercato.kernel.ids import new_id
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep
from mercato.kernel.saga import SagaResult

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
    saga_id = saga_id_for(principal, idempotency_key)
    digest = request_hash(body)
    first = await kernel.sagas.get(saga_id)  # a repeat never reaches the gateway again
    if first is not None:
        return _replayed(response, _same_request(first, digest))
    now = kernel.clock.now()
    source = await payment_source(kernel, body.payment, now=now) if body.payment else None
    data = saga_data(
        body,
        principal=principal,
        source=source,
        ip=request.client.host if request.client else None,
        placed_at=now,
        order_id=new_id(),
        payment_id=new_id(),
    )
    try:
        run = kernel.sagas.start("checkout", data, tenant_id=principal.tenant_id, saga_id=saga_id)
        # a client that hangs up does not stop a checkout half-way
        result = await asyncio.shield(asyncio.ensure_future(run))
    except IntegrityError:  # a concurrent request with the key started it first
        first = await kernel.sagas.get(saga_id)
        if first is None:  # its insert rolled back: let the client retry
            raise CheckoutInProgress("a checkout with this key was just starting: retry") from None
        return _replayed(response, _same_request(first, digest))
    status, out = answer(result)
    response.status_code = status
    return out


def _same_request(first: SagaResult, digest: str) -> SagaResult:
    if first.data.get("request_hash") != digest:
        raise IdempotencyKeyReused(
            "this Idempotency-Key was used for a different checkout request; "
            "use a new key for a new request"
        )
    return first


def _replayed(response: Response, first: SagaResult) -> CheckoutOut:
    status, out = answer(first)
    response.headers["Idempotent-Replayed"] = "true"
    response.status_code = status
    return out
