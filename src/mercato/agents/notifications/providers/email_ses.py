"""Email through Amazon SES's v2 API (`SendEmail`, raw content), signed with SigV4.

The request is signed by botocore's own signer and sent with httpx, so sending stays async
(boto3's client is blocking). The message goes as raw MIME, the same bytes the other
providers send, tagged `mercato_ref=<reference>` so SES's events (through SNS, see
`ses_events`) find their message. Errors are read as the REST-JSON protocol writes them: the
type in `x-amzn-ErrorType` (or the body's `__type`/`code`), the text in `message`.
"""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import datetime
from typing import Any

import httpx
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from mercato.agents.notifications.providers.base import (
    DeliveryError,
    Outgoing,
    PermanentDeliveryError,
    Sent,
    TransientDeliveryError,
)
from mercato.agents.notifications.providers.http_answers import json_object, retry_after
from mercato.agents.notifications.providers.mime import build_mime, envelope_sender, mime_bytes
from mercato.kernel.clock import Clock, SystemClock
from mercato.kernel.config import Settings

PATH = "/v2/email/outbound-emails"
REFERENCE_TAG = "mercato_ref"

_THROTTLED = {"TooManyRequestsException", "LimitExceededException", "ThrottlingException"}
_AUTH = {
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "AccessDeniedException",
    "IncompleteSignatureException",
    "MissingAuthenticationTokenException",
    "ExpiredTokenException",
}
_PERMANENT = {
    "MessageRejected": "rejected",
    "AccountSuspendedException": "sending_paused",
    "SendingPausedException": "sending_paused",
    "NotFoundException": "not_found",
    "MailFromDomainNotVerifiedException": "sender_unverified",
    "BadRequestException": "bad_request",
}


class SesMail:
    name = "ses"
    channel = "email"

    def __init__(
        self,
        *,
        region: str,
        default_sender: str,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        session_token: str | None = None,
        configuration_set: str | None = None,
        endpoint_url: str | None = None,
        timeout: float = 10.0,
        clock: Clock | None = None,
    ) -> None:
        """Without keys, botocore's usual chain (environment, ~/.aws, an instance role) is
        asked at the first send, and asked again each send so role credentials rotate."""
        self.region = region
        self.endpoint_url = (endpoint_url or f"https://email.{region}.amazonaws.com").rstrip("/")
        self._default_sender = default_sender
        self._configuration_set = configuration_set
        self._clock = clock or SystemClock()
        self._credentials: Any = (
            Credentials(access_key_id, secret_access_key, session_token)
            if access_key_id and secret_access_key
            else None
        )
        self._static = self._credentials is not None
        self._http = httpx.AsyncClient(timeout=timeout)

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Clock | None = None) -> SesMail:
        secret = settings.ses_secret_access_key
        return cls(
            region=settings.ses_region,
            default_sender=settings.mail_from,
            access_key_id=settings.ses_access_key_id,
            secret_access_key=secret.get_secret_value() if secret is not None else None,
            configuration_set=settings.ses_configuration_set,
            endpoint_url=settings.ses_endpoint_url,
            clock=clock,
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def send(self, message: Outgoing) -> Sent:
        mime = build_mime(message, self._default_sender, now=self._clock.now())
        body: dict[str, Any] = {
            "FromEmailAddress": envelope_sender(mime),
            "Destination": {"ToAddresses": [message.to]},
            "Content": {"Raw": {"Data": base64.b64encode(mime_bytes(mime)).decode("ascii")}},
            "EmailTags": [{"Name": REFERENCE_TAG, "Value": message.reference}],
        }
        if self._configuration_set:
            body["ConfigurationSetName"] = self._configuration_set
        payload = json.dumps(body).encode()
        headers = await self._signed_headers(payload)
        try:
            response = await self._http.post(
                self.endpoint_url + PATH, content=payload, headers=headers
            )
        except httpx.TimeoutException as exc:
            raise TransientDeliveryError("timeout", f"ses: {exc!r}") from exc
        except httpx.TransportError as exc:
            raise TransientDeliveryError("unavailable", f"ses: {exc!r}") from exc
        if response.status_code != 200:
            raise _delivery_error(response, self._clock.now())
        message_id = json_object(response).get("MessageId")
        if not isinstance(message_id, str) or not message_id:
            raise TransientDeliveryError("unavailable", "ses: 200 without a MessageId")
        return Sent(provider=self.name, provider_message_id=message_id)

    async def _signed_headers(self, payload: bytes) -> dict[str, str]:
        """SigV4 headers (Authorization, X-Amz-Date, the session token) for this POST; the
        Host httpx sends is the one botocore signed (both drop default ports)."""
        credentials = await self._resolve_credentials()
        request = AWSRequest(
            method="POST",
            url=self.endpoint_url + PATH,
            data=payload,
            headers={"Content-Type": "application/json"},
        )
        SigV4Auth(credentials, "ses", self.region).add_auth(request)
        return {str(k): str(v) for k, v in request.headers.items()}

    async def _resolve_credentials(self) -> Any:
        if self._static:
            return self._credentials
        if self._credentials is None:
            import botocore.session

            session = botocore.session.get_session()
            self._credentials = await asyncio.to_thread(session.get_credentials)
            if self._credentials is None:
                raise PermanentDeliveryError("auth_failed", "ses: no AWS credentials found")
        # a role's credentials refresh themselves, maybe over the network: off the loop
        return await asyncio.to_thread(self._credentials.get_frozen_credentials)


def error_type(response: httpx.Response) -> str:
    """The AWS error's type: `x-amzn-ErrorType: MessageRejected:http://…` or a body's
    `__type` (`com.amazonaws…#MessageRejected`) or `code`."""
    body = json_object(response)
    raw = response.headers.get("x-amzn-errortype") or body.get("__type") or body.get("code")
    return str(raw or "").split(":", 1)[0].rsplit("#", 1)[-1]


def _delivery_error(response: httpx.Response, now: datetime) -> DeliveryError:
    kind, status = error_type(response), response.status_code
    body = json_object(response)
    text = body.get("message") or body.get("Message") or response.reason_phrase
    detail = f"ses: {status} {kind}: {text}" if kind else f"ses: {status}: {text}"
    if status == 429 or kind in _THROTTLED:
        wait = retry_after(response.headers.get("retry-after"), now=now)
        return TransientDeliveryError("rate_limited", detail, retry_after=wait)
    if status >= 500:
        return TransientDeliveryError("unavailable", detail)
    if kind in _AUTH or status in (401, 403):
        return PermanentDeliveryError("auth_failed", detail)
    if kind in _PERMANENT:
        return PermanentDeliveryError(_PERMANENT[kind], detail)
    if status == 404:
        return PermanentDeliveryError("not_found", detail)
    return PermanentDeliveryError("rejected", detail)
