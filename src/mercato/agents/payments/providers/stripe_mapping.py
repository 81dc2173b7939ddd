"""Stripe's objects in Mercato's terms: amounts in minor units, PaymentIntent states,
decline codes and webhook events."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import stripe

from mercato.agents.payments.providers.base import GatewayResult, InvalidWebhook, WebhookEvent
from mercato.kernel.money import exponent, round_money

DECLINE_CODES = {
    "card_declined",
    "insufficient_funds",
    "fraudulent",
    "expired_card",
    "incorrect_cvc",
    "incorrect_number",
    "processing_error",
    "authentication_required",
}
FRAUD_LIKE = {"lost_card", "stolen_card", "pickup_card", "merchant_blacklist"}

WEBHOOK_KINDS: dict[str, str] = {
    "payment_intent.amount_capturable_updated": "authorized",
    "payment_intent.succeeded": "captured",
    "payment_intent.canceled": "voided",
    "payment_intent.payment_failed": "failed",
    "charge.refunded": "refunded",
    "charge.dispute.created": "disputed",
}


def to_minor(amount: Decimal, currency: str) -> int:
    return int(round_money(amount, currency).scaleb(exponent(currency)))


def from_minor(amount: int, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-exponent(currency))


def decline_code(code: str | None, decline: str | None) -> str:
    """Stripe's `code` / `decline_code` pair as one of Mercato's decline codes."""
    for candidate in (decline, code):
        if candidate in DECLINE_CODES:
            return str(candidate)
        if candidate in FRAUD_LIKE:
            return "fraudulent"
    return "card_declined"


def parse_event(event: Any) -> WebhookEvent:
    """A verified Stripe event as a `WebhookEvent` (`InvalidWebhook` if malformed)."""
    try:
        event_id, type_ = str(event["id"]), str(event["type"])
        obj: dict[str, Any] = event["data"]["object"]
        if not isinstance(obj, dict):
            raise TypeError("data.object is not an object")
        kind = WEBHOOK_KINDS.get(type_, "other")
        currency = str(obj.get("currency") or "usd").upper()
        minor = {
            "authorized": obj.get("amount_capturable"),
            "captured": obj.get("amount_received"),
            "refunded": obj.get("amount_refunded"),
        }.get(kind, obj.get("amount"))
        ref = obj.get("id" if obj.get("object") == "payment_intent" else "payment_intent")
        refunds = (obj.get("refunds") or {}).get("data") or []
        created = event.get("created")
        return WebhookEvent(
            provider="stripe",
            event_id=event_id,
            kind=kind,  # type: ignore[arg-type]
            provider_ref=str(ref) if ref else None,
            amount=from_minor(int(minor), currency) if minor is not None else None,
            refund_ref=str(refunds[0]["id"]) if kind == "refunded" and refunds else None,
            occurred_at=datetime.fromtimestamp(int(created), UTC).isoformat() if created else None,
            raw=event,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidWebhook(f"stripe: malformed event: {exc}") from exc


INTENT_STATUSES = {
    "requires_capture": "authorized",
    "succeeded": "captured",
    "canceled": "voided",
    "requires_payment_method": "declined",
    "requires_action": "declined",
}


def intent_result(intent: stripe.PaymentIntent) -> GatewayResult:
    status = INTENT_STATUSES.get(intent.status, "pending")
    currency = intent.currency
    minor = {"authorized": intent.amount_capturable, "captured": intent.amount_received}.get(
        status, intent.amount
    )
    code = None
    message = None
    if status == "declined":
        error = intent.last_payment_error
        code = decline_code(error.code, error.decline_code) if error else "authentication_required"
        message = error.message if error else None
    return GatewayResult(
        status=status,  # type: ignore[arg-type]
        provider_ref=intent.id,
        amount=from_minor(minor, currency),
        decline_code=code,
        message=message,
        raw=intent.to_dict(),
    )


def card_error_result(
    exc: stripe.CardError, amount: Decimal, ref: str | None = None
) -> GatewayResult:
    body: dict[str, Any] = exc.json_body if isinstance(exc.json_body, dict) else {}
    error: dict[str, Any] = body.get("error") or {}
    intent = error.get("payment_intent") or {}
    return GatewayResult(
        status="declined",
        provider_ref=intent.get("id") or ref,
        amount=amount,
        decline_code=decline_code(error.get("code"), error.get("decline_code")),
        message=error.get("message"),
        raw={k: v for k, v in error.items() if k != "payment_intent"},
    )
