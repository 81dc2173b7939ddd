"""EasyPost's REST API v2 over httpx: rates from a Shipment, labels bought from one of its
rates, Trackers polled, and `tracker.updated` Events read from its signed webhooks.

EasyPost aggregates carriers, so a quote's service is `"<vendor carrier>:<service>"`
(`USPS:Priority`). Units on the wire are inches and ounces. The API key is the Basic auth user
name, sent to EasyPost only: the label file lives on another host (a bucket) and is fetched
without it. A label whose file cannot be fetched yet is still bought: it comes back with its
URL and no PDF, and `fetch_label` gets the file later. Timeouts, refused connections, 429
and 5xx make `CarrierUnavailable` (rate shopping falls back to the table rates, EC018); any
other 4xx is EasyPost saying no (`CarrierRefused` with its `{"error": {"code", "message"}}`).
"""

from __future__ import annotations

import asyncio
import hmac
import json
from collections.abc import Mapping
from typing import Any, Self

import httpx
import structlog

from mercato.agents.shipping.providers.base import (
    Address,
    CarrierRefused,
    CarrierUnavailable,
    InvalidWebhook,
    Label,
    LabelRequest,
    Parcel,
    Quote,
    TrackingUpdate,
)
from mercato.agents.shipping.providers.easypost_objects import (
    address_object,
    amount_of,
    parcel_object,
    quote_of,
    service_of,
    tracker_updates,
    webhook_signature,
)
from mercato.agents.shipping.providers.local import header
from mercato.kernel.config import Settings

SIGNATURE_HEADER = "X-Hmac-Signature"
log = structlog.get_logger(__name__)


