"""Payments' HTTP routes: parse → service → schema. The edge commits, then answers.

Reading needs `payments:read` (a customer sees the payments of their own orders; support and
admins, holding `payments:read_any`, every payment); refunds need `payments:refund` (support,
admins); captures and review decisions `payments:write` (admins). Gateways' webhooks are
public and verified by their signature instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Query, Request

from mercato.agents.payments import service, webhooks
from mercato.agents.payments.problems import (
    InvalidPaymentAmount,
    InvalidWebhook,
    NotUnderReview,
    PaymentGatewayUnavailable,
    PaymentNotCapturable,
    PaymentNotFound,
    PaymentNotRefundable,
    PaymentUnderReview,
    ProviderUnavailable,
    RefundExceedsCaptured,
    RefundMethodUnavailable,
)
from mercato.agents.payments.providers import base
from mercato.agents.payments.schemas import (
    CaptureIn,
    PaymentOut,
    PaymentPage,
    RefundIn,
    RefundOut,
    ReviewIn,
    WebhookOut,
)
from mercato.agents.payments.statuses import PaymentStatus
from mercato.kernel import paging
from mercato.kernel.auth import Principal, public, require
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/payments", tags=["payments"])
Reader = Annotated[Principal, Depends(require("payments:read"))]
Refunder = Annotated[Principal, Depends(require("payments:refund"))]
Writer = Annotated[Principal, Depends(require("payments:write"))]
Anyone = Annotated[Principal, Depends(public())]


@router.get("", response_model=PaymentPage)
async def list_payments(
    kernel: KernelDep,
    principal: Reader,
    order_id: Annotated[str | None, Query(max_length=36)] = None,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> PaymentPage:
    """An order's payments (or the latest ones), newest first; a customer sees only their
    own."""
    own = None if principal.can("payments:read_any") else principal.id
    after = paging.decode(cursor, datetime, str)
    async with kernel.uow(writes=False) as uow:
        found = await service.list_payments(
            uow, order_id=order_id, customer_id=own, after=after, limit=limit + 1
        )
    page, next_cursor = paging.cut(found, limit, _position)
    return PaymentPage(items=[PaymentOut.of(info) for info in page], next_cursor=next_cursor)


def _position(info: service.PaymentInfo) -> tuple[datetime, str]:
    assert info.created_at is not None  # a payment read from its row has its time
    return info.created_at, info.id


async def _current(kernel: KernelDep, payment_id: str) -> service.PaymentInfo:
    """The payment as it is now, read before the command's unit of work (ADR 4)."""
    async with kernel.uow(writes=False) as uow:
        return await service.get_payment(uow, payment_id=payment_id)


@router.post(
    "/{payment_id}/capture",
    response_model=PaymentOut,
    responses=problems(
        PaymentNotFound,
        PaymentNotCapturable,
        PaymentUnderReview,
        InvalidPaymentAmount,
        PaymentGatewayUnavailable,
        "BR004",
    ),
)
async def capture(
    payment_id: str,
    kernel: KernelDep,
    _: Writer,
    body: Annotated[CaptureIn, Body(default_factory=CaptureIn)],
) -> PaymentOut:
    """Capture an authorized payment, in full or in part, once. 409
    `payment_under_review`, `payment_not_capturable`; 422 BR004 above the authorized
    amount; 503 `payment_gateway_unavailable`."""
    info = await _current(kernel, payment_id)
    async with kernel.uow() as uow:
        done = await service.capture(uow, info=info, amount=body.amount, now=kernel.clock.now())
        await uow.commit()
    return PaymentOut.of(done)


