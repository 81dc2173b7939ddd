"""SMS over Twilio's REST API (`2010-04-01` Messages resource), its signed status callbacks,
and the mapping of Twilio's answers onto the sender's two kinds of failure.

Twilio's errors are `{"code", "message", "more_info", "status"}`; the numeric `code` says
more than the HTTP status (a 400 may be a bad number, an opted-out recipient or a bad
request), so it decides first. Creating a message has no idempotency key: a timeout after
Twilio took the message is reported transient and may, when retried, send it twice — the
usual trade for SMS, where a lost message is worse than a repeated one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Self
from urllib.parse import quote

import httpx

from mercato.agents.notifications.providers.base import (
    DeadAddressError,
    DeliveryError,
    DeliveryReport,
    Outgoing,
    PermanentDeliveryError,
    Sent,
    TransientDeliveryError,
)
from mercato.agents.notifications.providers.http_answers import json_object, retry_after
from mercato.kernel.config import Settings

API_VERSION = "2010-04-01"

DEAD_ADDRESS_CODES = {21211: "invalid_number", 21614: "not_mobile", 21610: "opted_out"}
"""Twilio refusing the recipient itself: sending there again cannot succeed."""

UNREACHABLE_CODES = {30003, 30005, 30006, 21211, 21610, 21614}
"""Delivery failures in a status callback that mean the number is gone (unreachable or
unknown handset, a landline) or refused for good (invalid, opted out, not mobile)."""

CALLBACK_STATUS = {
    "accepted": "sent",
    "scheduled": "sent",
    "queued": "sent",
    "sending": "sent",
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "failed",
    "failed": "failed",
    "canceled": "failed",
}
"""Twilio's MessageStatus values for an outbound message, as Mercato's report statuses."""


class TwilioSms:
    """Sends one SMS per call over a kept-open HTTP client (closed by `close`)."""

    name = "twilio"
    channel = "sms"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        sender: str,
        *,
        base_url: str = "https://api.twilio.com",
        status_callback_url: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.account_sid = account_sid
        self.sender = sender
        self.status_callback_url = status_callback_url
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), auth=(account_sid, auth_token), timeout=timeout
        )

    @classmethod
    def from_settings(cls, settings: Settings, *, status_callback_url: str | None = None) -> Self:
        """Raises ValueError when the account, its token or the sender is not configured."""
        token = settings.twilio_auth_token
        if not (settings.twilio_account_sid and token and settings.twilio_from):
            raise ValueError(
                "MERCATO_TWILIO_ACCOUNT_SID, MERCATO_TWILIO_AUTH_TOKEN and MERCATO_TWILIO_FROM "
                "must be set for the twilio SMS provider"
            )
        return cls(
            settings.twilio_account_sid,
            token.get_secret_value(),
            settings.twilio_from,
            base_url=settings.twilio_base_url,
            status_callback_url=status_callback_url,
            timeout=settings.gateway_timeout,
        )

    async def close(self) -> None:
        await self._http.aclose()

    def form(self, message: Outgoing) -> dict[str, str]:
        """The create-message parameters. A sender starting "MG" is a Messaging Service
        (Twilio picks the number from its pool); the message's own sender wins when set."""
        sender = message.sender or self.sender
        form = {"To": message.to, "Body": message.text}
        form["MessagingServiceSid" if sender.startswith("MG") else "From"] = sender
        if self.status_callback_url:
            joiner = "&" if "?" in self.status_callback_url else "?"
            form["StatusCallback"] = (
                f"{self.status_callback_url}{joiner}ref={quote(message.reference, safe='')}"
            )
        return form

    async def send(self, message: Outgoing) -> Sent:
        path = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages.json"
        try:
            response = await self._http.post(path, data=self.form(message))
        except httpx.HTTPError as exc:  # refused, reset, timed out: nothing said it was taken
            raise TransientDeliveryError("unavailable", f"twilio: {exc!r}") from exc
        if response.status_code in (200, 201):
            body = json_object(response)
            sid = body.get("sid")
            if not isinstance(sid, str) or not sid:
                raise TransientDeliveryError("unavailable", "twilio: answer without a sid")
            return Sent(provider=self.name, provider_message_id=sid)
        raise error_of(response)


def error_of(response: httpx.Response) -> DeliveryError:
    """Twilio's error answer as the sender's failure: the `code` first, then the status."""
    body = json_object(response)
    code = body.get("code")
    detail = f"{code}: {body.get('message', '')}" if code else response.reason_phrase
    status = response.status_code
    if status == 401 or code == 20003:
        return PermanentDeliveryError("auth_failed", detail)
    if status == 429 or code == 20429:
        return TransientDeliveryError(
            "rate_limited", detail, retry_after=retry_after(response.headers.get("retry-after"))
        )
    if isinstance(code, int) and code in DEAD_ADDRESS_CODES:
        return DeadAddressError(DEAD_ADDRESS_CODES[code], detail)
    if status >= 500:
        return TransientDeliveryError(
            "unavailable", detail, retry_after=retry_after(response.headers.get("retry-after"))
        )
    return PermanentDeliveryError("rejected", detail)


# -- status callbacks -----------------------------------------------------------------------


def twilio_signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """What Twilio puts in `X-Twilio-Signature`: base64 HMAC-SHA1, keyed by the auth token,
    over the full URL (query string included) then each POST parameter's name and value,
    sorted by name."""
    payload = url + "".join(name + params[name] for name in sorted(params))
    mac = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def verify_twilio_signature(
    auth_token: str, url: str, params: Mapping[str, str], signature: str
) -> bool:
    """Whether a webhook request really comes from Twilio. `url` is the URL exactly as
    Twilio called it (behind a proxy: the public one); `params` the form body only."""
    expected = twilio_signature(auth_token, url, params)
    return hmac.compare_digest(expected.encode(), signature.encode())


def parse_status_callback(params: Mapping[str, str]) -> DeliveryReport:
    """A status callback's form as a delivery report. Pass the form merged with the query
    string: `ref` (Mercato's message id) rides on the callback URL, Twilio never posts one.
    Raises ValueError on a callback that is not about an outbound message's status."""
    sid = params.get("MessageSid") or params.get("SmsSid")
    twilio_status = params.get("MessageStatus") or params.get("SmsStatus") or ""
    status = CALLBACK_STATUS.get(twilio_status)
    if not sid or status is None:
        raise ValueError(f"not an outbound message status callback: {twilio_status!r}")
    error_code = params.get("ErrorCode") or ""
    detail = ""
    dead = False
    if status == "failed":
        detail = f"{twilio_status} {error_code}".strip()
        if params.get("ErrorMessage"):
            detail = f"{detail}: {params['ErrorMessage']}"
        dead = error_code.isdigit() and int(error_code) in UNREACHABLE_CODES
    return DeliveryReport(
        provider_message_id=sid,
        status=status,
        detail=detail,
        dead_address=dead,
        reference=params.get("ref") or None,
    )
