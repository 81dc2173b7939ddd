"""The payment provider interface: what the payments agent asks of a gateway.

A provider is an outside system. Every call that can move money carries an idempotency key,
so a repeated call (a retry, a resumed saga) never takes money twice. Declines are answers
(`GatewayResult.status == "declined"`), not exceptions; exceptions are for a gateway that
cannot be reached (`GatewayUnavailable`, nothing happened) or whose answer was lost
(`OutcomeUnknown`, it may have happened: ask again with `lookup`).

Card numbers never reach Mercato's database: checkout turns a card into the provider's token
(`tokenize`) before anything is stored, and only the token, brand and last four digits are
kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, Protocol

GatewayStatus = Literal["authorized", "captured", "voided", "declined", "refunded", "pending"]


class GatewayError(Exception):
    """Base of the gateway's failures (not its declines)."""


class GatewayUnavailable(GatewayError):  # noqa: N818 - the gateway's state, not ours
    """The gateway could not be reached or refused to work (5xx, connection refused): the
    operation did not happen (EC017)."""


class OutcomeUnknown(GatewayError):  # noqa: N818 - the gateway's state, not ours
    """The request went out but its answer was lost (a timeout after sending): it may have
    happened. Ask again with the same idempotency key, or `lookup` (EC004)."""


class InvalidWebhook(GatewayError):  # noqa: N818 - the gateway's state, not ours
    """A webhook whose signature, timestamp or shape does not verify."""


@dataclass(frozen=True)
class Card:
    number: str
    exp_month: int
    exp_year: int
    cvc: str | None
    holder: str | None = None

    @property
    def last4(self) -> str:
        return self.number[-4:]


@dataclass(frozen=True)
class Tokenized:
    """A payment source the gateway can charge, without the card number."""

    token: str
    brand: str | None = None
    last4: str | None = None
    fingerprint: str | None = None
    """Stable per card number (velocity checks count cards by it)."""
    exp_month: int | None = None
    exp_year: int | None = None
    """The card's expiry (None: not a card, or a token made elsewhere)."""


@dataclass(frozen=True)
class AuthorizationRequest:
    token: str
    amount: Decimal
    currency: str
    idempotency_key: str
    reference: str
    """Mercato's order id (the gateway's metadata / custom id)."""
    email: str | None = None
    description: str | None = None
    capture: bool = False
    """Authorize and capture at once (the store's capture mode `immediate`)."""
    may_replay: bool = True
    """`lookup` may re-send the request under its key (the gateway answers a repeat with
    the first answer). False once the gateway may have forgotten the key (Stripe keeps keys
    24 h): a re-sent request would then authorize anew, so look the authorization up by the
    key kept in its metadata instead."""


@dataclass(frozen=True)
class GatewayResult:
    status: GatewayStatus
    provider_ref: str | None
    """The gateway's id of the authorization (PaymentIntent, PayPal authorization…)."""
    amount: Decimal
    decline_code: str | None = None
    """card_declined, insufficient_funds, fraudulent, expired_card, … when declined."""
    message: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RefundResult:
    refund_ref: str
    amount: Decimal
    status: Literal["succeeded", "pending", "failed"]
    raw: Mapping[str, Any] = field(default_factory=dict)
    decline_code: str | None = None
    """Why a failed refund failed, when the gateway says: `expired_card` (the original card
    expired or was closed: it cannot take the refund), …"""


@dataclass(frozen=True)
class WebhookEvent:
    """A verified gateway notification, reduced to what the payments agent acts on."""

    provider: str
    event_id: str
    """The gateway's id of the delivery's event: a second delivery has the same one (EC005)."""
    kind: Literal["authorized", "captured", "voided", "refunded", "failed", "disputed", "other"]
    provider_ref: str | None
    """The authorization it is about (PaymentIntent id, PayPal authorization id)."""
    amount: Decimal | None = None
    """authorized: the capturable amount; captured: the amount taken; refunded: the total
    refunded so far (gateways report refunds cumulatively); disputed: the amount disputed."""
    refund_ref: str | None = None
    occurred_at: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)


class PaymentProvider(Protocol):
    name: str

    async def tokenize(self, card: Card) -> Tokenized: ...

    async def authorize(self, request: AuthorizationRequest) -> GatewayResult: ...

    async def lookup(self, request: AuthorizationRequest) -> GatewayResult | None:
        """The gateway's record of the authorization made with `request.idempotency_key`,
        or None if it never happened (reconciliation after `OutcomeUnknown`)."""
        ...

    async def capture(
        self,
        provider_ref: str,
        *,
        amount: Decimal,
        currency: str,
        idempotency_key: str,
        final: bool = True,
    ) -> GatewayResult:
        """Capture `amount` of the authorization. `final`: the last capture, the gateway
        releases what is left; otherwise more captures may follow (a shipment of part of an
        order). A captured answer's `amount` is what THIS capture took."""
        ...

    async def void(self, provider_ref: str, *, idempotency_key: str) -> GatewayResult: ...

    async def refund(
        self, provider_ref: str, *, amount: Decimal, currency: str, idempotency_key: str
    ) -> RefundResult: ...

    async def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent:
        """Verify a delivery's signature (and timestamp) and parse it; `InvalidWebhook` if
        it does not verify."""
        ...

    async def close(self) -> None: ...
