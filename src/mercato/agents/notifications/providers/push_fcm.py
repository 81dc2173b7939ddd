"""Push over Firebase Cloud Messaging's HTTP v1 API, authorised by a Google service account.

The service account's key signs a JWT (RS256) that its `token_uri` trades for an OAuth access
token (RFC 7523); the token is reused until a minute before it expires, one refresh at a
time. A 401 from FCM (a token revoked or expired early) refreshes once and repeats the send.
FCM's errors carry the precise reason in `details[].errorCode` (an `FcmError`); the HTTP
status alone cannot tell an unregistered device from a missing resource.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import httpx
import jwt

from mercato.agents.notifications.providers.base import (
    DeadAddressError,
    DeliveryError,
    Outgoing,
    PermanentDeliveryError,
    Sent,
    TransientDeliveryError,
)
from mercato.agents.notifications.providers.http_answers import json_object, retry_after
from mercato.kernel.clock import Clock, SystemClock
from mercato.kernel.config import Settings

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_LIFETIME = 3600
"""Seconds a signed assertion is valid (Google's maximum)."""
TOKEN_MARGIN = 60.0
"""Seconds before its expiry an access token is replaced."""
FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"


@dataclass(frozen=True)
class ServiceAccount:
    """The fields of a service account's JSON key file that FCM needs."""

    client_email: str
    private_key: str
    token_uri: str
    project_id: str

    @classmethod
    def load(cls, path: Path) -> Self:
        """Raises ValueError when the file is not a service account key."""
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"cannot read the FCM service account {path}: {exc}") from exc
        fields = ("client_email", "private_key", "token_uri", "project_id")
        if not isinstance(raw, dict) or not all(isinstance(raw.get(f), str) for f in fields):
            raise ValueError(f"{path} is not a service account key (needs {', '.join(fields)})")
        return cls(*(str(raw[f]) for f in fields))


