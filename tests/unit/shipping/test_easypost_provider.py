"""EasyPost over its REST API against a local EasyPost: rates from two carriers, a label
bought from a quote or by service, trackers polled, signed webhooks read, and each failure
mapped to "unavailable" (try the table rates, EC018) or "refused"."""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest

from mercato.agents.shipping.providers import (
    Address,
    CarrierRefused,
    CarrierUnavailable,
    EasyPostCarrier,
    InvalidWebhook,
    LabelRequest,
    Parcel,
    Quote,
    TrackingStatus,
)
from mercato.agents.shipping.providers.easypost_objects import tracking_status, webhook_signature
from tests.fakes import easypost_api
from tests.fakes.easypost_api import API_KEY, WEBHOOK_SECRET, FakeEasyPost

SHOP = Address(
    "Mercato Shop",
    "417 Montgomery Street",
    "San Francisco",
    "94104",
    "US",
    line2="5th Floor",
    region="CA",
    phone="4153334445",
)
SHOPPER = Address(
    "Zoë <Ünal> & Søn",
    "179 N Harbor Dr",
    "Redondo Beach",
    "90277",
    "US",
    region="CA",
    email="zoe@example.com",
)
BOX = Parcel(
    weight_grams=1000,
    length_mm=254,
    width_mm=152,
    height_mm=102,
    value=Decimal("49.00"),
    currency="USD",
)


Tamper = Callable[[bytes, dict[str, str]], tuple[bytes, dict[str, str]]]


@pytest.fixture
def fake() -> Iterator[FakeEasyPost]:
    with FakeEasyPost().running() as server:
        yield server


def provider_for(
    fake: FakeEasyPost,
    *,
    api_key: str = API_KEY,
    timeout: float = 2.0,
    secret: str | None = WEBHOOK_SECRET,
) -> EasyPostCarrier:
    return EasyPostCarrier(api_key, webhook_secret=secret, base_url=fake.url, timeout=timeout)


@pytest.fixture
async def easypost(fake: FakeEasyPost) -> AsyncIterator[EasyPostCarrier]:
    provider = provider_for(fake)
    yield provider
    await provider.close()


def label_request(service: str = "USPS:Priority", quote: Quote | None = None) -> LabelRequest:
    return LabelRequest("shp-mercato-1", "1042", SHOP, SHOPPER, BOX, service, quote=quote)


# -- rates ----------------------------------------------------------------------------------


async def test_rates_come_from_every_vendor_carrier_in_inches_and_ounces(
    easypost: EasyPostCarrier, fake: FakeEasyPost
) -> None:
    # when a 1 kg parcel in a 10x6x4 inch box is quoted
    quotes = await easypost.rates(origin=SHOP, destination=SHOPPER, parcel=BOX)
    # then EasyPost was asked once, with Basic auth (the key as user name) and vendor units
    [(method, path, authorization, body)] = fake.received
    assert (method, path) == ("POST", "/v2/shipments")
    assert authorization == "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
    shipment = body["shipment"]
    assert shipment["parcel"] == {"length": 10.0, "width": 6.0, "height": 4.0, "weight": 35.3}
    assert shipment["options"]["label_format"] == "PDF"
    assert shipment["to_address"]["name"] == "Zoë <Ünal> & Søn"
    assert shipment["from_address"]["street2"] == "5th Floor"
    assert "reference" not in shipment
    # and every rate of USPS and UPS is a quote of carrier easypost, priced to the cent
    by_service = {q.service: q for q in quotes}
    assert {q.vendor_carrier for q in quotes} == {"USPS", "UPS"}
    assert {q.carrier for q in quotes} == {"easypost"}
    priority = by_service["USPS:Priority"]
    assert (priority.amount, priority.currency) == (Decimal("14.96"), "USD")  # 7.90 + .20 x 35.3
    assert (priority.days_min, priority.days_max, priority.service_name) == (2, 2, "USPS Priority")
    assert priority.carrier_ref.startswith("rate_")
    assert priority.shipment_ref in fake.shipments
    assert "UPS:NextDayAir" in by_service


