"""PayPal webhooks: each delivery verified by PayPal (`POST
/v1/notifications/verify-webhook-signature`) and read as a `WebhookEvent` about the
authorization it concerns (refunds and disputes name a capture: PayPal says whose)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mercato.agents.payments.providers import paypal_events as events
from mercato.agents.payments.providers.base import InvalidWebhook, WebhookEvent
from mercato.agents.payments.providers.paypal_http import PayPalApiError, PayPalClient, amount_of
from mercato.kernel.clock import Clock
from mercato.kernel.config import Settings

WEBHOOK_HEADERS = {
    "transmission_id": "paypal-transmission-id",
    "transmission_time": "paypal-transmission-time",
    "transmission_sig": "paypal-transmission-sig",
    "cert_url": "paypal-cert-url",
    "auth_algo": "paypal-auth-algo",
}


class PayPalWebhooks:
    def __init__(self, api: PayPalClient, settings: Settings, *, clock: Clock) -> None:
        self._api = api
        self._clock = clock
        self._webhook_id = settings.paypal_webhook_id
        self._tolerance = settings.paypal_webhook_tolerance

    async def verify(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent:
        lowered = {k.lower(): v for k, v in headers.items()}
        transmission = {field: lowered.get(header) for field, header in WEBHOOK_HEADERS.items()}
        if not self._webhook_id:
            raise InvalidWebhook("paypal: MERCATO_PAYPAL_WEBHOOK_ID is not set")
        if not all(transmission.values()):
            raise InvalidWebhook("paypal: transmission headers missing")
        try:
            event = json.loads(body)
            sent = datetime.fromisoformat(str(transmission["transmission_time"]))
        except ValueError as exc:
            raise InvalidWebhook(f"paypal: {exc}") from exc
        if not isinstance(event, dict) or sent.tzinfo is None:
            raise InvalidWebhook("paypal: malformed delivery")
        if (self._clock.now() - sent).total_seconds() > self._tolerance:
            raise InvalidWebhook("paypal: transmission too old")
        try:
            answer = await self._api.call(
                "POST",
                "/v1/notifications/verify-webhook-signature",
                json={**transmission, "webhook_id": self._webhook_id, "webhook_event": event},
            )
        except PayPalApiError as exc:
            raise InvalidWebhook(f"paypal: verification refused ({exc.name})") from exc
        if answer.body.get("verification_status") != "SUCCESS":
            raise InvalidWebhook("paypal: signature does not verify")
        return await self._parse(event)

    async def _parse(self, event: dict[str, Any]) -> WebhookEvent:
        try:
            event_type = str(event["event_type"])
            resource: dict[str, Any] = event["resource"]
            kind = events.WEBHOOK_KINDS.get(event_type, "other")
            ref: str | None = None
            if event_type.startswith("PAYMENT.AUTHORIZATION."):
                ref = str(resource["id"])
            elif event_type in ("PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.DENIED"):
                ref = events.authorization_id_of_capture(resource)
            elif capture_id := events.capture_id_of(event_type, resource):
                ref = await self._authorization_of_capture(capture_id)
            breakdown = resource.get("seller_payable_breakdown") or {}
            amount = amount_of(
                breakdown.get("total_refunded_amount")
                or resource.get("amount")
                or resource.get("dispute_amount")
            )
            return WebhookEvent(
                provider="paypal",
                event_id=str(event["id"]),
                kind=kind,  # type: ignore[arg-type]
                provider_ref=ref,
                amount=amount,
                refund_ref=str(resource["id"]) if kind == "refunded" else None,
                occurred_at=event.get("create_time"),
                raw=event,
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise InvalidWebhook(f"paypal: malformed event: {exc}") from exc

    async def _authorization_of_capture(self, capture_id: str) -> str | None:
        try:
            capture = (await self._api.call("GET", f"/v2/payments/captures/{capture_id}")).body
        except PayPalApiError:
            return None
        return events.authorization_id_of_capture(capture)