class EasyPostCarrier:
    """One kept-open HTTP client per provider, closed by `close`."""

    code = "easypost"
    name = "EasyPost"

    def __init__(
        self,
        api_key: str,
        *,
        webhook_secret: str | None = None,
        base_url: str = "https://api.easypost.com",
        timeout: float = 4.0,
    ) -> None:
        self._auth = httpx.BasicAuth(api_key, "")
        self._secret = webhook_secret
        self.timeout = timeout
        self._http = httpx.AsyncClient(base_url=base_url.rstrip("/"), timeout=timeout)

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """Raises ValueError when no API key is configured."""
        if settings.easypost_api_key is None:
            raise ValueError("MERCATO_EASYPOST_API_KEY must be set for the easypost carrier")
        secret = settings.easypost_webhook_secret
        return cls(
            settings.easypost_api_key.get_secret_value(),
            webhook_secret=secret.get_secret_value() if secret else None,
            base_url=settings.easypost_base_url,
            timeout=settings.shipping_carrier_timeout,
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def rates(self, *, origin: Address, destination: Address, parcel: Parcel) -> list[Quote]:
        shipment = await self._create_shipment(origin, destination, parcel, reference=None)
        try:
            return [quote_of(rate, shipment["id"]) for rate in shipment.get("rates") or []]
        except (KeyError, TypeError, ValueError) as exc:
            raise CarrierUnavailable(f"easypost: an unreadable rate: {exc!r}") from exc

    async def buy_label(self, request: LabelRequest) -> Label:
        """Buys the chosen quote's rate, or the request's service on a new shipment. A
        shipment already bought (a retry after a lost answer) gives back its label."""
        quote = request.quote
        if quote is not None and quote.shipment_ref and quote.carrier_ref:
            shipment_id, rate_id = quote.shipment_ref, quote.carrier_ref
        else:
            shipment = await self._create_shipment(
                request.origin, request.destination, request.parcel, reference=request.shipment_id
            )
            shipment_id = shipment["id"]
            chosen = [r for r in shipment.get("rates") or [] if service_of(r) == request.service]
            if not chosen:
                raise CarrierRefused(f"easypost offers no {request.service!r} for this parcel")
            rate_id = chosen[0]["id"]
        try:
            bought = await self._call(
                "POST", f"/v2/shipments/{shipment_id}/buy", {"rate": {"id": rate_id}}
            )
        except CarrierRefused:
            bought = await self._call("GET", f"/v2/shipments/{shipment_id}")
            if (
                not bought.get("tracking_code")
                or (bought.get("selected_rate") or {}).get("id") != rate_id
            ):
                raise
        return await self._label(bought)

    async def track(self, tracking_number: str, *, carrier_ref: str | None) -> list[TrackingUpdate]:
        """By the tracker's id (`trk_…`), the shipment's (`shp_…`) or the tracking code."""
        tracker: Any
        if carrier_ref and carrier_ref.startswith("trk_"):
            tracker = await self._call("GET", f"/v2/trackers/{carrier_ref}")
        elif carrier_ref and carrier_ref.startswith("shp_"):
            tracker = (await self._call("GET", f"/v2/shipments/{carrier_ref}")).get("tracker")
        else:
            query = {"tracking_code": tracking_number}
            found = await self._call("GET", "/v2/trackers", params=query)
            tracker = next(iter(found.get("trackers") or []), None)
        if not isinstance(tracker, dict):
            return []
        try:
            return tracker_updates(tracker)
        except (KeyError, TypeError, ValueError) as exc:
            raise CarrierUnavailable(f"easypost: an unreadable Tracker: {exc!r}") from exc

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[TrackingUpdate]:
        if self._secret is None:
            raise InvalidWebhook("no EasyPost webhook secret is configured")
        given = header(headers, SIGNATURE_HEADER)
        expected = webhook_signature(self._secret, body)
        if not given or not hmac.compare_digest(expected.encode(), given.strip().encode()):
            raise InvalidWebhook("the X-Hmac-Signature does not verify")
        try:
            event = json.loads(body)
        except ValueError as exc:
            raise InvalidWebhook("the body is not JSON") from exc
        if not isinstance(event, dict) or event.get("object") != "Event":
            raise InvalidWebhook("not an EasyPost Event")
        if event.get("description") not in ("tracker.created", "tracker.updated"):
            return []
        tracker = event.get("result")
        if not isinstance(tracker, dict) or tracker.get("object") != "Tracker":
            raise InvalidWebhook("a tracker event without its Tracker")
        try:
            return tracker_updates(tracker)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidWebhook(f"an unreadable Tracker: {exc!r}") from exc

    # -- the wire ---------------------------------------------------------------------------

    async def _create_shipment(
        self, origin: Address, destination: Address, parcel: Parcel, *, reference: str | None
    ) -> dict[str, Any]:
        shipment: dict[str, Any] = {
            "to_address": address_object(destination),
            "from_address": address_object(origin),
            "parcel": parcel_object(parcel),
            "options": {"label_format": "PDF", "currency": parcel.currency},
        }
        if reference is not None:
            shipment["reference"] = reference
        return await self._call("POST", "/v2/shipments", {"shipment": shipment})

    async def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        try:
            response = await self._http.request(
                method, path, json=body, params=params, auth=self._auth
            )
        except httpx.TimeoutException as exc:
            raise CarrierUnavailable(f"easypost: no answer within {self.timeout}s") from exc
        except httpx.HTTPError as exc:
            raise CarrierUnavailable(f"easypost: {exc!r}") from exc
        answer = _json_object(response)
        if response.status_code == 429 or response.status_code >= 500:
            raise CarrierUnavailable(f"easypost: {response.status_code} {_error(answer)}")
        if response.status_code >= 400:
            raise CarrierRefused(f"easypost: {_error(answer) or response.reason_phrase}")
        if not answer.get("id") and "trackers" not in answer:
            raise CarrierUnavailable("easypost: an answer without an object")
        return answer

    async def fetch_label(self, url: str) -> bytes:
        """A bought label's file (its `label_pdf_url`); `CarrierUnavailable` when it cannot
        be fetched (yet)."""
        try:
            return await asyncio.wait_for(self._download(url), self.timeout)
        except TimeoutError as exc:
            raise CarrierUnavailable(
                f"easypost: the label file: no answer in {self.timeout}s"
            ) from exc

    async def _label(self, shipment: dict[str, Any]) -> Label:
        """The bought shipment's label, its PDF fetched when EasyPost made one. The label is
        bought whatever becomes of the file: one that cannot be fetched now leaves the PDF
        None and the URL to fetch it from later (failing here would buy it again)."""
        postage = shipment.get("postage_label") or {}
        rate = shipment.get("selected_rate") or {}
        url = postage.get("label_pdf_url") or postage.get("label_url")
        is_pdf = postage.get("label_pdf_url") or postage.get("label_file_type") == "application/pdf"
        code = shipment.get("tracking_code")
        if not isinstance(code, str) or not code:
            raise CarrierUnavailable("easypost: a bought shipment without a tracking code")
        try:
            amount = amount_of(rate.get("rate"))
        except ValueError as exc:
            raise CarrierUnavailable(f"easypost: {exc}") from exc
        pdf: bytes | None = None
        if url and is_pdf:
            try:
                pdf = await self.fetch_label(url)
            except CarrierUnavailable as exc:
                log.warning(
                    "shipping.label_file_missing",
                    carrier=self.code,
                    shipment=shipment["id"],
                    tracking_number=code,
                    error=str(exc),
                )
        return Label(
            tracking_number=code,
            carrier_ref=shipment["id"],
            tracker_ref=(shipment.get("tracker") or {}).get("id"),
            amount=amount,
            currency=rate.get("currency") or "USD",
            pdf=pdf,
            url=url,
        )

    async def _download(self, url: str) -> bytes:
        try:
            response = await self._http.get(url)  # no auth: the file is not on EasyPost
        except httpx.HTTPError as exc:
            raise CarrierUnavailable(f"easypost: the label file: {exc!r}") from exc
        if response.status_code != 200:
            raise CarrierUnavailable(f"easypost: the label file answered {response.status_code}")
        if not response.content.startswith(b"%PDF"):
            raise CarrierUnavailable("easypost: the label file is not a PDF")
        return response.content


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _error(answer: dict[str, Any]) -> str:
    error = answer.get("error")
    if not isinstance(error, dict):
        return ""
    code, message = error.get("code"), error.get("message")
    return f"{code}: {message}" if code else str(message or "")
