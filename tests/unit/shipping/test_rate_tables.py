"""A rate table's price for a parcel: weight brackets on the billable weight (the larger of
the actual and the dimensional weight), per kg beyond the last bracket, a percentage of the
goods' value, free from an amount on, and nothing for a parcel longer than the service
takes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mercato.agents.shipping.models import RateTable
from mercato.agents.shipping.problems import InvalidShippingRequest
from mercato.agents.shipping.providers.base import Parcel
from mercato.agents.shipping.rate_tables import billable_grams, check_brackets, price


def table(**more: object) -> RateTable:
    values: dict[str, object] = {
        "carrier": "post",
        "carrier_name": "Parcel Post",
        "service": "ground",
        "service_name": "Ground",
        "zone_id": "z",
        "currency": "USD",
        "brackets": [
            {"up_to_grams": 5000, "price": "8.90"},
            {"up_to_grams": 1000, "price": "5.90"},  # stored order does not matter
        ],
        "per_kg_over": Decimal("2.00"),
        "value_percent": Decimal(0),
        "free_over": None,
        "max_length_mm": None,
        "days_min": 3,
        "days_max": 6,
        **more,
    }
    return RateTable(**values)


def parcel(grams: int, box: tuple[int, int, int] = (200, 150, 100), value: str = "40.00") -> Parcel:
    length, width, height = box
    return Parcel(
        weight_grams=grams,
        length_mm=length,
        width_mm=width,
        height_mm=height,
        value=Decimal(value),
        currency="USD",
    )


@pytest.mark.parametrize(
    ("grams", "expected"),
    [
        (1, "5.90"),
        (1000, "5.90"),  # a bracket holds its upper weight
        (1001, "8.90"),
        (5000, "8.90"),
        (5001, "10.90"),  # one started kilogram over the last bracket
        (7000, "12.90"),
        (7001, "14.90"),
    ],
)
def test_the_first_bracket_holding_the_weight_prices_it(grams: int, expected: str) -> None:
    # given a table of two brackets and 2.00 a kg beyond / when a small box is priced
    # then its bracket's price, plus each started kg over the last one
    assert price(table(), parcel(grams)) == Decimal(expected)


def test_a_light_bulky_box_is_priced_by_its_dimensional_weight() -> None:
    # given a 400 g parcel in a 60 x 40 x 40 cm box (96 000 cm³ / 5000 = 19.2 kg)
    bulky = parcel(400, (600, 400, 400))
    # then it bills 19.2 kg: 8.90 + 15 started kg x 2.00
    assert billable_grams(bulky) == 19200
    assert price(table(), bulky) == Decimal("38.90")


def test_without_a_per_kg_price_the_service_does_not_take_heavier_parcels() -> None:
    assert price(table(per_kg_over=Decimal(0)), parcel(6000)) is None


def test_free_from_the_threshold_on() -> None:
    # given a table free from 50.00
    free = table(free_over=Decimal("50.00"))
    # then a parcel of goods worth 50.00 ships free, one worth 49.99 does not
    assert price(free, parcel(800, value="50.00")) == Decimal(0)
    assert price(free, parcel(800, value="49.99")) == Decimal("5.90")


def test_a_percentage_of_the_value_is_added_and_rounded_to_the_cent() -> None:
    # given 1.5 % of the value for insurance / when goods worth 33.33 ship
    insured = table(value_percent=Decimal("1.5"))
    # then 5.90 + 0.49995, to the cent
    assert price(insured, parcel(800, value="33.33")) == Decimal("6.40")


def test_a_parcel_longer_than_the_service_takes_is_not_priced() -> None:
    # given a service taking parcels up to 1 m / then a 1.2 m parcel has no price, even free
    short = table(max_length_mm=1000, free_over=Decimal(0))
    assert price(short, parcel(800, (1200, 100, 100))) is None
    assert price(short, parcel(800, (1000, 100, 100))) == Decimal(0)


def test_a_table_without_brackets_prices_nothing() -> None:
    assert price(table(brackets=[]), parcel(800)) is None


def test_brackets_are_stored_ascending_with_prices_of_the_currency() -> None:
    # when brackets are checked / then they are sorted, their prices as text
    clean = check_brackets(
        [{"up_to_grams": 2000, "price": Decimal("7.5")}, {"up_to_grams": 500, "price": "3"}],
        "USD",
    )
    assert clean == [{"up_to_grams": 500, "price": "3"}, {"up_to_grams": 2000, "price": "7.5"}]


@pytest.mark.parametrize(
    "brackets",
    [
        [],
        [{"up_to_grams": 500, "price": "3.00"}, {"up_to_grams": 500, "price": "4.00"}],
        [{"up_to_grams": 0, "price": "3.00"}],
        [{"up_to_grams": 500, "price": "-1.00"}],
        [{"up_to_grams": 500, "price": "3.005"}],  # not an amount of USD
    ],
)
def test_bad_brackets_are_refused(brackets: list[dict[str, object]]) -> None:
    with pytest.raises(InvalidShippingRequest):
        check_brackets(brackets, "USD")
