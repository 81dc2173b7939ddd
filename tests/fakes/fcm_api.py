"""A local Firebase Cloud Messaging: Google's OAuth token endpoint for service accounts and
the HTTP v1 `messages:send`, on the real wire.

`POST /token` trades a service account's signed JWT (RFC 7523: RS256 over `iss`, `scope`,
`aud`, `iat`, `exp`) for an access token, checking the signature with the account's public
key; a bad assertion gets `400 {"error": "invalid_grant"}`. `POST
/v1/projects/{project}/messages:send` takes only a current token it issued (401
UNAUTHENTICATED otherwise), checks the message as FCM does and answers with FCM's error
objects (`details[].errorCode` in a `google.firebase.fcm.v1.FcmError`).
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes import FakeServer

PROJECT_ID = "mercato-test"
CLIENT_EMAIL = f"firebase-adminsdk-fake@{PROJECT_ID}.iam.gserviceaccount.com"
SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"
TOKEN_PATTERN = re.compile(r"^[\w:.-]{8,}$")
RESERVED_DATA_KEYS = {"from", "gcm", "message_type", "collapse_key"}


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def fcm_error(
    status: int,
    canonical: str,
    message: str,
    error_code: str | None = None,
    *,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """FCM's (Google's) error answer, with the FcmError and a field violation when given."""
    details: list[dict[str, Any]] = []
    if error_code is not None:
        details.append({"@type": FCM_ERROR, "errorCode": error_code})
    if field is not None:
        violation = {"field": field, "description": message}
        details.append({"@type": BAD_REQUEST, "fieldViolations": [violation]})
    body: dict[str, Any] = {"code": status, "message": message, "status": canonical}
    if details:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status, headers=headers)


class FakeFcm(FakeServer):
    def __init__(self, *, project_id: str = PROJECT_ID, client_email: str = CLIENT_EMAIL) -> None:
        super().__init__()
        self.project_id, self.client_email = project_id, client_email
        self.key = new_key()
        self.tokens: dict[str, float] = {}
        """Access tokens issued, with when each expires (epoch seconds)."""
        self.token_requests = 0
        self.assertions: list[dict[str, Any]] = []
        """The claims of every assertion the token endpoint accepted."""
        self.messages: list[dict[str, Any]] = []
        """The `message` of every send FCM accepted."""
        self.unregistered: set[str] = set()
        self.sender_mismatch: set[str] = set()
        self.rate_limited = False
        self.retry_after = 7

    @property
    def token_uri(self) -> str:
        return f"{self.url}/token"

    def build_app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/token", self._token, methods=["POST"]),
                Route("/v1/projects/{project}/messages:send", self._send, methods=["POST"]),
            ]
        )

    def unavailable(self) -> Response:
        return fcm_error(503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE")

    def expire_tokens(self) -> None:
        """Every access token issued so far stops working (the next send gets a 401)."""
        self.tokens.clear()

    def service_account_file(
        self, path: Path, *, key: rsa.RSAPrivateKey | None = None, private_key: str | None = None
    ) -> Path:
        """Write a service account's JSON key file whose `token_uri` is this fake. `key`: sign
        with another RSA key than the one the fake knows; `private_key`: put that text in."""
        pem = (key or self.key).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        account = {
            "type": "service_account",
            "project_id": self.project_id,
            "private_key_id": secrets.token_hex(20),
            "private_key": private_key if private_key is not None else pem.decode(),
            "client_email": self.client_email,
            "client_id": str(secrets.randbelow(10**20)),
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": self.token_uri,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/fake",
            "universe_domain": "googleapis.com",
        }
        path.write_text(json.dumps(account, indent=2))
        return path

    # -- the OAuth token endpoint ----------------------------------------------------------

    async def _token(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode()))
        if form.get("grant_type") != GRANT_TYPE:
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        try:
            claims = jwt.decode(
                form.get("assertion", ""),
                self.key.public_key(),
                algorithms=["RS256"],
                audience=self.token_uri,
                options={"require": ["iss", "scope", "aud", "iat", "exp"]},
            )
        except jwt.PyJWTError as exc:
            return JSONResponse(
                {"error": "invalid_grant", "error_description": f"Invalid JWT: {exc}"},
                status_code=400,
            )
        refused = self._refuse_claims(claims)
        if refused is not None:
            return JSONResponse(
                {"error": "invalid_grant", "error_description": refused}, status_code=400
            )
        self.token_requests += 1
        self.assertions.append(claims)
        token = f"ya29.c.{secrets.token_urlsafe(32)}"
        self.tokens[token] = time.time() + 3599
        return JSONResponse({"access_token": token, "expires_in": 3599, "token_type": "Bearer"})

    def _refuse_claims(self, claims: dict[str, Any]) -> str | None:
        if claims["iss"] != self.client_email:
            return "Invalid issuer: not a service account of this project"
        if SCOPE not in str(claims["scope"]).split():
            return "Invalid OAuth scope or ID token audience provided."
        if int(claims["exp"]) - int(claims["iat"]) > 3600:
            return "Invalid JWT: Token must be a short-lived token (60 minutes)"
        return None

    # -- messages:send ---------------------------------------------------------------------

    async def _send(self, request: Request) -> Response:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if self.tokens.get(token, 0.0) <= time.time():
            return fcm_error(
                401,
                "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access "
                "token, login cookie or other valid authentication credential.",
            )
        if request.path_params["project"] != self.project_id:
            return fcm_error(403, "PERMISSION_DENIED", "Permission denied on resource project.")
        if self.rate_limited:
            return fcm_error(
                429,
                "RESOURCE_EXHAUSTED",
                "Quota exceeded for quota metric 'Send requests'.",
                "QUOTA_EXCEEDED",
                headers={"Retry-After": str(self.retry_after)},
            )
        try:
            body = json.loads(await request.body())
        except ValueError:
            return fcm_error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, dict):
            return fcm_error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.")
        refused = self._validate(message)
        if refused is not None:
            return refused
        target = message["token"]
        if target in self.unregistered:
            return fcm_error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED")
        if target in self.sender_mismatch:
            return fcm_error(403, "PERMISSION_DENIED", "SenderId mismatch", "SENDER_ID_MISMATCH")
        self.messages.append(message)
        number = next(_ids)
        return JSONResponse(
            {"name": f"projects/{self.project_id}/messages/0:{number}%{secrets.token_hex(8)}"}
        )

    def _validate(self, message: dict[str, Any]) -> Response | None:
        invalid = "INVALID_ARGUMENT"
        targets = [k for k in ("token", "topic", "condition") if k in message]
        if targets != ["token"]:
            text = "Recipient of the message is not set."
            return fcm_error(400, invalid, text, invalid, field="message")
        if not isinstance(message["token"], str) or not TOKEN_PATTERN.match(message["token"]):
            text = "The registration token is not a valid FCM registration token"
            return fcm_error(400, invalid, text, invalid, field="message.token")
        notification = message.get("notification", {})
        if not isinstance(notification, dict) or not all(
            isinstance(notification.get(k, ""), str) for k in ("title", "body")
        ):
            return fcm_error(400, invalid, "Invalid value at 'message.notification'", invalid)
        data = message.get("data", {})
        if not isinstance(data, dict):
            return fcm_error(400, invalid, "Invalid value at 'message.data'", invalid)
        for index, (key, value) in enumerate(data.items()):
            if not isinstance(value, str):
                text = f"Invalid value at 'message.data[{index}].value' (TYPE_STRING), {value}"
                return fcm_error(400, invalid, text, field=f"message.data[{index}].value")
            if key in RESERVED_DATA_KEYS or key.startswith("google"):
                return fcm_error(400, invalid, f"Invalid data key: {key}", invalid)
        android = message.get("android", {})
        priority = android.get("priority", "normal") if isinstance(android, dict) else None
        if priority not in ("normal", "high"):
            return fcm_error(400, invalid, "Invalid value at 'message.android.priority'", invalid)
        return None


_ids = itertools.count(1_500_415_314_455_276)
