"""A local Stripe: the subset of the v1 API Mercato's Stripe provider uses, on the real wire.

Form-encoded requests (`card[number]=…`, `metadata[reference]=…`), bearer API keys,
`Idempotency-Key` replay (same key and params: the stored answer again, with
`Idempotent-Replayed: true`; same key, other params: 400 `idempotency_error`), Stripe's error
objects (402 `card_error` with `code`/`decline_code`), its test cards and test payment
methods, and signed webhook events (`Stripe-Signature: t=…,v1=HMAC-SHA256("t.payload")`).
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import re
import secrets
import time
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes import FakeServer
from tests.fakes.stripe_cards import Decline, parse_form
from tests.fakes.stripe_cards import error as _error
from tests.fakes.stripe_payments import StripePayments

API_KEY = "sk_test_mercato"
WEBHOOK_SECRET = "whsec_test_mercato"


class FakeStripe(StripePayments, FakeServer):
    def __init__(self, *, api_key: str = API_KEY, webhook_secret: str = WEBHOOK_SECRET) -> None:
        super().__init__()
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.payment_methods: dict[str, dict[str, Any]] = {}
        self.payment_intents: dict[str, dict[str, Any]] = {}
        self.charges: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self._declines: dict[str, Decline | None] = {}
        self._idempotency: dict[str, tuple[str, int, dict[str, Any]]] = {}
        self._ids = itertools.count(1)

    # -- the app ---------------------------------------------------------------------------

    def build_app(self) -> Starlette:
        post = ["POST"]
        return Starlette(
            routes=[
                Route("/v1/payment_methods", self._endpoint(self._create_pm), methods=post),
                Route("/v1/payment_intents", self._endpoint(self._create_pi), methods=post),
                Route("/v1/payment_intents/search", self._search),
                Route("/v1/payment_intents/{id}", self._endpoint(self._get_pi)),
                Route(
                    "/v1/payment_intents/{id}/capture",
                    self._endpoint(self._capture),
                    methods=post,
                ),
                Route(
                    "/v1/payment_intents/{id}/cancel", self._endpoint(self._cancel), methods=post
                ),
                Route("/v1/refunds", self._endpoint(self._create_refund), methods=post),
            ]
        )

    async def _search(self, request: Request) -> Response:
        """`GET /v1/payment_intents/search?query=metadata['key']:'value'` (Stripe's search
        query language, the one clause Mercato uses)."""
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            status, body = _error(401, "invalid_request_error", "Invalid API Key provided.")
            return JSONResponse(body, status_code=status)
        found = re.fullmatch(
            r"metadata\['([^']+)'\]:'((?:[^'\\]|\\.)*)'", request.query_params.get("query", "")
        )
        if found is None:
            status, body = _error(400, "invalid_request_error", "Invalid search query.")
            return JSONResponse(body, status_code=status)
        name, value = found.group(1), re.sub(r"\\(.)", r"\1", found.group(2))
        hits = [pi for pi in self.payment_intents.values() if pi["metadata"].get(name) == value]
        return JSONResponse(
            {
                "object": "search_result",
                "url": "/v1/payment_intents/search",
                "has_more": False,
                "data": hits[: int(request.query_params.get("limit", "10"))],
                "next_page": None,
            }
        )

    def forget_idempotency_keys(self) -> None:
        """What Stripe does 24 h after a request: a repeat of it is a new request."""
        self._idempotency.clear()

    def unavailable(self) -> Response:
        return JSONResponse(
            {"error": {"type": "api_error", "message": "Stripe is temporarily unavailable."}},
            status_code=503,
        )

    def _endpoint(self, action: Any) -> Any:
        async def handle(request: Request) -> Response:
            if request.headers.get("authorization") != f"Bearer {self.api_key}":
                status, body = _error(401, "invalid_request_error", "Invalid API Key provided.")
                return JSONResponse(body, status_code=status)
            params = parse_form(await request.body())
            key = request.headers.get("idempotency-key")
            if request.method != "POST" or not key:
                status, body = action(request.path_params.get("id"), params, key)
                return JSONResponse(body, status_code=status)
            fingerprint = json.dumps([request.url.path, params], sort_keys=True)
            stored = self._idempotency.get(key)
            if stored is not None:
                if stored[0] != fingerprint:
                    status, body = _error(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used with the same "
                        "parameters they were first used with.",
                    )
                    return JSONResponse(body, status_code=status)
                return JSONResponse(
                    stored[2], status_code=stored[1], headers={"Idempotent-Replayed": "true"}
                )
            status, body = action(request.path_params.get("id"), params, key)
            self._idempotency[key] = (fingerprint, status, body)
            return JSONResponse(body, status_code=status)

        return handle

    # -- resources -------------------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids):04d}{secrets.token_hex(8)}"

    # -- webhooks --------------------------------------------------------------------------

    def _emit(self, type_: str, obj: dict[str, Any], key: str | None) -> dict[str, Any]:
        event = {
            "id": self._id("evt"),
            "object": "event",
            "api_version": "2026-10-28.endive",
            "created": int(time.time()),
            "data": {"object": copy.deepcopy(obj)},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": key},
            "type": type_,
        }
        self.events.append(event)
        return event

    def dispute(self, pi_id: str, *, reason: str = "fraudulent") -> dict[str, Any]:
        """The cardholder disputes a payment: the `charge.dispute.created` event."""
        pi = self.payment_intents[pi_id]
        dispute = {
            "id": self._id("dp"),
            "object": "dispute",
            "amount": pi["amount_received"],
            "charge": pi["latest_charge"],
            "currency": pi["currency"],
            "payment_intent": pi_id,
            "reason": reason,
            "status": "needs_response",
            "created": int(time.time()),
        }
        return self._emit("charge.dispute.created", dispute, None)

    def events_of(self, type_: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["type"] == type_]

    def signed(
        self, event: dict[str, Any], *, timestamp: int | None = None, secret: str | None = None
    ) -> tuple[dict[str, str], bytes]:
        """A delivery of `event` as Stripe sends it: the body and its `Stripe-Signature`."""
        body = json.dumps(event, indent=2).encode()
        t = int(time.time()) if timestamp is None else timestamp
        mac = hmac.new(
            (secret or self.webhook_secret).encode(), f"{t}.".encode() + body, hashlib.sha256
        )
        headers = {
            "Content-Type": "application/json",
            "Stripe-Signature": f"t={t},v1={mac.hexdigest()}",
        }
        return headers, body

    async def deliver(
        self,
        url: str,
        event: dict[str, Any],
        *,
        client: httpx.AsyncClient | None = None,
        timestamp: int | None = None,
    ) -> httpx.Response:
        """POST a signed delivery of `event` to `url` (a webhook endpoint)."""
        headers, body = self.signed(event, timestamp=timestamp)
        if client is not None:
            return await client.post(url, content=body, headers=headers)
        async with httpx.AsyncClient() as own:
            return await own.post(url, content=body, headers=headers)
