"""The local courier: prices from billable weight and distance, a label that is the same
however often it is bought, signed webhooks read (and everything else refused), and the
carriers that settings build."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import SecretStr

from mercato.agents.shipping.providers import (
    Address,
    Carrier,
    CarrierRefused,
    EasyPostCarrier,
    InvalidWebhook,
    LabelRequest,
    LocalCarrier,
    Parcel,
    TrackingStatus,
    carriers_from_settings,
)
from mercato.agents.shipping.providers.local import (
    SIGNATURE_HEADER,
    is_tracking_number,
    sign,
    tracking_number_for,
)
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings

SECRET = "local-courier-secret"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
WAREHOUSE = Address("Mercato Warehouse", "1 Dock Road", "Lyon", "69007", "FR")
NEIGHBOUR = Address("Zoë <Ünal> & Søn", "8 Rue Neuve", "Lyon", "69 003", "FR")
PARIS = Address("Ada Lovelace", "12 Rue de Rivoli", "Paris", "75001", "FR")
BERLIN = Address("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE")


def parcel(
    grams: int = 1200, box: tuple[int, int, int] = (300, 200, 100), currency: str = "EUR"
) -> Parcel:
    return Parcel(grams, *box, value=Decimal("49.00"), currency=currency)


def courier(clock: ManualClock | None = None, secret: str | None = SECRET) -> LocalCarrier:
    return LocalCarrier(webhook_secret=secret, now=(clock or ManualClock(NOW)).now)


def request(shipment_id: str = "shp-1", service: str = "standard") -> LabelRequest:
    return LabelRequest(shipment_id, "1042", WAREHOUSE, PARIS, parcel(), service)


def signed(
    payload: object, at: datetime = NOW, secret: str = SECRET
) -> tuple[dict[str, str], bytes]:
    body = json.dumps(payload).encode()
    return {SIGNATURE_HEADER: sign(secret, body, at)}, body


Tamper = Callable[[dict[str, str], bytes], tuple[dict[str, str], bytes]]

SCAN = {
    "tracking_number": "MLC12345678903",
    "status": "out_for_delivery",
    "occurred_at": "2026-03-02T09:58:00+00:00",
    "description": "Out for delivery",
    "location": "Lyon depot",
    "event_id": "scan-1",
}

# -- rates ----------------------------------------------------------------------------------


async def test_rates_are_priced_from_billable_weight_by_distance_class() -> None:
    # given a 1.2 kg parcel whose box also weighs 1.2 kg dimensionally (30x20x10 cm / 5000)
    carrier = courier()
    # when it is quoted to a neighbour, across the country and abroad
    local = await carrier.rates(origin=WAREHOUSE, destination=NEIGHBOUR, parcel=parcel())
    domestic = await carrier.rates(origin=WAREHOUSE, destination=PARIS, parcel=parcel())
    abroad = await carrier.rates(origin=WAREHOUSE, destination=BERLIN, parcel=parcel())
    # then each service is base + per kg x 1.2, in the parcel's currency, with its days
    assert [(q.service, q.amount, q.days_min, q.days_max) for q in local] == [
        ("economy", Decimal("4.38"), 5, 8),
        ("standard", Decimal("5.50"), 3, 5),
        ("express", Decimal("9.98"), 1, 2),
    ]
    assert [q.amount for q in domestic] == [Decimal("5.62"), Decimal("7.86"), Decimal("14.58")]
    assert [(q.amount, q.days_min, q.days_max) for q in abroad] == [
        (Decimal("15.90"), 10, 15),
        (Decimal("22.10"), 6, 9),
        (Decimal("41.50"), 2, 4),
    ]
    assert {(q.carrier, q.currency) for q in local + domestic + abroad} == {("local", "EUR")}
    assert [q.service_name for q in local] == ["Economy", "Standard", "Express"]


async def test_a_light_parcel_in_a_big_box_pays_for_its_volume() -> None:
    # given 500 g in a 40x30x20 cm box (4.8 kg dimensional)
    light = parcel(grams=500, box=(400, 300, 200))
    # when it is quoted across the country
    quotes = await courier().rates(origin=WAREHOUSE, destination=PARIS, parcel=light)
    # then standard costs 6.90 + 0.80 x 4.8
    assert quotes[1].amount == Decimal("10.74")


async def test_amounts_are_rounded_by_the_currency() -> None:
    # given parcels in euros (to the cent) and in yen (no minor unit)
    odd = parcel(grams=333, box=(100, 100, 10))
    # when they are quoted
    euros = await courier().rates(origin=WAREHOUSE, destination=NEIGHBOUR, parcel=odd)
    yen = await courier().rates(origin=WAREHOUSE, destination=PARIS, parcel=parcel(currency="JPY"))
    # then 3.90 + 0.40 x 0.333 is 4.03 and 7.86 yen is 8
    assert euros[0].amount == Decimal("4.03")
    assert yen[1].amount == Decimal("8") and yen[1].currency == "JPY"


@pytest.mark.parametrize("grams", [0, 30_001])
async def test_a_parcel_it_cannot_carry_is_refused(grams: int) -> None:
    # given an empty or over-heavy parcel
    # when it is quoted, then the courier refuses it
    with pytest.raises(CarrierRefused):
        await courier().rates(origin=WAREHOUSE, destination=PARIS, parcel=parcel(grams=grams))


# -- labels and tracking -------------------------------------------------------------------


async def test_buying_a_label_twice_gives_the_same_label() -> None:
    # given the local courier
    carrier = courier()
    # when one shipment's label is bought twice and another shipment's once
    first = await carrier.buy_label(request("shp-1"))
    again = await carrier.buy_label(request("shp-1"))
    other = await carrier.buy_label(request("shp-2"))
    # then the shipment keeps its tracking number, a valid MLC number, at the quoted price
    assert first == again
    assert first.tracking_number == tracking_number_for("shp-1")
    assert is_tracking_number(first.tracking_number) and len(first.tracking_number) == 14
    assert other.tracking_number != first.tracking_number
    assert (first.amount, first.currency, first.pdf) == (Decimal("7.86"), "EUR", None)


def test_a_tracking_number_with_a_wrong_check_digit_is_not_one() -> None:
    # given a valid number
    number = tracking_number_for("shp-9")
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    # then changing its check digit, or its prefix, makes it invalid
    assert is_tracking_number(number)
    assert not is_tracking_number(wrong)
    assert not is_tracking_number("XYZ" + number[3:])


async def test_an_unknown_service_is_refused() -> None:
    # when a label is bought for a service the courier does not have, then it refuses
    with pytest.raises(CarrierRefused, match="overnight"):
        await courier().buy_label(request(service="overnight"))


async def test_tracking_has_nothing_to_poll_and_closing_is_harmless() -> None:
    # given the courier, whose scans arrive only by webhook
    carrier = courier()
    # then polling answers nothing, and closing it twice is fine
    assert await carrier.track("MLC12345678903", carrier_ref=None) == []
    await carrier.close()
    await carrier.close()


# -- webhooks -------------------------------------------------------------------------------


def test_a_signed_scan_is_read() -> None:
    # given a scan signed with the courier's secret a minute ago
    headers, body = signed(SCAN, at=NOW - timedelta(minutes=1))
    # when it is parsed
    [update] = courier().parse_webhook(headers, body)
    # then every field comes through
    assert update.tracking_number == "MLC12345678903"
    assert update.status is TrackingStatus.OUT_FOR_DELIVERY
    assert update.occurred_at == datetime(2026, 3, 2, 9, 58, tzinfo=UTC)
    assert (update.description, update.location, update.vendor_event_id) == (
        "Out for delivery",
        "Lyon depot",
        "scan-1",
    )


def test_a_batch_of_scans_is_read_in_order_with_any_header_case() -> None:
    # given two scans in one delivery, the second without its optional fields or time zone
    second = {
        "tracking_number": "MLC12345678903",
        "status": "delivered",
        "occurred_at": "2026-03-02T09:59:00",
        "description": "Delivered",
    }
    headers, body = signed({"events": [SCAN, second]})
    lowered = {k.lower(): v for k, v in headers.items()}
    # when it is parsed with the header's name in lower case
    updates = courier().parse_webhook(lowered, body)
    # then both come back, the naive time read as UTC
    assert [u.status for u in updates] == [
        TrackingStatus.OUT_FOR_DELIVERY,
        TrackingStatus.DELIVERED,
    ]
    assert updates[1].occurred_at.tzinfo is UTC and updates[1].location is None


def test_the_signature_holds_for_five_minutes_either_way() -> None:
    # given scans signed exactly 300 s before and after now
    carrier = courier()
    for at in (NOW - timedelta(seconds=300), NOW + timedelta(seconds=300)):
        headers, body = signed(SCAN, at=at)
        # then both are accepted
        assert len(carrier.parse_webhook(headers, body)) == 1


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda h, b: (h, b.replace(b"out_for_delivery", b"delivered")), id="body"),
        pytest.param(lambda h, b: ({}, b), id="no header"),
        pytest.param(lambda h, b: ({SIGNATURE_HEADER: "v1=abc"}, b), id="no time"),
        pytest.param(lambda h, b: ({SIGNATURE_HEADER: "t=soon,v1=abc"}, b), id="bad time"),
        pytest.param(
            lambda h, b: ({SIGNATURE_HEADER: h[SIGNATURE_HEADER].split(",")[0]}, b), id="no mac"
        ),
        pytest.param(
            lambda h, b: ({SIGNATURE_HEADER: h[SIGNATURE_HEADER] + "é"}, b), id="non-ascii"
        ),
        pytest.param(lambda h, b: signed(SCAN, secret="another-secret"), id="wrong secret"),
        pytest.param(lambda h, b: signed(SCAN, at=NOW - timedelta(seconds=301)), id="stale"),
        pytest.param(lambda h, b: signed(SCAN, at=NOW + timedelta(seconds=301)), id="future"),
    ],
)
def test_a_delivery_that_does_not_verify_is_refused(tamper: Tamper) -> None:
    # given a correctly signed scan, then tampered with
    headers, body = tamper(*signed(SCAN))
    # when it is parsed, then it is refused
    with pytest.raises(InvalidWebhook):
        courier().parse_webhook(headers, body)


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"not json", id="not json"),
        pytest.param([SCAN], id="a bare list"),
        pytest.param({"events": []}, id="no events"),
        pytest.param({"events": ["scan"]}, id="not an object"),
        pytest.param({**SCAN, "status": "teleported"}, id="unknown status"),
        pytest.param({**SCAN, "tracking_number": ""}, id="no number"),
        pytest.param({**SCAN, "occurred_at": "yesterday"}, id="bad time"),
        pytest.param({**SCAN, "occurred_at": None}, id="no time"),
        pytest.param({**SCAN, "description": 7}, id="bad description"),
        pytest.param({**SCAN, "location": 7}, id="bad location"),
    ],
)
def test_a_signed_delivery_that_cannot_be_read_is_refused(payload: object) -> None:
    # given a correctly signed body that is not a well-formed scan
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {SIGNATURE_HEADER: sign(SECRET, body, NOW)}
    # when it is parsed, then it is refused
    with pytest.raises(InvalidWebhook):
        courier().parse_webhook(headers, body)


def test_without_a_secret_every_delivery_is_refused() -> None:
    # given a courier with no webhook secret configured
    headers, body = signed(SCAN)
    # then even a delivery signed with some secret is refused
    with pytest.raises(InvalidWebhook, match="secret"):
        courier(secret=None).parse_webhook(headers, body)


# -- the carriers settings build -------------------------------------------------------------


async def test_settings_build_the_local_courier_with_its_secret_and_skip_the_tables() -> None:
    # given the default carriers (local, tables) and a webhook secret
    settings = Settings(shipping_webhook_secret=SecretStr(SECRET))
    # when the providers are built
    carriers = carriers_from_settings(settings, now=ManualClock(NOW).now)
    # then only the local courier is there, and it verifies with that secret
    assert list(carriers) == ["local"]
    headers, body = signed(SCAN)
    assert len(carriers["local"].parse_webhook(headers, body)) == 1


def test_a_secret_the_caller_keeps_signs_the_local_couriers_webhooks() -> None:
    # given no secret in settings, but one the shipping agent keeps itself
    carriers = carriers_from_settings(
        Settings(shipping_carriers="local"), now=ManualClock(NOW).now, local_webhook_secret="kept"
    )
    # then the local courier verifies with that one
    headers, body = signed(SCAN, secret="kept")
    assert len(carriers["local"].parse_webhook(headers, body)) == 1


async def test_easypost_is_built_only_with_an_api_key() -> None:
    # given easypost named before local, first without and then with an API key
    names = " easypost , local,tables,local"
    without = carriers_from_settings(Settings(shipping_carriers=names), now=ManualClock(NOW).now)
    with_key = carriers_from_settings(
        Settings(shipping_carriers=names, easypost_api_key=SecretStr("EZTK-key")),
        now=ManualClock(NOW).now,
    )
    # then easypost joins only with the key, in the settings' order, each carrier once
    assert list(without) == ["local"]
    assert list(with_key) == ["easypost", "local"]
    easypost: Carrier = with_key["easypost"]
    assert isinstance(easypost, EasyPostCarrier) and easypost.timeout == 4.0
    # and a local courier without a secret refuses its webhooks
    headers, body = signed(SCAN)
    with pytest.raises(InvalidWebhook):
        without["local"].parse_webhook(headers, body)
    await easypost.close()


def test_easypost_cannot_be_built_without_a_key() -> None:
    # when the EasyPost provider is built from settings without a key, then it says so
    with pytest.raises(ValueError, match="EASYPOST_API_KEY"):
        EasyPostCarrier.from_settings(Settings())
