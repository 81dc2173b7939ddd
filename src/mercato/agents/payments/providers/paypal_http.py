"""PayPal's REST API over httpx: the OAuth2 access token, and calls mapped to the provider
interface's failures.

A token comes from `POST /v1/oauth2/token` (client credentials) and is reused until shortly
before it expires; a 401 on a call fetches a new one and repeats the call once (safe: a
mutating call repeats under the same `PayPal-Request-Id`).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from mercato.agents.payments.providers.base import (
    GatewayError,
    GatewayUnavailable,
    OutcomeUnknown,
)
from mercato.kernel.config import Settings
from mercato.kernel.money import round_money

TOKEN_MARGIN = 60.0
"""Seconds before its expiry an access token is replaced."""


class PayPalApiError(GatewayError):
    """A 4xx answer: PayPal refused the call (`name`, first `details[].issue`)."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status = status
        self.name = str(body.get("name") or body.get("error") or "UNKNOWN")
        details = body.get("details") or [{}]
        self.issue: str | None = details[0].get("issue") if isinstance(details[0], dict) else None
        self.body = body
        super().__init__(f"paypal: {status} {self.name} {self.issue or ''}".rstrip())


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def money(amount: Decimal, currency: str) -> dict[str, str]:
    """PayPal's amount object: the value as a string in the currency's minor units."""
    return {"currency_code": currency.upper(), "value": format(round_money(amount, currency), "f")}


def amount_of(obj: Any) -> Decimal | None:
    value = (obj or {}).get("value") if isinstance(obj, dict) else None
    return Decimal(str(value)) if value is not None else None


class PayPalClient:
    def __init__(self, settings: Settings) -> None:
        if not (settings.paypal_client_id and settings.paypal_client_secret):
            raise ValueError(
                "MERCATO_PAYPAL_CLIENT_ID and MERCATO_PAYPAL_CLIENT_SECRET are not set"
            )
        self._credentials = (settings.paypal_client_id, settings.paypal_client_secret)
        self._http = httpx.AsyncClient(
            base_url=settings.paypal_api_base.rstrip("/"), timeout=settings.gateway_timeout
        )
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        await self._http.aclose()

    async def _access_token(self) -> str:
        async with self._lock:
            if self._token is not None and time.monotonic() < self._expires_at:
                return self._token
            response = await self._send(
                "POST",
                "/v1/oauth2/token",
                moves_money=False,
                data={"grant_type": "client_credentials"},
                auth=self._credentials,
                headers={"Accept": "application/json"},
            )
            if response.status_code != 200:
                raise GatewayUnavailable(f"paypal: OAuth token refused ({response.status_code})")
            body = response.json()
            self._token = str(body["access_token"])
            self._expires_at = time.monotonic() + float(body.get("expires_in", 0)) - TOKEN_MARGIN
            return self._token

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        request_id: str | None = None,
        moves_money: bool = False,
    ) -> Answer:
        """One API call: 2xx answers, `PayPalApiError` for 4xx, `GatewayUnavailable` for
        5xx/429/unreachable, `OutcomeUnknown` for a money-moving call whose answer was lost."""
        headers = {"Content-Type": "application/json", "Prefer": "return=representation"}
        if request_id:
            headers["PayPal-Request-Id"] = request_id
        for attempt in range(2):
            token = await self._access_token()
            response = await self._send(
                method,
                path,
                moves_money=moves_money,
                json=json if method != "GET" else None,
                headers={**headers, "Authorization": f"Bearer {token}"},
            )
            if response.status_code == 401 and attempt == 0:
                self._token = None
                continue
            break
        status = response.status_code
        if moves_money and status in (500, 502, 504):  # it may have been done: ask again
            raise OutcomeUnknown(f"paypal: {status}, may have been done")
        if status == 429 or status >= 500:
            raise GatewayUnavailable(f"paypal: {status}")
        body = response.json() if response.content else {}
        if status >= 400:
            raise PayPalApiError(status, body if isinstance(body, dict) else {})
        return Answer(status, body if isinstance(body, dict) else {})

    async def _send(
        self, method: str, path: str, *, moves_money: bool, **kwargs: Any
    ) -> httpx.Response:
        try:
            return await self._http.request(method, path, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise GatewayUnavailable("paypal: unreachable") from exc
        except (httpx.TimeoutException, httpx.NetworkError, httpx.ProtocolError) as exc:
            if moves_money:
                raise OutcomeUnknown("paypal: the answer was lost") from exc
            raise GatewayUnavailable("paypal: no answer") from exc
