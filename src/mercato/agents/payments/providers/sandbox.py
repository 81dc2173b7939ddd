"""The sandbox gateway: a built-in payment provider that needs no account.

It behaves like an outside gateway: it keeps its own durable ledger (`sandbox_ledger`, its
own database), honours idempotency keys across restarts, and signs its webhooks. Its test
cards and tokens, and what each does, are in `sandbox_cards`; its answers' shapes in
`sandbox_answers`.

Captures: an authorization may be captured several times (a shipment of part of an order
each, ``final=False``) until a final capture, or until the authorized amount is reached; a
capture above what is left is refused (``amount_too_large``). A final capture, or a void
after some captures, releases what is left (the authorization is then ``captured``).

Refunds: refused (``failed``, decline code ``expired_card``) when the card the token stands
for has expired by the time of the refund (by the sandbox's own clock), as processors refuse
a refund to a closed card.

Webhooks: ``webhook(kind, provider_ref, …)`` builds a signed delivery (headers, body), as the
gateway would POST it to ``/v1/payments/webhooks/sandbox``. The signature header is
``Mercato-Sandbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`` with the
ledger's secret; deliveries older or newer than 300 s are refused.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal

from mercato.agents.payments.providers.base import (
    AuthorizationRequest,
    Card,
    GatewayResult,
    GatewayUnavailable,
    InvalidWebhook,
    OutcomeUnknown,
    RefundResult,
    Tokenized,
    WebhookEvent,
)
from mercato.agents.payments.providers.sandbox_answers import answer, from_answer, result
from mercato.agents.payments.providers.sandbox_cards import (
    BEHAVIOURS,
    DECLINES,
    TEST_CARDS,
    behaviour_of,
    brand_of,
    expiry_of,
)
from mercato.agents.payments.providers.sandbox_ledger import Row, SandboxLedger
from mercato.agents.payments.providers.sandbox_webhooks import parse_delivery, sign
from mercato.agents.payments.rules import card_not_expired
from mercato.kernel.config import Settings

__all__ = [
    "BEHAVIOURS",
    "DECLINES",
    "SIGNATURE_HEADER",
    "TEST_CARDS",
    "TOLERANCE",
    "SandboxProvider",
    "behaviour_of",
    "brand_of",
    "expiry_of",
    "ledger_states",
    "sandbox_url",
]

SIGNATURE_HEADER = "Mercato-Sandbox-Signature"
TOLERANCE = 300


def sandbox_url(settings: Settings) -> str:
    """Where the sandbox keeps its ledger: `sandbox_gateway_url`; else, embedded, a SQLite
    file in the data directory; scaled, its own `sandbox_*` tables in the store's
    PostgreSQL database, which every server process reaches (a file would be each host's)."""
    if settings.sandbox_gateway_url:
        return settings.sandbox_gateway_url
    if not settings.is_sqlite:
        return settings.resolved_database_url
    return f"sqlite+aiosqlite:///{settings.data_dir / 'sandbox_gateway.sqlite'}"


async def ledger_states(settings: Settings) -> dict[str, str]:
    """What the sandbox holds, for tests and operators: each authorization's reference
    (Mercato's ORDER id; the gateway never sees payment ids) → its status (authorized,
    captured, voided, declined). An order with several authorizations shows the one that
    holds money, if any."""
    provider = SandboxProvider(sandbox_url(settings))
    try:
        rows = await provider.ledger.all_authorizations()
    finally:
        await provider.close()
    states: dict[str, str] = {}
    for row in rows:
        if states.get(row["reference"]) not in ("authorized", "captured"):
            states[row["reference"]] = row["status"]
    return states


class SandboxProvider:
    """The `sandbox` payment provider (see `sandbox_cards` for its test cards)."""

    name = "sandbox"

    def __init__(
        self, url: str, *, latency: float = 0.0, clock: Callable[[], float] = time.time
    ) -> None:
        self.ledger = SandboxLedger(url)
        self.latency = latency
        self.outage = False
        """Set to make every call fail with `GatewayUnavailable` (an outage of the gateway)."""
        self.clock = clock
        """The gateway's own time (unix seconds): webhooks' timestamps, card expiry."""

    async def _call(self) -> None:
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.outage:
            raise GatewayUnavailable("the sandbox gateway is down")

    # -- cards ---------------------------------------------------------------------------------

    async def tokenize(self, card: Card) -> Tokenized:
        await self._call()
        number = "".join(card.number.split())
        behaviour = TEST_CARDS.get(number, "success")
        salt = await self.ledger.secret("fingerprint_salt")
        fingerprint = hashlib.sha256(f"{salt}:{number}".encode()).hexdigest()[:32]
        year = card.exp_year + 2000 if 0 <= card.exp_year < 100 else card.exp_year
        return Tokenized(
            token=f"tok_sbx_{behaviour}_{secrets.token_hex(8)}_x{card.exp_month:02d}{year:04d}",
            brand=brand_of(number),
            last4=number[-4:],
            fingerprint=fingerprint,
            exp_month=card.exp_month,
            exp_year=year,
        )

    def card_expired(self, token: str) -> bool:
        """Whether the card behind `token` has expired, by the sandbox's clock."""
        expiry = expiry_of(token)
        if expiry is None:
            return False
        now = datetime.fromtimestamp(self.clock(), UTC)
        return not card_not_expired(exp_month=expiry[0], exp_year=expiry[1], now=now)

    # -- authorizations ----------------------------------------------------------------------

    async def authorize(self, request: AuthorizationRequest) -> GatewayResult:
        await self._call()
        behaviour = behaviour_of(request.token)
        if behaviour == "gateway_down":
            raise GatewayUnavailable("the sandbox gateway is down (test card 5126)")
        if behaviour is None or behaviour in DECLINES:
            status, decline = "declined", behaviour or "invalid_token"
        else:
            status, decline = ("captured" if request.capture else "authorized"), None
        amount = format(request.amount, "f")
        row, created = await self.ledger.authorize(
            {
                "id": f"pi_sbx_{secrets.token_hex(10)}",
                "idempotency_key": request.idempotency_key,
                "token": request.token,
                "reference": request.reference,
                "amount": amount,
                "currency": request.currency.upper(),
                "status": status,
                "captured": amount if status == "captured" else "0",
                "refunded": "0",
                "decline_code": decline,
            }
        )
        if created and behaviour == "lost_answer":
            raise OutcomeUnknown("the sandbox authorized, but its answer was lost (card 0119)")
        return result(row)

    async def lookup(self, request: AuthorizationRequest) -> GatewayResult | None:
        await self._call()
        if behaviour_of(request.token) == "gateway_down":
            raise GatewayUnavailable("the sandbox gateway is down (test card 5126)")
        row = await self.ledger.authorization_by_key(request.idempotency_key)
        return result(row) if row else None

    async def capture(
        self,
        provider_ref: str,
        *,
        amount: Decimal,
        currency: str,
        idempotency_key: str,
        final: bool = True,
    ) -> GatewayResult:
        await self._call()

        def apply(row: Row | None) -> tuple[Row, Row]:
            if row is None:
                return {}, answer("declined", provider_ref, amount, "resource_missing")
            if row["status"] == "captured":
                return {}, answer("declined", provider_ref, amount, "already_captured")
            if row["status"] != "authorized":
                return {}, answer("declined", provider_ref, amount, "not_capturable")
            before = Decimal(row["captured"])
            if amount <= 0 or before + amount > Decimal(row["amount"]):
                return {}, answer("declined", provider_ref, amount, "amount_too_large")
            captured = before + amount
            closed = final or captured >= Decimal(row["amount"])
            changes = {
                "status": "captured" if closed else "authorized",
                "captured": format(captured, "f"),
            }
            return changes, answer("captured", provider_ref, amount)

        response = await self.ledger.operate(
            idempotency_key=idempotency_key,
            kind="capture",
            authorization_id=provider_ref,
            apply=apply,
        )
        return from_answer(response)

    async def void(self, provider_ref: str, *, idempotency_key: str) -> GatewayResult:
        await self._call()

        def apply(row: Row | None) -> tuple[Row, Row]:
            if row is None:
                return {}, answer("declined", provider_ref, Decimal(0), "resource_missing")
            amount = Decimal(row["amount"])
            captured = Decimal(row["captured"])
            if row["status"] == "authorized" and captured > 0:  # what is left is released
                return {"status": "captured"}, answer("voided", provider_ref, amount - captured)
            if row["status"] in ("authorized", "voided"):
                return {"status": "voided"}, answer("voided", provider_ref, amount)
            return {}, answer("declined", provider_ref, amount, f"already_{row['status']}")

        response = await self.ledger.operate(
            idempotency_key=idempotency_key, kind="void", authorization_id=provider_ref, apply=apply
        )
        return from_answer(response)

    async def refund(
        self, provider_ref: str, *, amount: Decimal, currency: str, idempotency_key: str
    ) -> RefundResult:
        await self._call()
        refund_ref = f"re_sbx_{secrets.token_hex(10)}"

        def apply(row: Row | None) -> tuple[Row, Row]:
            failed = {"refund_ref": refund_ref, "amount": format(amount, "f"), "status": "failed"}
            if row is None or Decimal(row["captured"]) <= 0:
                return {}, failed
            if row["status"] not in ("captured", "authorized"):
                return {}, failed
            if self.card_expired(row["token"]):
                return {}, {**failed, "decline_code": "expired_card"}
            left = Decimal(row["captured"]) - Decimal(row["refunded"])
            if amount <= 0 or amount > left:
                return {}, failed
            refunded = format(Decimal(row["refunded"]) + amount, "f")
            return {"refunded": refunded}, {**failed, "status": "succeeded"}

        response = await self.ledger.operate(
            idempotency_key=idempotency_key,
            kind="refund",
            authorization_id=provider_ref,
            apply=apply,
        )
        return RefundResult(
            refund_ref=response["refund_ref"],
            amount=Decimal(response["amount"]),
            status=response["status"],
            raw=response,
            decline_code=response.get("decline_code"),
        )

    # -- webhooks --------------------------------------------------------------------------

    async def webhook(
        self,
        kind: str,
        provider_ref: str | None,
        *,
        amount: Decimal | None = None,
        refund_ref: str | None = None,
        event_id: str | None = None,
        timestamp: int | None = None,
    ) -> tuple[dict[str, str], bytes]:
        """A signed delivery about `provider_ref`, as the gateway POSTs it: (headers, body).
        Reuse `event_id` to deliver the same event twice (EC005)."""
        body = json.dumps(
            {
                "id": event_id or f"evt_sbx_{secrets.token_hex(10)}",
                "type": f"payment.{kind}",
                "created": int(self.clock()),
                "data": {
                    "provider_ref": provider_ref,
                    "amount": format(amount, "f") if amount is not None else None,
                    "refund_ref": refund_ref,
                },
            },
            separators=(",", ":"),
        ).encode()
        secret = await self.ledger.secret("webhook_secret")
        stamp = int(self.clock()) if timestamp is None else timestamp
        return {
            SIGNATURE_HEADER: sign(secret, stamp, body),
            "content-type": "application/json",
        }, body

    async def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent:
        header = next(
            (v for k, v in headers.items() if k.lower() == SIGNATURE_HEADER.lower()), None
        )
        if not header:
            raise InvalidWebhook(f"no {SIGNATURE_HEADER} header")
        parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
        try:
            stamp = int(parts.get("t", ""))
        except ValueError:
            raise InvalidWebhook("the signature has no timestamp") from None
        if abs(self.clock() - stamp) > TOLERANCE:
            raise InvalidWebhook("the delivery's timestamp is outside the tolerance")
        secret = await self.ledger.secret("webhook_secret")
        expected = sign(secret, stamp, body).split("v1=", 1)[1]
        if not hmac.compare_digest(expected, parts.get("v1", "")):
            raise InvalidWebhook("the signature does not match")
        return parse_delivery(self.name, body)

    async def close(self) -> None:
        await self.ledger.close()
