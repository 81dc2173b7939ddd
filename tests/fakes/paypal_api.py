"""A local PayPal: OAuth2, Vault v3, Orders v2, Payments v2 and webhook verification.

JSON bodies as PayPal documents them (`purchase_units[].payments.authorizations[]`, amounts
as `{"currency_code", "value"}` strings), `PayPal-Request-Id` idempotency (a repeated id
replays the stored answer), PayPal's error shape (`{"name": "UNPROCESSABLE_ENTITY",
"details": [{"issue": "INSTRUMENT_DECLINED", …}]}`) and transmission-signed webhooks checked
by `POST /v1/notifications/verify-webhook-signature`. Real PayPal signs with an RSA key
behind `PAYPAL-CERT-URL`; this fake signs with a private HMAC key (only it verifies).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import itertools
import json
import secrets
import zlib
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes import FakeServer
from tests.fakes.paypal_payments import PayPalPayments
from tests.fakes.paypal_wire import Outcome, error
from tests.fakes.paypal_wire import canonical as _canonical
from tests.fakes.paypal_wire import now as _now

CLIENT_ID = "paypal-client-mercato"
CLIENT_SECRET = "paypal-secret-mercato"
WEBHOOK_ID = "1JE4291016473214C"


class FakePayPal(PayPalPayments, FakeServer):
    def __init__(
        self,
        *,
        client_id: str = CLIENT_ID,
        client_secret: str = CLIENT_SECRET,
        webhook_id: str = WEBHOOK_ID,
    ) -> None:
        super().__init__()
        self.client_id, self.client_secret, self.webhook_id = client_id, client_secret, webhook_id
        self.tokens: set[str] = set()
        self.token_requests = 0
        self.vault: dict[str, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.authorizations: dict[str, dict[str, Any]] = {}
        self.captures: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self._outcomes: dict[str, Outcome | None] = {}
        self._declining_orders: set[str] = set()
        self._replies: dict[tuple[str, str], tuple[int, Any]] = {}
        self._signing_key = secrets.token_bytes(32)
        self._ids = itertools.count(1)

    def _id(self, prefix: str = "") -> str:
        return f"{prefix}{next(self._ids):04d}{secrets.token_hex(6).upper()}"

    # -- the app ---------------------------------------------------------------------------

    def build_app(self) -> Starlette:
        post = ["POST"]
        routes = [
            ("/v3/vault/setup-tokens", self._setup_token, post),
            ("/v3/vault/payment-tokens", self._payment_token, post),
            ("/v2/checkout/orders", self._create_order, post),
            ("/v2/checkout/orders/{id}", self._get_order, ["GET"]),
            ("/v2/checkout/orders/{id}/authorize", self._authorize_order, post),
            ("/v2/payments/authorizations/{id}", self._get_authorization, ["GET"]),
            ("/v2/payments/authorizations/{id}/capture", self._capture, post),
            ("/v2/payments/authorizations/{id}/void", self._void, post),
            ("/v2/payments/captures/{id}", self._get_capture, ["GET"]),
            ("/v2/payments/captures/{id}/refund", self._refund, post),
            ("/v1/notifications/verify-webhook-signature", self._verify, post),
        ]
        return Starlette(
            routes=[
                Route("/v1/oauth2/token", self._oauth, methods=post),
                *(Route(path, self._endpoint(fn), methods=m) for path, fn, m in routes),
            ]
        )

    def unavailable(self) -> Response:
        return error(503, "SERVICE_UNAVAILABLE", message="Service Unavailable.")

    async def _oauth(self, request: Request) -> Response:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        form = dict(parse_qsl((await request.body()).decode()))
        if request.headers.get("authorization") != f"Basic {expected}":
            return JSONResponse(
                {"error": "invalid_client", "error_description": "Client Authentication failed"},
                status_code=401,
            )
        if form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        self.token_requests += 1
        token = f"A21AA{secrets.token_urlsafe(24)}"
        self.tokens.add(token)
        return JSONResponse(
            {
                "scope": "https://uri.paypal.com/services/payments/payment",
                "access_token": token,
                "token_type": "Bearer",
                "app_id": "APP-80W284485P519543T",
                "expires_in": 32400,
                "nonce": f"{_now()}{secrets.token_hex(8)}",
            }
        )

    def expire_tokens(self) -> None:
        """Every access token issued so far stops working (401 invalid_token)."""
        self.tokens.clear()

    def _endpoint(self, action: Any) -> Any:
        async def handle(request: Request) -> Response:
            auth = request.headers.get("authorization", "")
            if auth.removeprefix("Bearer ") not in self.tokens:
                return JSONResponse(
                    {"error": "invalid_token", "error_description": "Access Token not found"},
                    status_code=401,
                )
            body = await request.json() if await request.body() else {}
            key = request.headers.get("paypal-request-id")
            ident = request.path_params.get("id", "")
            if request.method != "POST" or not key:
                return await self._respond(action(ident, body))
            stored = self._replies.get((request.url.path, key))
            if stored is None:
                stored = action(ident, body)
                self._replies[(request.url.path, key)] = stored
            return await self._respond(stored)

        return handle

    async def _respond(self, reply: Any) -> Response:
        if isinstance(reply, Response):
            return reply
        status, body = reply
        return JSONResponse(body, status_code=status) if body is not None else Response(None, 204)

    # -- webhooks --------------------------------------------------------------------------

    def _emit(
        self, event_type: str, resource_type: str, resource: dict[str, Any]
    ) -> dict[str, Any]:
        event = {
            "id": f"WH-{self._id()}",
            "event_version": "1.0",
            "create_time": _now(),
            "resource_type": resource_type,
            "resource_version": "2.0",
            "event_type": event_type,
            "summary": event_type.replace(".", " ").lower(),
            "resource": copy.deepcopy(resource),
        }
        self.events.append(event)
        return event

    def dispute(self, capture_id: str) -> dict[str, Any]:
        """The buyer disputes a capture: the `CUSTOMER.DISPUTE.CREATED` event."""
        capture = self.captures[capture_id]
        dispute = {
            "dispute_id": f"PP-D-{self._id()}",
            "reason": "UNAUTHORISED",
            "status": "OPEN",
            "dispute_amount": dict(capture["amount"]),
            "disputed_transactions": [{"seller_transaction_id": capture_id}],
            "create_time": _now(),
        }
        event: dict[str, Any] = self._emit("CUSTOMER.DISPUTE.CREATED", "dispute", dispute)
        return event

    def events_of(self, event_type: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["event_type"] == event_type]

    def _signature(self, transmission_id: str, time_: str, webhook_id: str, event: Any) -> str:
        message = f"{transmission_id}|{time_}|{webhook_id}|{zlib.crc32(_canonical(event))}"
        mac = hmac.new(self._signing_key, message.encode(), hashlib.sha256).digest()
        return base64.b64encode(mac).decode()

    def signed(
        self, event: dict[str, Any], *, transmission_time: str | None = None
    ) -> tuple[dict[str, str], bytes]:
        """A delivery of `event` as PayPal sends it: the body and its transmission headers
        (each delivery is a new transmission of the same event)."""
        transmission_id = secrets.token_hex(16)
        time_ = transmission_time or _now()
        headers = {
            "Content-Type": "application/json",
            "PAYPAL-TRANSMISSION-ID": transmission_id,
            "PAYPAL-TRANSMISSION-TIME": time_,
            "PAYPAL-TRANSMISSION-SIG": self._signature(
                transmission_id, time_, self.webhook_id, event
            ),
            "PAYPAL-CERT-URL": f"{self.url}/v1/notifications/certs/CERT-360caa42-fca2a594",
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
        }
        return headers, json.dumps(event, indent=2).encode()

    def _verify(self, _: str, body: dict[str, Any]) -> Any:
        required = ("transmission_id", "transmission_time", "transmission_sig", "cert_url",
                    "auth_algo", "webhook_id", "webhook_event")  # fmt: skip
        if any(not body.get(name) for name in required):
            return error(400, "VALIDATION_ERROR", "MISSING_REQUIRED_PARAMETER")
        expected = self._signature(
            body["transmission_id"],
            body["transmission_time"],
            body["webhook_id"],
            body["webhook_event"],
        )
        ok = (
            body["webhook_id"] == self.webhook_id
            and body["auth_algo"] == "SHA256withRSA"
            and hmac.compare_digest(expected, str(body["transmission_sig"]))
        )
        return 200, {"verification_status": "SUCCESS" if ok else "FAILURE"}
