"""A local EasyPost: the REST API v2's Shipments, their rates and purchase, Trackers, the
label files, and signed `tracker.updated` webhook Events, on the real wire.

`POST /v2/shipments` (`{"shipment": {to_address, from_address, parcel (inches, ounces),
reference, options}}`) answers a Shipment with rates from two carriers (USPS, UPS) priced from
the parcel's weight; `POST /v2/shipments/{id}/buy` (`{"rate": {"id"}}`) buys one: a tracking
code, a Tracker and a `postage_label` whose `label_pdf_url` is a PDF served here; `GET
/v2/trackers/{id}` and `GET /v2/trackers?tracking_code=` answer Trackers. HTTP Basic auth with
the API key as the user name (401 otherwise); errors are EasyPost's `{"error": {"code",
"message", "errors"}}`. Switches: `delay` (seconds before every API answer: rate calls time
out, EC018), `failing` (a 5xx status), `rate_limited` (429), `invalid_address` (422); for
purchases only, `buy_failing` (a 5xx status); for the label files, `labels_missing` (404)
and `label_failures` (the next n answer 500).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import secrets
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes import FakeServer

API_KEY = "EZTK" + "4f2a9c" * 5
WEBHOOK_SECRET = "ﬁne-sécret-Ⅻ"
"""Has characters NFKD changes (the ﬁ ligature, a precomposed é, a Roman numeral), so a
receiver that skips EasyPost's normalisation fails to verify."""

RATES: dict[tuple[str, str], tuple[str, str, int]] = {
    ("USPS", "GroundAdvantage"): ("5.40", "0.12", 5),
    ("USPS", "Priority"): ("7.90", "0.20", 2),
    ("USPS", "Express"): ("28.50", "0.45", 1),
    ("UPS", "Ground"): ("9.10", "0.15", 4),
    ("UPS", "2ndDayAir"): ("19.80", "0.30", 2),
    ("UPS", "NextDayAir"): ("39.20", "0.55", 1),
}
"""(base, per ounce, delivery days) for each (carrier, service) the fake quotes."""


def ep_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(16)}"


def stamp(at: datetime | None = None) -> str:
    return (at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def error(status: int, code: str, message: str, errors: list[Any] | None = None) -> Response:
    body = {"error": {"code": code, "message": message, "errors": errors or []}}
    return JSONResponse(body, status_code=status)


def signature(secret: str, body: bytes) -> str:
    """EasyPost's `X-Hmac-Signature` (written here from its client libraries, apart from
    Mercato's own check)."""
    key = unicodedata.normalize("NFKD", secret).encode("utf-8")
    return "hmac-sha256-hex=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def tracking_detail(
    status: str,
    status_detail: str,
    message: str,
    *,
    at: datetime | None = None,
    city: str | None = None,
    state: str | None = None,
    zip_code: str | None = None,
    country: str | None = None,
) -> dict[str, Any]:
    return {
        "object": "TrackingDetail",
        "message": message,
        "description": "",
        "status": status,
        "status_detail": status_detail,
        "datetime": stamp(at),
        "source": "USPS",
        "carrier_code": "",
        "tracking_location": {
            "object": "TrackingLocation",
            "city": city,
            "state": state,
            "country": country,
            "zip": zip_code,
        },
    }


def tracker_object(
    tracking_code: str, *, carrier: str = "USPS", shipment_id: str | None = None
) -> dict[str, Any]:
    now = stamp()
    tracker_id = ep_id("trk")
    return {
        "id": tracker_id,
        "object": "Tracker",
        "mode": "test",
        "tracking_code": tracking_code,
        "status": "pre_transit",
        "status_detail": "label_created",
        "created_at": now,
        "updated_at": now,
        "signed_by": None,
        "weight": None,
        "est_delivery_date": None,
        "shipment_id": shipment_id,
        "carrier": carrier,
        "tracking_details": [tracking_detail("pre_transit", "label_created", "Label created")],
        "fees": [],
        "carrier_detail": None,
        "public_url": f"https://track.easypost.com/{tracker_id}",
    }


