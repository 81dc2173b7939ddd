"""PayPal's answers and notifications in Mercato's terms: authorization states, decline
codes and webhook event kinds."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from mercato.agents.payments.providers.base import AuthorizationRequest, GatewayResult
from mercato.agents.payments.providers.paypal_http import PayPalApiError, amount_of

ISSUE_DECLINES = {
    "INSTRUMENT_DECLINED": "card_declined",
    "TRANSACTION_REFUSED": "card_declined",
    "PAYER_CANNOT_PAY": "card_declined",
    "CARD_CLOSED": "card_declined",
    "CARD_EXPIRED": "expired_card",
    "INVALID_SECURITY_CODE_LENGTH": "incorrect_cvc",
    "PAYER_ACTION_REQUIRED": "authentication_required",
    "ORDER_NOT_APPROVED": "authentication_required",
}
"""Orders v2 `details[].issue` values that mean the payer's instrument said no."""

PROCESSOR_DECLINES = {
    "5120": "insufficient_funds",
    "9500": "fraudulent",
    "5400": "expired_card",
    "5110": "incorrect_cvc",
    "00N7": "incorrect_cvc",
    "5650": "authentication_required",
}
"""`processor_response.response_code` of a DENIED authorization; others: card_declined."""

AUTHORIZATION_STATUSES = {
    "CREATED": "authorized",
    "PARTIALLY_CAPTURED": "captured",
    "CAPTURED": "captured",
    "VOIDED": "voided",
    "EXPIRED": "voided",
    "DENIED": "declined",
    "PENDING": "pending",
}

WEBHOOK_KINDS = {
    "PAYMENT.AUTHORIZATION.CREATED": "authorized",
    "PAYMENT.AUTHORIZATION.VOIDED": "voided",
    "PAYMENT.CAPTURE.COMPLETED": "captured",
    "PAYMENT.CAPTURE.DENIED": "failed",
    "PAYMENT.CAPTURE.REFUNDED": "refunded",
    "CUSTOMER.DISPUTE.CREATED": "disputed",
}


def authorization_result(auth: dict[str, Any]) -> GatewayResult:
    status = AUTHORIZATION_STATUSES.get(str(auth.get("status")), "pending")
    code = None
    if status == "declined":
        processor = auth.get("processor_response") or {}
        code = PROCESSOR_DECLINES.get(str(processor.get("response_code")), "card_declined")
    return GatewayResult(
        status=status,  # type: ignore[arg-type]
        provider_ref=str(auth["id"]),
        amount=amount_of(auth.get("amount")) or 0,  # type: ignore[arg-type]
        decline_code=code,
        raw=auth,
    )


def first_authorization(order: dict[str, Any]) -> dict[str, Any] | None:
    for unit in order.get("purchase_units") or []:
        authorizations = (unit.get("payments") or {}).get("authorizations") or []
        if authorizations:
            return dict(authorizations[0])
    return None


def link_id(resource: dict[str, Any], rel: str, collection: str) -> str | None:
    """The id at the end of the resource's `rel` link into `collection` (captures, …)."""
    for link in resource.get("links") or []:
        match = re.search(rf"/{collection}/([^/?]+)$", str(link.get("href", "")))
        if link.get("rel") == rel and match:
            return match.group(1)
    return None


def capture_id_of(event_type: str, resource: dict[str, Any]) -> str | None:
    """The capture a refund or dispute event is about."""
    if event_type == "PAYMENT.CAPTURE.REFUNDED":
        return link_id(resource, "up", "captures")
    if event_type == "CUSTOMER.DISPUTE.CREATED":
        transactions = resource.get("disputed_transactions") or [{}]
        seller = transactions[0].get("seller_transaction_id")
        return str(seller) if seller else None
    return None


def authorization_id_of_capture(capture: dict[str, Any]) -> str | None:
    related = (capture.get("supplementary_data") or {}).get("related_ids") or {}
    return related.get("authorization_id") or link_id(capture, "up", "authorizations")


def decline(amount: Decimal, code: str, message: str | None = None) -> GatewayResult:
    return GatewayResult(
        status="declined", provider_ref=None, amount=amount, decline_code=code, message=message
    )


def declined_or_raise(exc: PayPalApiError, amount: Decimal) -> GatewayResult:
    if exc.status == 422 and exc.issue in ISSUE_DECLINES:
        result = decline(amount, ISSUE_DECLINES[exc.issue], exc.issue)
        return GatewayResult(**{**result.__dict__, "raw": exc.body})
    raise exc


def order_result(order: dict[str, Any], request: AuthorizationRequest) -> GatewayResult:
    auth = first_authorization(order)
    if auth is None:
        code = "authentication_required" if order.get("status") == "PAYER_ACTION_REQUIRED" else None
        if code:
            return decline(request.amount, code)
        return GatewayResult(status="pending", provider_ref=None, amount=request.amount, raw=order)
    return authorization_result(auth)
