"""Stripe, through its official SDK: PaymentIntents confirmed at once, captured later.

An authorization is a PaymentIntent created with `confirm=true` and `capture_method=manual`
(`automatic` when the request captures at once); its id is the `provider_ref`. A manual one
asks for multicapture (`payment_method_options[card][request_multicapture]=if_available`), so
an order shipped in parts is captured a shipment at a time: `final_capture=false` keeps the
rest of the authorization for the next capture, the final one (`final_capture=true`, Stripe's
default) releases it; cancelling the intent after some captures releases the rest too. Tokens are
PaymentMethod ids (`pm_…`): `tokenize` creates one from raw card details, which needs an
account allowed to send raw card numbers to the API; clients using Stripe.js send their own
`pm_…`. Every mutating call carries an idempotency key; `lookup` re-sends the authorization
under its key, so Stripe replays what it stored (or, if the original never arrived, does it
now) and the intent's current state is returned.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import httpx
import stripe
from stripe.params import PaymentIntentCreateParams, PaymentMethodCreateParams

from mercato.agents.payments.providers.base import (
    AuthorizationRequest,
    Card,
    GatewayError,
    GatewayResult,
    GatewayUnavailable,
    InvalidWebhook,
    OutcomeUnknown,
    RefundResult,
    Tokenized,
    WebhookEvent,
)
from mercato.agents.payments.providers.stripe_mapping import (
    card_error_result,
    from_minor,
    intent_result,
    parse_event,
    to_minor,
)
from mercato.kernel.config import Settings

T = TypeVar("T")


_MAYBE_PROCESSED = (500, 502, 504)
"""Server errors after which Stripe may have done the work (a 503 is refused at its edge):
a money-moving call's outcome is then unknown, and it is asked again with the same key."""


