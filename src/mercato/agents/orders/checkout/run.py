"""Running a checkout for a shopper: its idempotency record (the saga's row, `requests.py`),
the card turned into the gateway's token, the saga run to its end. `POST /v1/checkout` and
the assistant's confirmed checkout both come here.

A repeat of a key gets the first answer (`replayed`), 409 while it still runs, 422 if its
body differs."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from mercato.agents.orders.checkout.answers import answer
from mercato.agents.orders.checkout.problems import CheckoutInProgress, IdempotencyKeyReused
from mercato.agents.orders.checkout.requests import request_hash, saga_data, saga_id_for
from mercato.agents.orders.checkout.schemas import CheckoutIn, CheckoutOut
from mercato.agents.orders.checkout.sources import payment_source
from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.ids import new_id
from mercato.kernel.saga import SagaResult


@dataclass(frozen=True)
class Outcome:
    status: int
    """201 confirmed, 202 its payment's outcome being reconciled."""
    body: CheckoutOut
    replayed: bool


async def check_out(
    kernel: Kernel,
    *,
    body: CheckoutIn,
    principal: Principal,
    idempotency_key: str | None,
    ip: str | None,
    channel: str | None = None,
) -> Outcome:
    saga_id = saga_id_for(principal, idempotency_key)
    digest = request_hash(body)
    first = await kernel.sagas.get(saga_id)  # a repeat never reaches the gateway again
    if first is not None:
        return _replayed(_same_request(first, digest))
    now = kernel.clock.now()
    source = await payment_source(kernel, body.payment, now=now) if body.payment else None
    data = saga_data(
        body,
        principal=principal,
        source=source,
        ip=ip,
        placed_at=now,
        order_id=new_id(),
        payment_id=new_id(),
        channel=channel or ("api" if principal.kind == "system" else "web"),
    )
    try:
        run = kernel.sagas.start("checkout", data, tenant_id=principal.tenant_id, saga_id=saga_id)
        # a client that hangs up does not stop a checkout half-way
        result = await asyncio.shield(asyncio.ensure_future(run))
    except IntegrityError:  # a concurrent request with the key started it first
        first = await kernel.sagas.get(saga_id)
        if first is None:  # its insert rolled back: let the client retry
            raise CheckoutInProgress("a checkout with this key was just starting: retry") from None
        return _replayed(_same_request(first, digest))
    status, out = answer(result)
    return Outcome(status, out, replayed=False)


def _same_request(first: SagaResult, digest: str) -> SagaResult:
    if first.data.get("request_hash") != digest:
        raise IdempotencyKeyReused(
            "this Idempotency-Key was used for a different checkout request; "
            "use a new key for a new request"
        )
    return first


def _replayed(first: SagaResult) -> Outcome:
    status, out = answer(first)
    return Outcome(status, out, replayed=True)