# -- labels ---------------------------------------------------------------------------------


async def test_a_chosen_quote_is_bought_and_its_pdf_fetched_without_the_key(
    easypost: EasyPostCarrier, fake: FakeEasyPost
) -> None:
    # given the quotes from rate shopping, USPS Priority chosen
    quotes = await easypost.rates(origin=SHOP, destination=SHOPPER, parcel=BOX)
    chosen = next(q for q in quotes if q.service == "USPS:Priority")
    # when its label is bought
    label = await easypost.buy_label(label_request(quote=chosen))
    # then that very rate was bought on that shipment, with no second shipment
    assert [(m, p) for m, p, _, _ in fake.received][1:] == [
        ("POST", f"/v2/shipments/{chosen.shipment_ref}/buy")
    ]
    assert fake.received[1][3] == {"rate": {"id": chosen.carrier_ref}}
    # and the label has EasyPost's tracking code, tracker, amount and its PDF
    shipment = fake.shipments[chosen.shipment_ref]
    assert label.tracking_number == shipment["tracking_code"]
    assert label.carrier_ref == chosen.shipment_ref
    assert label.tracker_ref == shipment["tracker"]["id"]
    assert (label.amount, label.currency) == (Decimal("14.96"), "USD")
    assert label.pdf is not None and label.pdf.startswith(b"%PDF")
    assert label.url == shipment["postage_label"]["label_pdf_url"]
    # and the file was fetched without the API key
    assert fake.label_downloads == [""]


async def test_without_a_quote_the_service_is_bought_on_a_new_shipment(
    easypost: EasyPostCarrier, fake: FakeEasyPost
) -> None:
    # when a UPS Ground label is bought with no quote in hand
    label = await easypost.buy_label(label_request("UPS:Ground"))
    # then a shipment was created with Mercato's shipment id as its reference, and bought
    [shipment] = fake.shipments.values()
    assert shipment["reference"] == "shp-mercato-1"
    assert shipment["selected_rate"]["service"] == "Ground"
    assert label.tracking_number.startswith("1Z")


async def test_a_service_easypost_does_not_offer_is_refused_and_nothing_bought(
    easypost: EasyPostCarrier, fake: FakeEasyPost
) -> None:
    # when a label is bought for a service no rate has
    with pytest.raises(CarrierRefused, match="FedEx:Overnight"):
        await easypost.buy_label(label_request("FedEx:Overnight"))
    # then nothing was bought
    assert [p for _, p, _, _ in fake.received] == ["/v2/shipments"]
    assert all(s["tracking_code"] is None for s in fake.shipments.values())


async def test_buying_a_bought_quote_again_gives_back_its_label(
    easypost: EasyPostCarrier, fake: FakeEasyPost
) -> None:
    # given a label bought from a quote
    [quote, *_] = await easypost.rates(origin=SHOP, destination=SHOPPER, parcel=BOX)
    first = await easypost.buy_label(label_request(quote.service, quote=quote))
    # when it is bought again (a retry after the answer was lost)
    again = await easypost.buy_label(label_request(quote.service, quote=quote))
    # then EasyPost refused a second purchase and the label already bought comes back
    assert again.tracking_number == first.tracking_number
    assert sum(1 for _, p, _, _ in fake.received if p.endswith("/buy")) == 2
    assert len([s for s in fake.shipments.values() if s["tracking_code"]]) == 1


async def test_another_rate_on_a_bought_shipment_is_refused(
    easypost: EasyPostCarrier, fake: FakeEasyPost
) -> None:
    # given a shipment bought at one rate
    first, second, *_ = await easypost.rates(origin=SHOP, destination=SHOPPER, parcel=BOX)
    bought = await easypost.buy_label(label_request(first.service, quote=first))
    # when another of its rates is bought, then EasyPost refuses (it has postage already)
    with pytest.raises(CarrierRefused, match=r"SHIPMENT\.POSTAGE\.EXISTS"):
        await easypost.buy_label(label_request(second.service, quote=second))
    # and the shipment keeps its first label
    assert fake.shipments[first.shipment_ref]["tracking_code"] == bought.tracking_number