def advance(tracker: dict[str, Any], detail: dict[str, Any]) -> None:
    """Append one scan to a Tracker, which takes on its status."""
    tracker["tracking_details"].append(detail)
    tracker["status"], tracker["status_detail"] = detail["status"], detail["status_detail"]
    tracker["updated_at"] = detail["datetime"]


def tracker_updated(
    tracker: dict[str, Any], *, secret: str = WEBHOOK_SECRET, previous_status: str | None = None
) -> tuple[bytes, dict[str, str]]:
    """A `tracker.updated` Event for `tracker` as EasyPost posts it: the raw body and its
    headers (`X-Hmac-Signature` signed with `secret`, the content type)."""
    event = {
        "object": "Event",
        "id": ep_id("evt"),
        "mode": "test",
        "description": "tracker.updated",
        "previous_attributes": {"status": previous_status} if previous_status else {},
        "created_at": stamp(),
        "updated_at": stamp(),
        "pending_urls": [],
        "completed_urls": [],
        "user_id": "user_060ab38db3c04ffaa60f262e5781a9be",
        "status": "pending",
        "result": tracker,
    }
    body = json.dumps(event).encode()
    return body, {"Content-Type": "application/json", "X-Hmac-Signature": signature(secret, body)}


def signed_tracker_event(
    tracking_code: str,
    status: str,
    status_detail: str = "status_update",
    message: str = "Status update",
    *,
    secret: str = WEBHOOK_SECRET,
    at: datetime | None = None,
    carrier: str = "USPS",
) -> tuple[bytes, dict[str, str]]:
    """A signed `tracker.updated` Event body and headers for a parcel the fake never saw:
    for posting to Mercato's webhook route with no fake running."""
    tracker = tracker_object(tracking_code, carrier=carrier)
    advance(tracker, tracking_detail(status, status_detail, message, at=at))
    return tracker_updated(tracker, secret=secret)


