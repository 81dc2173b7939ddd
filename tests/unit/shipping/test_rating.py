"""Rate shopping: the options side by side, tagged cheapest, fastest and best value; every
carrier asked at once within the timeout; a carrier that does not answer replaced by the
store's tables for it (EC018) and named in the warnings."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from mercato.agents.shipping.models import RateTable
from mercato.agents.shipping.providers.base import (
    Address,
    CarrierRefused,
    CarrierUnavailable,
    Label,
    LabelRequest,
    Parcel,
    Quote,
    TrackingUpdate,
)
from mercato.agents.shipping.rating import Option, RateRequest, ask, business_day, fingerprint, tag
from mercato.agents.shipping.statuses import QuoteSource

HOME = Address("Shop", "1 Dock Rd", "Newark", "07105", "US")
SHOPPER = Address("Ana", "1 Main St", "Springfield", "12345", "US")
BOX = Parcel(
    weight_grams=800,
    length_mm=200,
    width_mm=150,
    height_mm=100,
    value=Decimal("30.00"),
    currency="USD",
)


def option(carrier: str, service: str, amount: str, days: int) -> Option:
    return Option(
        id="",
        carrier=carrier,
        carrier_name=carrier,
        service=service,
        service_name=service,
        amount=Decimal(amount),
        currency="USD",
        days_min=max(days - 1, 0),
        days_max=days,
        source=QuoteSource.CARRIER,
    )


def test_the_options_come_cheapest_first_tagged() -> None:
    # given a cheap slow option, a dear fast one, and one in between
    ground = option("post", "ground", "5.00", 6)
    express = option("local", "express", "20.00", 1)
    priority = option("post", "priority", "7.00", 2)
    # when they are tagged
    tagged = tag([express, ground, priority])
    # then cheapest first; the cheapest, the fastest and the best value (7 x 1.3 < 5 x 1.9)
    assert [o.service for o in tagged] == ["ground", "priority", "express"]
    assert [o.tags for o in tagged] == [("cheapest",), ("best_value",), ("fastest",)]


def test_one_option_may_be_all_three() -> None:
    [only] = tag([option("local", "standard", "6.90", 3)])
    assert only.tags == ("cheapest", "fastest", "best_value")
    assert tag([]) == []


def test_delivery_estimates_count_business_days() -> None:
    # given a Friday / then 1 business day is Monday, 3 are Wednesday, 0 is the day itself
    friday = date(2026, 3, 6)
    assert business_day(friday, 1) == date(2026, 3, 9)
    assert business_day(friday, 3) == date(2026, 3, 11)
    assert business_day(friday, 0) == friday
    window = option("post", "ground", "5.00", 2).arrives(datetime(2026, 3, 6, 12, tzinfo=UTC))
    assert window == (date(2026, 3, 9), date(2026, 3, 10))


def test_a_fingerprint_is_of_the_units_and_where_they_go() -> None:
    # given the same units in another order / then the same fingerprint
    one = fingerprint([("a", 1), ("b", 2)], SHOPPER, "USD")
    assert one == fingerprint([("b", 2), ("a", 1)], SHOPPER, "USD")
    # and other units, another place, another currency each change it
    assert one != fingerprint([("a", 2), ("b", 2)], SHOPPER, "USD")
    assert one != fingerprint([("a", 1), ("b", 2)], HOME, "USD")
    assert one != fingerprint([("a", 1), ("b", 2)], SHOPPER, "EUR")


class Courier:
    """A carrier of the test's own: answers `quotes` after `delay` seconds, or fails."""

    def __init__(
        self,
        code: str,
        quotes: list[tuple[str, str, int]],
        *,
        delay: float = 0.0,
        fails: Exception | None = None,
        currency: str = "USD",
    ) -> None:
        self.code, self.name = code, code.title()
        self.quotes, self.delay, self.fails, self.currency = quotes, delay, fails, currency

    async def rates(self, *, origin: Address, destination: Address, parcel: Parcel) -> list[Quote]:
        await asyncio.sleep(self.delay)
        if self.fails is not None:
            raise self.fails
        return [
            Quote(self.code, s, s.title(), Decimal(a), self.currency, d, d)
            for s, a, d in self.quotes
        ]

    async def buy_label(self, request: LabelRequest) -> Label:
        raise NotImplementedError

    async def track(self, tracking_number: str, *, carrier_ref: str | None) -> list[TrackingUpdate]:
        return []

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[TrackingUpdate]:
        return []

    async def close(self) -> None:
        return None