async def test_a_label_file_not_there_yet_leaves_the_label_bought_with_its_url(
    easypost: EasyPostCarrier, fake: FakeEasyPost
) -> None:
    # given a quote, and EasyPost's label files not downloadable yet
    [quote, *_] = await easypost.rates(origin=SHOP, destination=SHOPPER, parcel=BOX)
    fake.labels_missing = True
    # when its label is bought
    label = await easypost.buy_label(label_request(quote.service, quote=quote))
    # then it is bought, once, with its tracking code and its file's URL but no PDF
    shipment = fake.shipments[quote.shipment_ref]
    assert fake.bought == [quote.shipment_ref]
    assert label.tracking_number == shipment["tracking_code"]
    assert label.pdf is None and label.url == shipment["postage_label"]["label_pdf_url"]
    # and the file is fetched (without the key) once it is there
    assert label.url is not None
    with pytest.raises(CarrierUnavailable, match="label file answered 404"):
        await easypost.fetch_label(label.url)
    fake.labels_missing = False
    assert (await easypost.fetch_label(label.url)).startswith(b"%PDF")
    assert fake.label_downloads == ["", "", ""]


# -- tracking -------------------------------------------------------------------------------


async def test_a_tracker_is_polled_by_its_id_its_shipment_or_its_code(
    easypost: EasyPostCarrier, fake: FakeEasyPost
) -> None:
    # given a bought label that the carrier scans along the way, one attempt failing
    label = await easypost.buy_label(label_request())
    code = label.tracking_number
    fake.scan(
        code,
        "in_transit",
        "arrived_at_facility",
        "Arrived at USPS facility",
        city="LOS ANGELES",
        state="CA",
        zip_code="90052",
    )
    fake.scan(code, "out_for_delivery", "out_for_delivery", "Out for delivery")
    fake.scan(code, "in_transit", "delivery_exception", "Notice left (no authorized recipient)")
    fake.scan(code, "delivered", "arrived_at_destination", "Delivered, front door")
    # when it is tracked by the tracker's id, the shipment's id and the tracking code alone
    by_tracker = await easypost.track(code, carrier_ref=label.tracker_ref)
    by_shipment = await easypost.track(code, carrier_ref=label.carrier_ref)
    by_code = await easypost.track(code, carrier_ref=None)
    # then each answers every scan in Mercato's statuses, oldest first
    assert by_tracker == by_shipment == by_code
    assert [u.status for u in by_tracker] == [
        TrackingStatus.PRE_TRANSIT,
        TrackingStatus.IN_TRANSIT,
        TrackingStatus.OUT_FOR_DELIVERY,
        TrackingStatus.FAILED_ATTEMPT,
        TrackingStatus.DELIVERED,
    ]
    assert by_tracker[1].location == "LOS ANGELES, CA, 90052"
    assert by_tracker[3].description == "Notice left (no authorized recipient)"
    assert len({u.vendor_event_id for u in by_tracker}) == 5
    assert {u.carrier_ref for u in by_tracker} == {label.tracker_ref}


async def test_a_code_easypost_does_not_know_has_no_events(easypost: EasyPostCarrier) -> None:
    # when an unknown code is tracked, then there is nothing
    assert await easypost.track("9400000000000000000000", carrier_ref=None) == []