@router.post(
    "/{payment_id}/refunds",
    status_code=201,
    response_model=RefundOut,
    responses=problems(
        PaymentNotFound,
        PaymentNotRefundable,
        RefundExceedsCaptured,
        RefundMethodUnavailable,
        PaymentUnderReview,
        InvalidPaymentAmount,
        PaymentGatewayUnavailable,
    ),
)
async def refund(
    payment_id: str,
    body: RefundIn,
    kernel: KernelDep,
    _: Refunder,
    idempotency_key: Annotated[str | None, Header(max_length=100)] = None,
) -> RefundOut:
    """Refund part or all of what was captured (409 `refund_exceeds_captured` above what is
    left, `payment_not_refundable` before a capture, `refund_method_unavailable` when the
    card paid with cannot take it: it expired). An `Idempotency-Key` makes a retry
    answer the first refund."""
    await _current(kernel, payment_id)  # 404 before taking the write lock
    async with kernel.uow() as uow:
        done, refund_id = await service.refund(
            uow,
            payment_id=payment_id,
            amount=body.amount,
            refund_id=f"{payment_id}:{idempotency_key}" if idempotency_key else None,
            now=kernel.clock.now(),
        )
        await uow.commit()
    return RefundOut(refund_id=refund_id, amount=body.amount, payment=PaymentOut.of(done))


@router.post(
    "/{payment_id}/review",
    response_model=PaymentOut,
    responses=problems(PaymentNotFound, NotUnderReview, PaymentGatewayUnavailable),
)
async def review(payment_id: str, body: ReviewIn, kernel: KernelDep, _: Writer) -> PaymentOut:
    """Approve (the capture may proceed; in capture mode `immediate` it happens now) or
    reject (the authorization is voided and the order cancelled) a held payment."""
    info = await _current(kernel, payment_id)
    async with kernel.uow() as uow:
        done = await service.decide_review(
            uow, info=info, decision=body.decision, now=kernel.clock.now()
        )
        await uow.commit()
    if (
        body.decision == "approve"
        and kernel.settings.capture_mode == "immediate"
        and done.status == PaymentStatus.AUTHORIZED
    ):
        async with kernel.uow() as uow:
            done = await service.capture(uow, info=done, now=kernel.clock.now())
            await uow.commit()
    return PaymentOut.of(done)


async def _webhook(provider_name: str, request: Request, kernel: KernelDep) -> WebhookOut:
    body = await request.body()
    provider = kernel.deps(service.Gateways).get(provider_name)
    try:
        event = await provider.verify_webhook(dict(request.headers), body)
    except base.InvalidWebhook as exc:
        raise InvalidWebhook(str(exc) or "the webhook does not verify") from None
    async with kernel.uow() as uow:
        receipt = await webhooks.receive(uow, event=event, now=kernel.clock.now())
        await uow.commit()
    return WebhookOut(
        event_id=receipt.event_id, duplicate=receipt.duplicate, outcome=receipt.outcome
    )


@router.post(
    "/webhooks/sandbox",
    response_model=WebhookOut,
    responses=problems(InvalidWebhook, ProviderUnavailable),
)
async def sandbox_webhook(request: Request, kernel: KernelDep, _: Anyone) -> WebhookOut:
    """The sandbox gateway's notifications (signed `Mercato-Sandbox-Signature`)."""
    return await _webhook("sandbox", request, kernel)


@router.post(
    "/webhooks/stripe",
    response_model=WebhookOut,
    responses=problems(InvalidWebhook, ProviderUnavailable),
)
async def stripe_webhook(request: Request, kernel: KernelDep, _: Anyone) -> WebhookOut:
    """Stripe's events (signed `Stripe-Signature`, within the tolerance); a duplicate
    delivery answers `duplicate: true` and changes nothing (EC005)."""
    return await _webhook("stripe", request, kernel)


@router.post(
    "/webhooks/paypal",
    response_model=WebhookOut,
    responses=problems(InvalidWebhook, ProviderUnavailable),
)
async def paypal_webhook(request: Request, kernel: KernelDep, _: Anyone) -> WebhookOut:
    """PayPal's webhook events, verified as PayPal documents it."""
    return await _webhook("paypal", request, kernel)


__all__ = ["PaymentNotFound", "router"]