class FcmPush:
    """Sends one push notification per call to one device token."""

    name = "fcm"
    channel = "push"

    def __init__(
        self,
        account: ServiceAccount,
        *,
        base_url: str = "https://fcm.googleapis.com",
        timeout: float = 10.0,
        clock: Clock | None = None,
    ) -> None:
        self.account = account
        self._clock = clock or SystemClock()
        self._http = httpx.AsyncClient(base_url=base_url.rstrip("/"), timeout=timeout)
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Clock | None = None) -> Self:
        """Raises ValueError when no service account is configured or it is unreadable."""
        if settings.fcm_service_account is None:
            raise ValueError("MERCATO_FCM_SERVICE_ACCOUNT must be set for the fcm push provider")
        return cls(
            ServiceAccount.load(settings.fcm_service_account),
            base_url=settings.fcm_base_url,
            timeout=settings.gateway_timeout,
            clock=clock,
        )

    async def close(self) -> None:
        await self._http.aclose()

    def body(self, message: Outgoing) -> dict[str, Any]:
        """The v1 `messages:send` body. Data values must be strings; `mercato_ref` lets the
        app (and any report) name Mercato's message. High priority so it shows at once."""
        data = {key: str(value) for key, value in message.data.items()}
        data["mercato_ref"] = message.reference
        return {
            "message": {
                "token": message.to,
                "notification": {"title": message.subject, "body": message.text},
                "data": data,
                "android": {"priority": "high"},
                "apns": {"headers": {"apns-priority": "10"}},
            }
        }

    async def send(self, message: Outgoing) -> Sent:
        path = f"/v1/projects/{self.account.project_id}/messages:send"
        body = self.body(message)
        for attempt in range(2):
            token = await self._access_token()
            response = await self._post(
                path, json=body, headers={"Authorization": f"Bearer {token}"}
            )
            if response.status_code == 401 and attempt == 0:
                self._forget(token)
                continue
            break
        if response.status_code == 200:
            name = json_object(response).get("name")
            if not isinstance(name, str) or not name:
                raise TransientDeliveryError("unavailable", "fcm: answer without a name")
            return Sent(provider=self.name, provider_message_id=name)
        raise error_of(response)

    # -- the access token ------------------------------------------------------------------

    async def _access_token(self) -> str:
        async with self._lock:
            now = self._clock.now().timestamp()
            if self._token is not None and now < self._expires_at:
                return self._token
            response = await self._post(
                self.account.token_uri,
                data={"grant_type": GRANT_TYPE, "assertion": self._assertion(now)},
            )
            body = json_object(response)
            if response.status_code != 200:
                reason = f"token endpoint: {response.status_code} {body.get('error', '')}"
                if response.status_code == 429 or response.status_code >= 500:
                    raise TransientDeliveryError("unavailable", reason)
                raise PermanentDeliveryError("auth_failed", reason)
            token = body.get("access_token")
            if not isinstance(token, str) or not token:
                raise TransientDeliveryError("unavailable", "token endpoint: no access_token")
            self._token = token
            self._expires_at = now + float(body.get("expires_in") or 0) - TOKEN_MARGIN
            return token

    def _assertion(self, now: float) -> str:
        """The signed JWT the token endpoint trades; a key that cannot sign is a
        configuration fault, so permanent."""
        issued = int(now)
        claims = {
            "iss": self.account.client_email,
            "scope": SCOPE,
            "aud": self.account.token_uri,
            "iat": issued,
            "exp": issued + ASSERTION_LIFETIME,
        }
        try:
            return jwt.encode(claims, self.account.private_key, algorithm="RS256")
        except (ValueError, TypeError, jwt.PyJWTError) as exc:
            raise PermanentDeliveryError("auth_failed", f"service account key: {exc}") from exc

    def _forget(self, token: str) -> None:
        """Drop a token FCM refused, unless another send has already replaced it."""
        if self._token == token:
            self._token = None

    async def _post(self, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._http.post(url, **kwargs)
        except httpx.HTTPError as exc:
            raise TransientDeliveryError("unavailable", f"fcm: {exc!r}") from exc


def error_of(response: httpx.Response) -> DeliveryError:
    """FCM's error answer as the sender's failure: `FcmError.errorCode` first, then the
    canonical status, then the HTTP status."""
    error = json_object(response).get("error")
    error = error if isinstance(error, dict) else {}
    details = [d for d in error.get("details") or [] if isinstance(d, dict)]
    fcm_code = next((d.get("errorCode") for d in details if d.get("@type") == FCM_ERROR), None)
    reason = fcm_code or error.get("status") or response.reason_phrase
    detail = f"{reason}: {error.get('message', '')}".rstrip(": ")
    status = response.status_code
    wait = retry_after(response.headers.get("retry-after"))
    if fcm_code == "UNREGISTERED" or (fcm_code is None and status == 404):
        return DeadAddressError("unregistered_token", detail)
    if fcm_code == "SENDER_ID_MISMATCH":
        return DeadAddressError("sender_mismatch", detail)
    if fcm_code == "QUOTA_EXCEEDED" or status == 429:
        return TransientDeliveryError("rate_limited", detail, retry_after=wait)
    if fcm_code in ("UNAVAILABLE", "INTERNAL") or status >= 500:
        return TransientDeliveryError("unavailable", detail, retry_after=wait)
    if fcm_code == "THIRD_PARTY_AUTH_ERROR" or status in (401, 403):
        return PermanentDeliveryError("auth_failed", detail)
    if fcm_code == "INVALID_ARGUMENT" or status == 400:
        if _about_the_token(error, details):
            return DeadAddressError("invalid_token", detail)
        return PermanentDeliveryError("invalid_argument", detail)
    return PermanentDeliveryError("rejected", detail)


def _about_the_token(error: dict[str, Any], details: list[dict[str, Any]]) -> bool:
    """Whether an INVALID_ARGUMENT blames the registration token (a field violation on
    `message.token`, or FCM's "not a valid FCM registration token" message)."""
    for detail in details:
        if detail.get("@type") == BAD_REQUEST:
            for violation in detail.get("fieldViolations") or []:
                if isinstance(violation, dict) and violation.get("field") == "message.token":
                    return True
    return "registration token" in str(error.get("message", "")).lower()