@pytest.mark.parametrize(
    ("status", "detail", "expected"),
    [
        ("pre_transit", "label_created", TrackingStatus.PRE_TRANSIT),
        ("in_transit", "departed_facility", TrackingStatus.IN_TRANSIT),
        ("in_transit", "delivery_exception", TrackingStatus.FAILED_ATTEMPT),
        ("out_for_delivery", "delivery_exception", TrackingStatus.FAILED_ATTEMPT),
        ("out_for_delivery", "out_for_delivery", TrackingStatus.OUT_FOR_DELIVERY),
        ("available_for_pickup", "arrived_at_pickup_location", TrackingStatus.OUT_FOR_DELIVERY),
        ("delivered", "arrived_at_destination", TrackingStatus.DELIVERED),
        ("return_to_sender", "return", TrackingStatus.RETURNED_TO_SENDER),
        ("failure", "lost", TrackingStatus.EXCEPTION),
        ("error", "unknown", TrackingStatus.EXCEPTION),
        ("cancelled", "cancelled", TrackingStatus.EXCEPTION),
        ("unknown", "unknown", None),
    ],
)
def test_easypost_statuses_map_to_mercatos(
    status: str, detail: str, expected: TrackingStatus | None
) -> None:
    # then each EasyPost status (and a failed attempt's detail) has its Mercato status
    assert tracking_status(status, detail) is expected


# -- webhooks -------------------------------------------------------------------------------


async def test_a_signed_tracker_event_is_read_with_the_secret_normalised(
    easypost: EasyPostCarrier, fake: FakeEasyPost
) -> None:
    # given a bought label and EasyPost's signed tracker.updated event about its delivery
    label = await easypost.buy_label(label_request())
    body, headers = fake.tracker_updated_event(
        label.tracking_number, "delivered", "arrived_at_destination", "Delivered"
    )
    # when it is parsed
    updates = easypost.parse_webhook(headers, body)
    # then the tracker's scans come through, the delivery last
    assert [u.status for u in updates] == [TrackingStatus.PRE_TRANSIT, TrackingStatus.DELIVERED]
    assert {u.tracking_number for u in updates} == {label.tracking_number}
    # and a poll reports the same scans with the same ids (one scan is seen once)
    polled = await easypost.track(label.tracking_number, carrier_ref=label.tracker_ref)
    assert [u.vendor_event_id for u in polled] == [u.vendor_event_id for u in updates]


def test_the_signature_needs_the_nfkd_form_of_the_secret() -> None:
    # given an event signed as EasyPost signs it, with a secret NFKD changes
    body, headers = easypost_api.signed_tracker_event("EZ4000000004", "delivered")
    naive = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    # then Mercato's signature matches it, and one keyed by the secret as typed does not
    assert webhook_signature(WEBHOOK_SECRET, body) == headers["X-Hmac-Signature"]
    assert headers["X-Hmac-Signature"] != f"hmac-sha256-hex={naive}"


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda b, h: (b.replace(b"delivered", b"return_to_sender"), h), id="body"),
        pytest.param(lambda b, h: (b, {}), id="no header"),
        pytest.param(lambda b, h: (b, {"X-Hmac-Signature": "hmac-sha256-hex=00"}), id="wrong"),
        pytest.param(
            lambda b, h: easypost_api.signed_tracker_event("EZ4", "delivered", secret="other"),
            id="wrong secret",
        ),
    ],
)
def test_an_event_that_does_not_verify_is_refused(tamper: Tamper) -> None:
    # given a signed event, then tampered with
    body, headers = tamper(*easypost_api.signed_tracker_event("EZ4000000004", "delivered"))
    provider = EasyPostCarrier(
        API_KEY, webhook_secret=WEBHOOK_SECRET, base_url="http://127.0.0.1:9"
    )
    # when it is parsed, then it is refused
    with pytest.raises(InvalidWebhook):
        provider.parse_webhook(headers, body)


def test_without_a_webhook_secret_events_are_refused() -> None:
    # given a provider with no webhook secret
    body, headers = easypost_api.signed_tracker_event("EZ4000000004", "delivered")
    provider = EasyPostCarrier(API_KEY, base_url="http://127.0.0.1:9")
    # then even a correctly signed event is refused
    with pytest.raises(InvalidWebhook, match="secret"):
        provider.parse_webhook(headers, body)


