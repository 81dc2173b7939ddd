"""PayPal, over its documented REST APIs (Orders v2, Payments v2, Vault v3, Webhooks v1).

Two kinds of token:

- `vault:<payment token id>`: a card `tokenize` saved in PayPal's vault (a setup token, then
  a payment token). Authorizing creates an order with intent AUTHORIZE paying with
  `payment_source.card.vault_id`; PayPal authorizes it at once.
- anything else: the id of an order the buyer approved at PayPal (PayPal checkout buttons).
  Its amount and currency must match the request's, then it is authorized
  (`POST /v2/checkout/orders/{id}/authorize`).

The `provider_ref` is always the PayPal authorization id. Capture at once is an
authorization followed by its capture. An order shipped in parts is captured a shipment at a
time: `final_capture: false` keeps the rest of the authorization for the next capture, the
final capture releases it (voiding a partially captured authorization releases it too).
A refund is taken from the authorization's captures (each refund belongs to one capture at
PayPal): from one that can take it all, else split over them in order, each part marked with
the refund's key (`invoice_id`), so a retried split does not refund a part twice. Every
mutating call carries `PayPal-Request-Id`.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from mercato.agents.payments.providers import paypal_events as events
from mercato.agents.payments.providers.base import (
    AuthorizationRequest,
    Card,
    GatewayError,
    GatewayResult,
    RefundResult,
    Tokenized,
    WebhookEvent,
)
from mercato.agents.payments.providers.paypal_http import (
    PayPalApiError,
    PayPalClient,
    amount_of,
    money,
)
from mercato.agents.payments.providers.paypal_webhooks import PayPalWebhooks
from mercato.kernel.clock import Clock, SystemClock
from mercato.kernel.config import Settings

VAULT_PREFIX = "vault:"
REFUND_STATUSES = {"COMPLETED": "succeeded", "PENDING": "pending"}


class PayPalProvider:
    name = "paypal"

    def __init__(self, settings: Settings, *, clock: Clock | None = None) -> None:
        self._api = PayPalClient(settings)
        secret = settings.paypal_client_secret or ""
        self._fingerprint_key = hashlib.sha256(b"mercato-card:" + secret.encode()).digest()
        self._webhooks = PayPalWebhooks(self._api, settings, clock=clock or SystemClock())

    async def close(self) -> None:
        await self._api.close()

    async def tokenize(self, card: Card) -> Tokenized:
        source: dict[str, Any] = {
            "number": card.number,
            "expiry": f"{card.exp_year:04d}-{card.exp_month:02d}",
        }
        if card.cvc:
            source["security_code"] = card.cvc
        if card.holder:
            source["name"] = card.holder
        try:
            setup = await self._api.call(
                "POST",
                "/v3/vault/setup-tokens",
                json={"payment_source": {"card": source}},
                request_id=str(uuid.uuid4()),
            )
            if setup.body.get("status") not in (None, "APPROVED", "VAULTED"):
                raise GatewayError(f"paypal: card needs payer action ({setup.body['status']})")
            token = await self._api.call(
                "POST",
                "/v3/vault/payment-tokens",
                json={"payment_source": {"token": {"id": setup.body["id"], "type": "SETUP_TOKEN"}}},
                request_id=str(uuid.uuid4()),
            )
        except PayPalApiError as exc:
            raise GatewayError(f"paypal: card rejected ({exc.issue or exc.name})") from exc
        details = (token.body.get("payment_source") or {}).get("card") or {}
        brand = details.get("brand")
        return Tokenized(
            token=f"{VAULT_PREFIX}{token.body['id']}",
            brand=str(brand).lower() if brand else None,
            last4=details.get("last_digits") or card.last4,
            fingerprint=hmac.new(self._fingerprint_key, card.number.encode(), "sha256").hexdigest()[
                :32
            ],
        )

    # -- authorizing -----------------------------------------------------------------------

    async def authorize(self, request: AuthorizationRequest) -> GatewayResult:
        result = await self._authorize(request)
        if request.capture and result.status == "authorized" and result.provider_ref:
            return await self.capture(
                result.provider_ref,
                amount=request.amount,
                currency=request.currency,
                idempotency_key=f"{request.idempotency_key}:capture",
            )
        return result

    async def _authorize(self, request: AuthorizationRequest) -> GatewayResult:
        try:
            if request.token.startswith(VAULT_PREFIX):
                answer = await self._api.call(
                    "POST",
                    "/v2/checkout/orders",
                    json=self._order(request),
                    request_id=request.idempotency_key,
                    moves_money=True,
                )
                return events.order_result(answer.body, request)
            order = await self._approved_order(request)
            if isinstance(order, GatewayResult):
                return order
            if existing := events.first_authorization(order):
                return events.authorization_result(existing)  # authorized once already
            answer = await self._api.call(
                "POST",
                f"/v2/checkout/orders/{request.token}/authorize",
                json={},
                request_id=request.idempotency_key,
                moves_money=True,
            )
            return events.order_result(answer.body, request)
        except PayPalApiError as exc:
            return events.declined_or_raise(exc, request.amount)

    def _order(self, request: AuthorizationRequest) -> dict[str, Any]:
        unit: dict[str, Any] = {
            "reference_id": request.reference,
            "custom_id": request.reference,
            "amount": money(request.amount, request.currency),
        }
        if request.description:
            unit["description"] = request.description[:127]
        vault_id = request.token.removeprefix(VAULT_PREFIX)
        return {
            "intent": "AUTHORIZE",
            "purchase_units": [unit],
            "payment_source": {"card": {"vault_id": vault_id}},
        }

    async def _approved_order(
        self, request: AuthorizationRequest
    ) -> dict[str, Any] | GatewayResult:
        """The buyer-approved order, if it is for the request's amount; else a decline."""
        try:
            order = (await self._api.call("GET", f"/v2/checkout/orders/{request.token}")).body
        except PayPalApiError as exc:
            if exc.status == 404:
                return events.decline(request.amount, "invalid_token", "no such PayPal order")
            raise
        units = order.get("purchase_units") or [{}]
        wanted = money(request.amount, request.currency)
        given = units[0].get("amount") or {}
        if (
            given.get("currency_code") != wanted["currency_code"]
            or amount_of(given) != request.amount
        ):
            return events.decline(
                request.amount, "amount_mismatch", "the order is for another amount"
            )
        return order

    async def lookup(self, request: AuthorizationRequest) -> GatewayResult | None:
        if request.token.startswith(VAULT_PREFIX):
            # Re-sent under the same PayPal-Request-Id: PayPal answers with the order it
            # created for it (or creates it now, if the first request never arrived).
            replayed = await self._authorize(request)
            if replayed.status == "declined" or not replayed.provider_ref:
                return replayed
            return await self._authorization(replayed.provider_ref)
        order = (await self._api.call("GET", f"/v2/checkout/orders/{request.token}")).body
        auth = events.first_authorization(order)
        return await self._authorization(str(auth["id"])) if auth else None

    async def _authorization(self, authorization_id: str) -> GatewayResult:
        answer = await self._api.call("GET", f"/v2/payments/authorizations/{authorization_id}")
        return events.authorization_result(answer.body)

    # -- after the authorization -----------------------------------------------------------

    async def capture(
        self,
        provider_ref: str,
        *,
        amount: Decimal,
        currency: str,
        idempotency_key: str,
        final: bool = True,
    ) -> GatewayResult:
        try:
            answer = await self._api.call(
                "POST",
                f"/v2/payments/authorizations/{provider_ref}/capture",
                json={"amount": money(amount, currency), "final_capture": final},
                request_id=idempotency_key,
                moves_money=True,
            )
        except PayPalApiError as exc:
            current = await self._current_or_raise(provider_ref, exc)
            if current.status == "captured":  # captured before: THIS capture took nothing
                return events.decline(amount, "already_captured", exc.issue)
            return current
        capture = answer.body
        status = {"COMPLETED": "captured", "DECLINED": "declined", "FAILED": "declined"}.get(
            str(capture.get("status")), "pending"
        )
        return GatewayResult(
            status=status,  # type: ignore[arg-type]
            provider_ref=provider_ref,
            amount=amount_of(capture.get("amount")) or amount,
            decline_code="card_declined" if status == "declined" else None,
            raw=capture,
        )

    async def void(self, provider_ref: str, *, idempotency_key: str) -> GatewayResult:
        try:
            answer = await self._api.call(
                "POST",
                f"/v2/payments/authorizations/{provider_ref}/void",
                request_id=idempotency_key,
                moves_money=True,
            )
        except PayPalApiError as exc:
            return await self._current_or_raise(provider_ref, exc)
        if not answer.body:  # 204: no representation
            return await self._authorization(provider_ref)
        return events.authorization_result(answer.body)

    async def _current_or_raise(self, provider_ref: str, exc: PayPalApiError) -> GatewayResult:
        """An authorization past the state an action needs: report the state it is in."""
        if exc.status == 422:
            current = await self._authorization(provider_ref)
            if current.status != "authorized":
                return current
        raise exc

    async def refund(
        self, provider_ref: str, *, amount: Decimal, currency: str, idempotency_key: str
    ) -> RefundResult:
        captures, done, done_ref = await self._captures_of(provider_ref, idempotency_key)
        if done >= amount and done_ref is not None:  # a retry of a refund made already
            return RefundResult(refund_ref=done_ref, amount=amount, status="succeeded")
        whole = [capture_id for capture_id, left in captures if left >= amount]
        if whole and done == 0:
            return await self._refund_part(whole[0], amount, currency, idempotency_key)
        wanted, last = amount - done, None
        for capture_id, left in captures:
            if wanted <= 0:
                break
            part = min(left, wanted)
            if part <= 0:
                continue
            last = await self._refund_part(
                capture_id, part, currency, f"{idempotency_key}:{capture_id}"
            )
            if last.status == "failed":
                return last
            wanted -= part
        if wanted > 0:
            raise GatewayError(f"paypal: authorization {provider_ref} has too little to refund")
        return RefundResult(
            refund_ref=last.refund_ref if last else idempotency_key,
            amount=amount,
            status=last.status if last else "succeeded",
            raw=last.raw if last else {},
        )

    async def _refund_part(
        self, capture_id: str, amount: Decimal, currency: str, key: str
    ) -> RefundResult:
        answer = await self._api.call(
            "POST",
            f"/v2/payments/captures/{capture_id}/refund",
            json={"amount": money(amount, currency), "invoice_id": key[:127]},
            request_id=key,
            moves_money=True,
        )
        refund = answer.body
        return RefundResult(
            refund_ref=str(refund["id"]),
            amount=amount_of(refund.get("amount")) or amount,
            status=REFUND_STATUSES.get(str(refund.get("status")), "failed"),  # type: ignore[arg-type]
            raw=refund,
        )

    async def _captures_of(
        self, authorization_id: str, key: str
    ) -> tuple[list[tuple[str, Decimal]], Decimal, str | None]:
        """The authorization's captures with what is left to refund of each, oldest first
        (through its order: PayPal links them there), and what parts of a split refund under
        `key` were refunded already."""
        auth = (await self._api.call("GET", f"/v2/payments/authorizations/{authorization_id}")).body
        related = (auth.get("supplementary_data") or {}).get("related_ids") or {}
        order = (await self._api.call("GET", f"/v2/checkout/orders/{related['order_id']}")).body
        captures: list[tuple[str, Decimal]] = []
        done, done_ref = Decimal(0), None
        for unit in order.get("purchase_units") or []:
            payments = unit.get("payments") or {}
            refunded: dict[str, Decimal] = {}
            for refund in payments.get("refunds") or []:
                if refund.get("status") not in ("COMPLETED", "PENDING"):
                    continue
                capture_id = events.link_id(refund, "up", "captures")
                value = amount_of(refund.get("amount")) or Decimal(0)
                if capture_id:
                    refunded[capture_id] = refunded.get(capture_id, Decimal(0)) + value
                invoice = str(refund.get("invoice_id") or "")
                if invoice == key[:127] or invoice.startswith(f"{key}:"):
                    done, done_ref = done + value, str(refund.get("id"))
            for capture in payments.get("captures") or []:
                if capture.get("status") not in ("COMPLETED", "PARTIALLY_REFUNDED"):
                    continue
                capture_id = str(capture["id"])
                left = (amount_of(capture.get("amount")) or Decimal(0)) - refunded.get(
                    capture_id, Decimal(0)
                )
                captures.append((capture_id, left))
        if not captures and done == 0:
            raise GatewayError(f"paypal: authorization {authorization_id} has nothing to refund")
        return captures, done, done_ref

    async def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent:
        return await self._webhooks.verify(headers, body)

    def __repr__(self) -> str:
        return "PayPalProvider()"