def label_pdf(tracking_code: str) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(288, 432))
    canvas.drawString(20, 400, "EasyPost test label")
    canvas.drawString(20, 380, tracking_code)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class FakeEasyPost(FakeServer):
    def __init__(self, *, api_key: str = API_KEY) -> None:
        super().__init__()
        self.api_key = api_key
        self.shipments: dict[str, dict[str, Any]] = {}
        self.trackers: dict[str, dict[str, Any]] = {}
        self.labels: dict[str, bytes] = {}
        self.received: list[tuple[str, str, str, Any]] = []
        """(method, path, authorization, JSON body) of every API request."""
        self.label_downloads: list[str] = []
        """The Authorization header (or "") of every label file request."""
        self.bought: list[str] = []
        """The id of the shipment of every label bought (postage paid for)."""
        self.delay = 0.0
        self.failing: int | None = None
        self.buy_failing: int | None = None
        """`POST /v2/shipments/{id}/buy` answers this 5xx status (nothing is bought)."""
        self.rate_limited = False
        self.invalid_address = False
        self.garbled: int | None = None
        """Answer every API call with this status and an HTML page (a proxy in the way)."""
        self.labels_missing = False
        """The label files answer 404 (the bucket lags behind the purchase)."""
        self.label_failures = 0
        """The next this many label file requests answer 500 (the bucket is down a while)."""
        self.mangle: Callable[[str, dict[str, Any]], None] | None = None
        """Edits each JSON answer (given the path) before it goes out: answers EasyPost would
        never send, for the provider's handling of them."""
        self._numbers = itertools.count(1)

    def build_app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v2/shipments", self._api(self._create), methods=["POST"]),
                Route("/v2/shipments/{id}", self._api(self._shipment), methods=["GET"]),
                Route("/v2/shipments/{id}/buy", self._api(self._buy), methods=["POST"]),
                Route("/v2/trackers", self._api(self._trackers), methods=["GET"]),
                Route("/v2/trackers/{id}", self._api(self._tracker), methods=["GET"]),
                Route("/files/postage_label/{name}.pdf", self._label, methods=["GET"]),
            ]
        )

    def unavailable(self) -> Response:
        return error(503, "SERVICE.UNAVAILABLE", "The service is temporarily unavailable.")

    def tracker_for(self, tracking_code: str) -> dict[str, Any]:
        return next(t for t in self.trackers.values() if t["tracking_code"] == tracking_code)

    def scan(
        self, tracking_code: str, status: str, status_detail: str, message: str, **where: Any
    ) -> dict[str, Any]:
        """The carrier scans a bought parcel: its Tracker gets the event (for `track`)."""
        tracker = self.tracker_for(tracking_code)
        advance(tracker, tracking_detail(status, status_detail, message, **where))
        return tracker

    def tracker_updated_event(
        self,
        tracking_code: str,
        status: str,
        status_detail: str = "status_update",
        message: str = "Status update",
        *,
        secret: str = WEBHOOK_SECRET,
        **where: Any,
    ) -> tuple[bytes, dict[str, str]]:
        """Scan a bought parcel and make the signed `tracker.updated` Event EasyPost would
        post about it (its body and headers)."""
        previous = self.tracker_for(tracking_code)["status"]
        tracker = self.scan(tracking_code, status, status_detail, message, **where)
        return tracker_updated(tracker, secret=secret, previous_status=previous)

    # -- the API ---------------------------------------------------------------------------

    def _api(self, handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            raw = await request.body()
            body = json.loads(raw) if raw else None
            authorization = request.headers.get("authorization", "")
            self.received.append((request.method, request.url.path, authorization, body))
            if self.delay:
                await asyncio.sleep(self.delay)
            if not self._authenticated(authorization):
                return error(401, "APIKEY.REQUIRED", "Missing or invalid API key.")
            if self.rate_limited:
                return error(429, "RATE_LIMITED", "You have exceeded the rate limit.")
            if self.garbled is not None:
                return Response("<html>Bad gateway</html>", self.garbled, media_type="text/html")
            if self.failing is not None:
                return error(self.failing, "INTERNAL_SERVER_ERROR", "Something went wrong.")
            response: Response = await handler(request, body)
            if self.mangle is not None and isinstance(response, JSONResponse):
                answer = json.loads(bytes(response.body))
                self.mangle(request.url.path, answer)
                return JSONResponse(answer, status_code=response.status_code)
            return response

        return endpoint

    def _authenticated(self, authorization: str) -> bool:
        expected = base64.b64encode(f"{self.api_key}:".encode()).decode()
        return hmac.compare_digest(authorization.encode(), f"Basic {expected}".encode())

    async def _create(self, request: Request, body: Any) -> Response:
        shipment = body.get("shipment") if isinstance(body, dict) else None
        if not isinstance(shipment, dict):
            return error(422, "PARAMETER.REQUIRED", "Missing required parameter: shipment.")
        parcel = shipment.get("parcel") or {}
        missing = [k for k in ("to_address", "from_address", "parcel") if not shipment.get(k)]
        if missing or not float(parcel.get("weight") or 0) > 0:
            fields = [{"field": k, "message": "cannot be blank"} for k in missing or ["weight"]]
            return error(422, "SHIPMENT.INVALID_PARAMS", "Unable to create shipment.", fields)
        if self.invalid_address:
            return error(
                422,
                "ADDRESS.VERIFY.FAILURE",
                "Unable to verify address.",
                [{"field": "address", "message": "Address not found"}],
            )
        shipment_id = ep_id("shp")
        ounces = Decimal(str(parcel["weight"]))
        created = {
            "id": shipment_id,
            "object": "Shipment",
            "mode": "test",
            "created_at": stamp(),
            "reference": shipment.get("reference"),
            "status": "unknown",
            "to_address": {"id": ep_id("adr"), "object": "Address", **shipment["to_address"]},
            "from_address": {"id": ep_id("adr"), "object": "Address", **shipment["from_address"]},
            "parcel": {"id": ep_id("prcl"), "object": "Parcel", **parcel},
            "options": shipment.get("options") or {},
            "rates": [self._rate(shipment_id, key, ounces) for key in RATES],
            "selected_rate": None,
            "postage_label": None,
            "tracking_code": None,
            "tracker": None,
            "messages": [],
        }
        self.shipments[shipment_id] = created
        return JSONResponse(created, status_code=201)

    def _rate(self, shipment_id: str, key: tuple[str, str], ounces: Decimal) -> dict[str, Any]:
        base, per_ounce, days = RATES[key]
        amount = (Decimal(base) + Decimal(per_ounce) * ounces).quantize(Decimal("0.01"))
        return {
            "id": ep_id("rate"),
            "object": "Rate",
            "mode": "test",
            "carrier": key[0],
            "service": key[1],
            "rate": str(amount),
            "currency": "USD",
            "delivery_days": days,
            "est_delivery_days": days,
            "delivery_date_guaranteed": False,
            "shipment_id": shipment_id,
        }

    async def _shipment(self, request: Request, body: Any) -> Response:
        shipment = self.shipments.get(request.path_params["id"])
        if shipment is None:
            return error(404, "NOT_FOUND", "The requested resource could not be found.")
        return JSONResponse(shipment)

    async def _buy(self, request: Request, body: Any) -> Response:
        shipment = self.shipments.get(request.path_params["id"])
        if shipment is None:
            return error(404, "NOT_FOUND", "The requested resource could not be found.")
        if self.buy_failing is not None:
            return error(self.buy_failing, "INTERNAL_SERVER_ERROR", "Something went wrong.")
        if shipment["tracking_code"] is not None:
            return error(422, "SHIPMENT.POSTAGE.EXISTS", "Shipment already has postage.")
        rate_id = ((body or {}).get("rate") or {}).get("id")
        rate = next((r for r in shipment["rates"] if r["id"] == rate_id), None)
        if rate is None:
            return error(422, "SHIPMENT.RATE.NOT_FOUND", f"Rate {rate_id} not found.")
        number = next(self._numbers)
        code = (
            f"9400100000000000{number:06d}"
            if rate["carrier"] == "USPS"
            else f"1Z999AA1{number:08d}"
        )
        tracker = tracker_object(code, carrier=rate["carrier"], shipment_id=shipment["id"])
        self.trackers[tracker["id"]] = tracker
        name = secrets.token_hex(16)
        self.labels[name] = label_pdf(code)
        self.bought.append(shipment["id"])
        shipment.update(
            tracking_code=code,
            selected_rate=rate,
            tracker=tracker,
            postage_label={
                "object": "PostageLabel",
                "id": ep_id("pl"),
                "label_size": "4x6",
                "label_file_type": "application/pdf",
                "label_url": f"{self.url}/files/postage_label/{name}.pdf",
                "label_pdf_url": f"{self.url}/files/postage_label/{name}.pdf",
            },
        )
        return JSONResponse(shipment)

    async def _trackers(self, request: Request, body: Any) -> Response:
        code = request.query_params.get("tracking_code")
        found = [t for t in self.trackers.values() if code is None or t["tracking_code"] == code]
        return JSONResponse({"trackers": found, "has_more": False})

    async def _tracker(self, request: Request, body: Any) -> Response:
        tracker = self.trackers.get(request.path_params["id"])
        if tracker is None:
            return error(404, "NOT_FOUND", "The requested resource could not be found.")
        return JSONResponse(tracker)

    async def _label(self, request: Request) -> Response:
        self.label_downloads.append(request.headers.get("authorization", ""))
        pdf = self.labels.get(request.path_params["name"])
        if self.label_failures > 0:
            self.label_failures -= 1
            return Response("<Error>InternalError</Error>", 500, media_type="application/xml")
        if pdf is None or self.labels_missing:
            return Response(status_code=404)
        return Response(pdf, media_type="application/pdf")