def test_scans_easypost_has_no_status_for_are_left_out() -> None:
    # given a signed tracker event with an `unknown` scan and one without a location
    tracker = easypost_api.tracker_object("EZ4000000004")
    tracker["tracking_details"] = [
        easypost_api.tracking_detail("unknown", "unknown", "Awaiting item"),
        {
            **easypost_api.tracking_detail("in_transit", "arrived_at_facility", "Arrived"),
            "tracking_location": None,
        },
    ]
    body, headers = easypost_api.tracker_updated(tracker)
    provider = EasyPostCarrier(
        API_KEY, webhook_secret=WEBHOOK_SECRET, base_url="http://127.0.0.1:9"
    )
    # when it is parsed, then only the scan with a status comes through, with no location
    [update] = provider.parse_webhook(headers, body)
    assert (update.status, update.location) == (TrackingStatus.IN_TRANSIT, None)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"object": "Event", "description": "batch.updated", "result": {}}', []),
        (b'{"object": "Event", "description": "tracker.updated", "result": {}}', InvalidWebhook),
        (b'{"object": "Batch"}', InvalidWebhook),
        (
            b'{"object": "Event", "description": "tracker.updated", "result": {"object":'
            b' "Tracker", "tracking_code": "EZ4", "tracking_details": ["delivered"]}}',
            InvalidWebhook,
        ),
        (b"[not json", InvalidWebhook),
        (
            b'{"object": "Event", "description": "tracker.updated", "result": {"object":'
            b' "Tracker", "tracking_code": "EZ4", "tracking_details": [{"status": "delivered",'
            b' "datetime": "yesterday"}]}}',
            InvalidWebhook,
        ),
    ],
)
def test_events_that_are_not_about_trackers_are_skipped_or_refused(
    body: bytes, expected: object
) -> None:
    # given a correctly signed body that is another event, or not a readable tracker event
    headers = {"x-hmac-signature": webhook_signature(WEBHOOK_SECRET, body)}
    provider = EasyPostCarrier(
        API_KEY, webhook_secret=WEBHOOK_SECRET, base_url="http://127.0.0.1:9"
    )
    # when it is parsed, then another event is skipped and an unreadable one refused
    if expected == []:
        assert provider.parse_webhook(headers, body) == []
    else:
        with pytest.raises(InvalidWebhook):
            provider.parse_webhook(headers, body)


# -- failures -------------------------------------------------------------------------------


async def test_a_wrong_api_key_is_refused_with_easyposts_message(fake: FakeEasyPost) -> None:
    # given a provider with a key EasyPost does not know
    provider = provider_for(fake, api_key="EZTK-wrong")
    # when it asks for rates, then EasyPost's 401 is a refusal with its code and message
    with pytest.raises(CarrierRefused, match=r"APIKEY\.REQUIRED: Missing or invalid API key"):
        await provider.rates(origin=SHOP, destination=SHOPPER, parcel=BOX)
    await provider.close()
    assert fake.shipments == {}


async def test_an_invalid_address_is_refused(easypost: EasyPostCarrier, fake: FakeEasyPost) -> None:
    # given EasyPost that cannot verify the address
    fake.invalid_address = True
    # when rates and a label are asked for, then both are refused with EasyPost's reason
    with pytest.raises(CarrierRefused, match=r"ADDRESS\.VERIFY\.FAILURE"):
        await easypost.rates(origin=SHOP, destination=SHOPPER, parcel=BOX)
    with pytest.raises(CarrierRefused, match="Unable to verify address"):
        await easypost.buy_label(label_request())
    assert fake.shipments == {}