class _NoRequestBodies(logging.Filter):
    """The SDK logs request bodies at DEBUG ("Post details"): they can hold card numbers."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Post details" not in record.getMessage()


logging.getLogger("stripe").addFilter(_NoRequestBodies())


class _HTTPXClient(stripe.HTTPXClient):
    """The SDK's httpx client, handing httpx the form body as `content` (httpx deprecates
    raw `data=`)."""

    def _get_request_args_kwargs(
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any
    ) -> Any:
        args, kwargs = super()._get_request_args_kwargs(method, url, headers, post_data)
        if isinstance(kwargs.get("data"), str | bytes):
            kwargs["content"] = kwargs.pop("data")
        return args, kwargs


class StripeProvider:
    name = "stripe"

    def __init__(self, settings: Settings) -> None:
        if not settings.stripe_api_key:
            raise ValueError("MERCATO_STRIPE_API_KEY is not set")
        self._http = _HTTPXClient(timeout=settings.gateway_timeout)
        self._client = stripe.StripeClient(
            settings.stripe_api_key,
            base_addresses={"api": settings.stripe_api_base},
            http_client=self._http,
            max_network_retries=0,  # the caller retries, under the same idempotency key
        )
        self._webhook_secret = settings.stripe_webhook_secret
        self._tolerance = settings.stripe_webhook_tolerance

    async def close(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]

    # -- calls -----------------------------------------------------------------------------

    async def _call(self, operation: Awaitable[T], *, moves_money: bool) -> T:
        """Await an SDK call, turning transport failures into the interface's errors."""
        try:
            return await operation
        except stripe.APIConnectionError as exc:
            if moves_money and _answer_lost(exc.__cause__):
                raise OutcomeUnknown("stripe: the answer was lost") from exc
            raise GatewayUnavailable("stripe: unreachable") from exc
        except (
            stripe.APIError,
            stripe.RateLimitError,
            stripe.AuthenticationError,
            stripe.PermissionError,
        ) as exc:
            if moves_money and exc.http_status in _MAYBE_PROCESSED:
                raise OutcomeUnknown(f"stripe: {exc.http_status}, may have been done") from exc
            raise GatewayUnavailable(f"stripe: {type(exc).__name__} {exc.http_status}") from exc
        except stripe.IdempotencyError as exc:
            raise GatewayError(f"stripe: {exc.user_message or 'idempotency error'}") from exc

    async def _retrieve(self, provider_ref: str) -> stripe.PaymentIntent:
        return await self._call(
            self._client.v1.payment_intents.retrieve_async(provider_ref), moves_money=False
        )

    # -- the interface ---------------------------------------------------------------------

    async def tokenize(self, card: Card) -> Tokenized:
        params: PaymentMethodCreateParams = {
            "type": "card",
            "card": {"number": card.number, "exp_month": card.exp_month, "exp_year": card.exp_year},
        }
        if card.cvc:
            params["card"]["cvc"] = card.cvc
        if card.holder:
            params["billing_details"] = {"name": card.holder}
        try:
            method = await self._call(
                self._client.v1.payment_methods.create_async(
                    params, options={"idempotency_key": str(uuid.uuid4())}
                ),
                moves_money=False,
            )
        except stripe.CardError as exc:
            raise GatewayError(f"stripe: card rejected ({exc.code})") from exc
        details = method.card
        return Tokenized(
            token=method.id,
            brand=details.brand if details else None,
            last4=details.last4 if details else card.last4,
            fingerprint=details.fingerprint if details else None,
        )

    def _intent_params(self, request: AuthorizationRequest) -> PaymentIntentCreateParams:
        params: PaymentIntentCreateParams = {
            "amount": to_minor(request.amount, request.currency),
            "currency": request.currency.lower(),
            "payment_method": request.token,
            "allowed_payment_method_types": ["card"],
            "confirm": True,
            "capture_method": "automatic" if request.capture else "manual",
            "metadata": {
                "reference": request.reference,
                "idempotency_key": request.idempotency_key,
            },
        }
        if not request.capture:
            params["payment_method_options"] = {"card": {"request_multicapture": "if_available"}}
        if request.email:
            params["receipt_email"] = request.email
        if request.description:
            params["description"] = request.description
        return params

    async def _create(self, request: AuthorizationRequest) -> GatewayResult:
        try:
            intent = await self._call(
                self._client.v1.payment_intents.create_async(
                    self._intent_params(request),
                    options={"idempotency_key": request.idempotency_key},
                ),
                moves_money=True,
            )
        except stripe.CardError as exc:
            return card_error_result(exc, request.amount)
        except stripe.InvalidRequestError as exc:  # a bad token, an amount Stripe refuses
            return GatewayResult(
                "declined",
                None,
                request.amount,
                decline_code="invalid_payment_method",
                message=exc.user_message or str(exc),
            )
        return intent_result(intent)

    async def authorize(self, request: AuthorizationRequest) -> GatewayResult:
        return await self._create(request)

    async def lookup(self, request: AuthorizationRequest) -> GatewayResult | None:
        """Within Stripe's 24 h of idempotency, re-send the create (Stripe's own advice:
        a request that arrived answers as it did, one that never did is made now); later,
        search the intents by the key in their metadata, and None if there is none."""
        if not request.may_replay:
            return await self._search(request.idempotency_key)
        replayed = await self._create(request)
        if replayed.provider_ref is None or replayed.status == "declined":
            return replayed
        return intent_result(await self._retrieve(replayed.provider_ref))

    async def _search(self, idempotency_key: str) -> GatewayResult | None:
        quoted = idempotency_key.replace("\\", "\\\\").replace("'", "\\'")
        found = await self._call(
            self._client.v1.payment_intents.search_async(
                {"query": f"metadata['idempotency_key']:'{quoted}'", "limit": 1}
            ),
            moves_money=False,
        )
        return intent_result(found.data[0]) if found.data else None

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
            intent = await self._call(
                self._client.v1.payment_intents.capture_async(
                    provider_ref,
                    {"amount_to_capture": to_minor(amount, currency), "final_capture": final},
                    options={"idempotency_key": idempotency_key},
                ),
                moves_money=True,
            )
        except stripe.CardError as exc:
            return card_error_result(exc, amount, provider_ref)
        except stripe.InvalidRequestError as exc:
            current = await self._current_or_raise(provider_ref, exc)
            if current.status == "captured":  # captured before: THIS capture took nothing
                return GatewayResult(
                    "declined",
                    provider_ref,
                    amount,
                    decline_code="already_captured",
                    raw=current.raw,
                )
            return current
        result = intent_result(intent)
        if intent.status in ("requires_capture", "succeeded"):  # more may follow, or closed
            return GatewayResult("captured", intent.id, amount, raw=result.raw)
        return result

    async def void(self, provider_ref: str, *, idempotency_key: str) -> GatewayResult:
        try:
            intent = await self._call(
                self._client.v1.payment_intents.cancel_async(
                    provider_ref, options={"idempotency_key": idempotency_key}
                ),
                moves_money=True,
            )
        except stripe.InvalidRequestError as exc:
            return await self._current_or_raise(provider_ref, exc)
        return intent_result(intent)

    async def _current_or_raise(
        self, provider_ref: str, exc: stripe.InvalidRequestError
    ) -> GatewayResult:
        """An intent no longer in the state an action needs: report the state it is in."""
        if exc.code == "payment_intent_unexpected_state":
            return intent_result(await self._retrieve(provider_ref))
        raise GatewayError(f"stripe: {exc.code}: {exc.user_message}") from exc

    async def refund(
        self, provider_ref: str, *, amount: Decimal, currency: str, idempotency_key: str
    ) -> RefundResult:
        try:
            refund = await self._call(
                self._client.v1.refunds.create_async(
                    {"payment_intent": provider_ref, "amount": to_minor(amount, currency)},
                    options={"idempotency_key": idempotency_key},
                ),
                moves_money=True,
            )
        except stripe.InvalidRequestError as exc:
            raise GatewayError(f"stripe: refund refused: {exc.code}: {exc.user_message}") from exc
        status = {"succeeded": "succeeded", "failed": "failed", "canceled": "failed"}.get(
            refund.status or "", "pending"
        )
        reason = getattr(refund, "failure_reason", None) if status == "failed" else None
        return RefundResult(
            refund_ref=refund.id,
            amount=from_minor(refund.amount, refund.currency),
            status=status,  # type: ignore[arg-type]
            raw=refund.to_dict(),
            decline_code="expired_card" if reason == "expired_or_canceled_card" else reason,
        )

    async def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent:
        signature = next((v for k, v in headers.items() if k.lower() == "stripe-signature"), None)
        if not self._webhook_secret:
            raise InvalidWebhook("stripe: MERCATO_STRIPE_WEBHOOK_SECRET is not set")
        try:
            stripe.WebhookSignature.verify_header(
                body, signature, self._webhook_secret, self._tolerance
            )
            event = json.loads(body)
        except (stripe.SignatureVerificationError, ValueError) as exc:
            raise InvalidWebhook(f"stripe: {exc}") from exc
        return parse_event(event)

    def __repr__(self) -> str:
        return "StripeProvider()"


def _answer_lost(cause: BaseException | None) -> bool:
    """Whether the request may have reached Stripe (timed out or cut off after sending)."""
    if isinstance(cause, httpx.ConnectTimeout | httpx.PoolTimeout | httpx.ConnectError):
        return False
    return isinstance(cause, httpx.TimeoutException | httpx.NetworkError | httpx.ProtocolError)
