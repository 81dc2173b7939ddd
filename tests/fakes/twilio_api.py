"""A local Twilio: the Messages resource of the `2010-04-01` REST API and signed status
callbacks, on the real wire.

Form-encoded `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with HTTP Basic auth
(AccountSid:AuthToken), Twilio's error objects (`{"code", "message", "more_info",
"status"}`: 20003 bad credentials, 21211 invalid To, 21610 opted out, 21614 not mobile,
20429 too many requests), a 201 message resource, and status callbacks signed the way
Twilio signs them (`X-Twilio-Signature`: base64 HMAC-SHA1 over the URL and the sorted form).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes import FakeServer

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "twilio-auth-token-mercato"
E164 = re.compile(r"^\+[1-9]\d{1,14}$")


@dataclass(frozen=True)
class Received:
    """One create-message request as the fake saw it."""

    path: str
    authorization: str
    content_type: str
    form: dict[str, str]


def error(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """Twilio's error answer."""
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return JSONResponse(body, status_code=status, headers=headers)


class FakeTwilio(FakeServer):
    def __init__(self, *, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> None:
        super().__init__()
        self.account_sid, self.auth_token = account_sid, auth_token
        self.received: list[Received] = []
        self.messages: dict[str, dict[str, Any]] = {}
        self.rate_limited = False
        self.retry_after = 3
        self.not_mobile: set[str] = set()
        self.opted_out: set[str] = set()

    def build_app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/2010-04-01/Accounts/{sid}/Messages.json", self._create, methods=["POST"])
            ]
        )

    def unavailable(self) -> Response:
        return error(500, 20500, "An internal server error has occurred")

    def sent_to(self, number: str) -> list[dict[str, Any]]:
        return [m for m in self.messages.values() if m["to"] == number]

    async def _create(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        self.received.append(
            Received(
                path=request.url.path,
                authorization=request.headers.get("authorization", ""),
                content_type=request.headers.get("content-type", ""),
                form=form,
            )
        )
        if not self._authenticated(request):
            return error(401, 20003, "Authenticate")
        if self.rate_limited:
            return error(
                429,
                20429,
                "Too Many Requests",
                headers={"Retry-After": str(self.retry_after)},
            )
        refused = self._validate(form)
        if refused is not None:
            return refused
        message = self._message(form)
        self.messages[message["sid"]] = message
        return JSONResponse(message, status_code=201)

    def _authenticated(self, request: Request) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return (
            request.path_params["sid"] == self.account_sid
            and request.headers.get("authorization") == f"Basic {expected}"
        )

    def _validate(self, form: dict[str, str]) -> Response | None:
        to = form.get("To", "")
        if not to:
            return error(400, 21604, "A 'To' phone number is required.")
        if not E164.match(to):
            return error(400, 21211, f"Invalid 'To' Phone Number: {to}")
        if not (form.get("From") or form.get("MessagingServiceSid")):
            return error(400, 21603, "A 'From' phone number is required.")
        service = form.get("MessagingServiceSid")
        if service is not None and not re.fullmatch(r"MG[0-9a-f]{32}", service):
            return error(400, 21701, f"The Messaging Service Sid {service} is invalid.")
        if not form.get("Body"):
            return error(400, 21602, "Message body is required.")
        if to in self.opted_out:
            return error(400, 21610, "Attempt to send to unsubscribed recipient")
        if to in self.not_mobile:
            return error(400, 21614, f"'To' number {to} is not a valid mobile number")
        return None

    def _message(self, form: dict[str, str]) -> dict[str, Any]:
        sid = "SM" + secrets.token_hex(16)
        now = format_datetime(datetime.now(UTC), usegmt=True)
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}"
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": form["Body"],
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "subresource_uris": {"media": f"{uri}/Media.json"},
            "to": form["To"],
            "uri": f"{uri}.json",
            "status_callback": form.get("StatusCallback"),
        }


def sign(auth_token: str, url: str, params: dict[str, str]) -> str:
    """Twilio's `X-Twilio-Signature` for a request to `url` with form `params` (written
    here from Twilio's documentation, apart from Mercato's own check)."""
    payload = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def status_callback_form(
    sid: str,
    status: str,
    error_code: int | None = None,
    *,
    account_sid: str = ACCOUNT_SID,
    to: str = "+15005550006",
    sender: str = "+15005550001",
) -> dict[str, str]:
    """The form of a status callback as Twilio posts it for an SMS."""
    form = {
        "AccountSid": account_sid,
        "ApiVersion": "2010-04-01",
        "From": sender,
        "MessageSid": sid,
        "MessageStatus": status,
        "SmsSid": sid,
        "SmsStatus": status,
        "To": to,
    }
    if error_code is not None:
        form["ErrorCode"] = str(error_code)
    return form


async def status_callback(
    url: str,
    auth_token: str,
    sid: str,
    status: str,
    error_code: int | None = None,
    *,
    client: httpx.AsyncClient | None = None,
    account_sid: str = ACCOUNT_SID,
    to: str = "+15005550006",
    sender: str = "+15005550001",
) -> httpx.Response:
    """POST a correctly signed status callback to `url` (the StatusCallback given to
    Twilio, `?ref=` included), as Twilio does when a message changes status."""
    params = status_callback_form(
        sid, status, error_code, account_sid=account_sid, to=to, sender=sender
    )
    headers = {"X-Twilio-Signature": sign(auth_token, url, params)}
    if client is not None:
        return await client.post(url, data=params, headers=headers)
    async with httpx.AsyncClient() as own:
        return await own.post(url, data=params, headers=headers)