def rate_table(carrier: str, service: str, price: str, *, currency: str = "USD") -> RateTable:
    return RateTable(
        carrier=carrier,
        carrier_name=carrier.title(),
        service=service,
        service_name=service.title(),
        zone_id="z",
        currency=currency,
        brackets=[{"up_to_grams": 5000, "price": price}],
        per_kg_over=Decimal(0),
        value_percent=Decimal(0),
        free_over=None,
        max_length_mm=None,
        days_min=2,
        days_max=4,
    )


def request(
    *carriers: Courier, tables: list[RateTable] | None = None, **more: object
) -> RateRequest:
    return RateRequest(
        origin=HOME,
        destination=SHOPPER,
        parcel=BOX,
        currency="USD",
        carriers={c.code: c for c in carriers},
        tables=tables or [],
        **more,  # type: ignore[arg-type]
    )


@pytest.mark.edge_case("EC018")
async def test_a_slow_carrier_is_replaced_by_its_table_rates_within_the_timeout() -> None:
    # given a quick carrier, a slow one the store has a table for, and a table carrier
    quick = Courier("local", [("standard", "6.90", 3)])
    slow = Courier("easypost", [("usps", "4.00", 3)], delay=5)
    tables = [rate_table("easypost", "ground", "7.50"), rate_table("post", "ground", "5.50")]
    # when rates are asked with a 0.2 s timeout
    started = asyncio.get_running_loop().time()
    options, warnings = await ask(request(quick, slow, tables=tables), seconds=0.2)
    # then the answer comes within about the timeout, the slow carrier's table standing in
    assert asyncio.get_running_loop().time() - started < 2
    assert sorted((o.carrier, o.service, o.source) for o in options) == [
        ("easypost", "ground", "table"),
        ("local", "standard", "carrier"),
        ("post", "ground", "table"),
    ]
    assert len(warnings) == 1 and "Easypost" in warnings[0] and "table rates" in warnings[0]


@pytest.mark.edge_case("EC018")
async def test_a_slow_carrier_without_tables_is_left_out_with_a_warning() -> None:
    quick = Courier("local", [("standard", "6.90", 3)])
    down = Courier("easypost", [], fails=CarrierUnavailable("503"))
    options, warnings = await ask(request(quick, down), seconds=1)
    assert [o.carrier for o in options] == ["local"]
    assert warnings == ["Easypost did not answer (unavailable): it is not offered"]


async def test_an_answering_carriers_own_quotes_win_over_its_tables() -> None:
    # given a carrier that answers and a table the store keeps for it
    local = Courier("local", [("standard", "6.90", 3)])
    options, warnings = await ask(
        request(local, tables=[rate_table("local", "standard", "1.00")]), seconds=1
    )
    # then only its own quote is shown
    assert [(o.amount, o.source) for o in options] == [(Decimal("6.90"), "carrier")]
    assert warnings == []


async def test_refusals_other_currencies_and_switched_off_services_are_left_out() -> None:
    # given a carrier that refuses, one quoting in euros, and a service the store switched off
    refusing = Courier("easypost", [], fails=CarrierRefused("bad address"))
    euros = Courier("local", [("standard", "6.90", 3)], currency="EUR")
    tables = [rate_table("post", "ground", "5.50"), rate_table("post", "priority", "9.50"),
              rate_table("post", "euro", "3.00", currency="EUR")]  # fmt: skip
    asked = request(
        refusing, euros, tables=tables, disabled_services={"post": frozenset({"priority"})}
    )
    options, warnings = await ask(asked, seconds=1)
    # then only the table's ground service is offered, with a warning for each of the others
    assert [(o.carrier, o.service) for o in options] == [("post", "ground")]
    assert any("refused: bad address" in w for w in warnings)
    assert any("in EUR, not USD" in w for w in warnings)
