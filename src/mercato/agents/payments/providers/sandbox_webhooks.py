"""The sandbox gateway's webhook wire format: a JSON body
`{"id", "type": "payment.<kind>", "created", "data": {"provider_ref", "amount", "refund_ref"}}`
signed `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t." + body>`."""

from __future__ import annotations

import hashlib
import hmac
import json
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from mercato.agents.payments.providers.base import InvalidWebhook, WebhookEvent

KINDS = ("authorized", "captured", "voided", "refunded", "failed", "disputed")


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def parse_delivery(provider: str, body: bytes) -> WebhookEvent:
    """The verified body as a `WebhookEvent` (`InvalidWebhook` if it is not one)."""
    try:
        data: dict[str, Any] = json.loads(body)
        event_id = str(data["id"])
        kind = str(data["type"]).removeprefix("payment.")
        details: dict[str, Any] = data.get("data") or {}
        amount = Decimal(details["amount"]) if details.get("amount") is not None else None
    except (ValueError, KeyError, TypeError, InvalidOperation, AttributeError):
        raise InvalidWebhook("the delivery's body is not a sandbox event") from None
    return WebhookEvent(
        provider=provider,
        event_id=event_id,
        kind=cast(Any, kind if kind in KINDS else "other"),
        provider_ref=details.get("provider_ref"),
        amount=amount,
        refund_ref=details.get("refund_ref"),
        occurred_at=str(data.get("created")),
        raw=data,
    )