@pytest.mark.parametrize("failure", ["500", "503", "429", "down"])
async def test_5xx_and_429_make_easypost_unavailable(
    easypost: EasyPostCarrier, fake: FakeEasyPost, failure: str
) -> None:
    # given EasyPost failing, rate-limiting or down
    if failure == "429":
        fake.rate_limited = True
    elif failure == "down":
        fake.down = True
    else:
        fake.failing = int(failure)
    # when rates or a label are asked for, then EasyPost is unavailable and nothing was made
    with pytest.raises(CarrierUnavailable):
        await easypost.rates(origin=SHOP, destination=SHOPPER, parcel=BOX)
    with pytest.raises(CarrierUnavailable):
        await easypost.buy_label(label_request())
    assert fake.shipments == {}


@pytest.mark.edge_case("EC018")
async def test_rates_that_take_too_long_make_easypost_unavailable(fake: FakeEasyPost) -> None:
    # given EasyPost slower than the carrier timeout
    fake.delay = 1.5
    provider = provider_for(fake, timeout=0.3)
    # when rates are asked for, then it gives up as unavailable (the table rates stand in)
    with pytest.raises(CarrierUnavailable, match=r"no answer within 0\.3s"):
        await provider.rates(origin=SHOP, destination=SHOPPER, parcel=BOX)
    await provider.close()


@pytest.mark.parametrize(("status", "error"), [(200, CarrierUnavailable), (400, CarrierRefused)])
async def test_an_answer_that_is_not_easyposts_json_is_not_trusted(
    easypost: EasyPostCarrier, fake: FakeEasyPost, status: int, error: type[Exception]
) -> None:
    # given something in front of EasyPost answering HTML
    fake.garbled = status
    # when rates are asked for, then a 200 without an object is unavailable, a 400 refused
    with pytest.raises(error):
        await easypost.rates(origin=SHOP, destination=SHOPPER, parcel=BOX)


def spoil_rates(path: str, answer: dict[str, Any]) -> None:
    for rate in answer.get("rates") or []:
        rate["rate"] = "n/a"


def drop_tracking_code(path: str, answer: dict[str, Any]) -> None:
    if path.endswith("/buy"):
        answer["tracking_code"] = None


def spoil_selected_rate(path: str, answer: dict[str, Any]) -> None:
    if path.endswith("/buy"):
        answer["selected_rate"]["rate"] = "free"


async def test_answers_that_cannot_be_read_make_easypost_unavailable(
    easypost: EasyPostCarrier, fake: FakeEasyPost
) -> None:
    # given EasyPost answering shapes it never sends: an unreadable rate, a bought shipment
    # without its tracking code or its amount, a scan without a readable time
    label = await easypost.buy_label(label_request())
    fake.scan(label.tracking_number, "in_transit", "departed_facility", "Departed")
    fake.tracker_for(label.tracking_number)["tracking_details"][-1]["datetime"] = "soon"
    # then each is reported unavailable, not read as something it is not
    fake.mangle = spoil_rates
    with pytest.raises(CarrierUnavailable, match="unreadable rate"):
        await easypost.rates(origin=SHOP, destination=SHOPPER, parcel=BOX)
    fake.mangle = drop_tracking_code
    with pytest.raises(CarrierUnavailable, match="without a tracking code"):
        await easypost.buy_label(label_request())
    fake.mangle = spoil_selected_rate
    with pytest.raises(CarrierUnavailable, match="unreadable amount"):
        await easypost.buy_label(label_request())
    fake.mangle = None
    with pytest.raises(CarrierUnavailable, match="unreadable Tracker"):
        await easypost.track(label.tracking_number, carrier_ref=label.tracker_ref)


async def test_an_unreachable_easypost_is_unavailable() -> None:
    # given nothing listening where EasyPost should be
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    provider = EasyPostCarrier(API_KEY, base_url=url, timeout=1.0)
    # when rates are asked for, then EasyPost is unavailable
    with pytest.raises(CarrierUnavailable):
        await provider.rates(origin=SHOP, destination=SHOPPER, parcel=BOX)
    await provider.close()
