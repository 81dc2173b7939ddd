"""The checkout the assistant runs once the shopper confirmed it in the chat: the same request,
idempotency and saga as `POST /v1/checkout` (`run.py`)."""

from __future__ import annotations

from pydantic import ValidationError

from mercato.agents.assistant.ports import CheckoutRequest, PlacedOrder
from mercato.agents.orders.checkout.run import check_out
from mercato.agents.orders.checkout.schemas import CheckoutIn
from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel


async def check_out_for_assistant(
    kernel: Kernel, principal: Principal, request: CheckoutRequest
) -> PlacedOrder:
    try:
        body = CheckoutIn.model_validate(
            {
                "cart_id": request.cart_id,
                "email": request.email,
                "shipping_address": request.shipping_address,
                "payment": request.payment,
            }
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{where}: {first['msg']}") from None
    outcome = await check_out(
        kernel,
        body=body,
        principal=principal,
        idempotency_key=request.idempotency_key,
        ip=None,
        channel="assistant",
    )
    order = outcome.body.order
    return PlacedOrder(
        order_id=order.id,
        number=order.number,
        status=order.status,
        total=str(order.total),
        currency=order.currency,
    )
