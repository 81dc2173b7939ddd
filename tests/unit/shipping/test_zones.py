"""Zones: which of a store's zones an address is in. Postal-code ranges beat regions, regions
beat countries; a zone's position breaks ties between zones as specific."""

from __future__ import annotations

import pytest

from mercato.agents.shipping.models import Zone
from mercato.agents.shipping.problems import InvalidShippingRequest
from mercato.agents.shipping.zones import (
    Destination,
    _check,
    normal_postcode,
    specificity,
    zone_for,
)


def zone(
    code: str,
    countries: list[str] | None = None,
    regions: list[str] | None = None,
    ranges: list[list[str]] | None = None,
    position: int = 0,
) -> Zone:
    return Zone(
        id=code,
        code=code,
        name=code,
        countries=countries or [],
        regions=regions or [],
        postal_ranges=ranges or [],
        position=position,
    )


US = zone("us", ["US"], position=10)
NORTH_EAST = zone("us-ne", regions=["US-NY", "US-NJ"], position=20)
MANHATTAN = zone("nyc", ["US"], ranges=[["10001", "10282"]], position=30)
LONDON = zone("london", ["GB"], ranges=[["SW1", "SW9"], ["EC1", "EC4"]])
EUROPE = zone("eu", ["GB", "FR", "DE"])
ZONES = [US, NORTH_EAST, MANHATTAN, LONDON, EUROPE]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (Destination("US", "NY", "10001"), "nyc"),  # a postal range beats region and country
        (Destination("US", "NY", "10282"), "nyc"),  # ranges are inclusive
        (Destination("US", "NY", "14604"), "us-ne"),  # outside the range: the region
        (Destination("US", "nj", None), "us-ne"),  # regions whatever their case
        (Destination("US", "CA", "94104"), "us"),  # only the country matches
        (Destination("GB", None, "SW1A 1AA"), "london"),  # by its first three characters
        (Destination("GB", None, "ec2a-4bx"), "london"),  # no spaces, dashes, case
        (Destination("GB", None, "M1 1AE"), "eu"),  # Manchester: the country's zone
        (Destination("FR", None, "75001"), "eu"),
        (Destination("JP", None, "100-0001"), None),  # no zone ships there
    ],
)
def test_the_most_specific_zone_holding_an_address_is_its_zone(
    where: Destination, expected: str | None
) -> None:
    # given the store's zones / when an address is placed / then the most specific one wins
    found = zone_for(ZONES, where)
    assert (found.code if found else None) == expected


def test_a_postal_range_of_another_country_does_not_hold_the_address() -> None:
    # given a London zone of postal ranges in GB
    # when a US address with a postcode in the same text range is placed
    where = Destination("US", None, "SW2")
    # then the range does not count (it is GB's)
    assert specificity(LONDON, where) is None


def test_a_zone_of_countries_and_regions_holds_only_its_regions() -> None:
    # given a zone naming a country and one of its regions
    west = zone("west", ["US"], regions=["US-CA"])
    # then California is in it (by its region) and New York is not
    assert specificity(west, Destination("US", "CA")) == 2
    assert specificity(west, Destination("US", "NY")) is None


def test_equally_specific_zones_are_ranked_by_position_then_code() -> None:
    # given two country zones for France, the later with the lower position
    first, second = zone("b-fr", ["FR"], position=5), zone("a-fr", ["FR"], position=1)
    same = zone("c-fr", ["FR"], position=1)
    # when a French address is placed / then the lowest position wins, then the code
    assert zone_for([first, second, same], Destination("FR")) is second


def test_postcodes_are_compared_as_upper_case_letters_and_digits() -> None:
    assert normal_postcode(" sw1a-1aa ") == "SW1A1AA"
    assert normal_postcode(None) == ""


def test_a_zone_needs_a_country_or_region_and_ranges_low_to_high() -> None:
    # when a zone is checked with nothing to hold / then it is refused
    with pytest.raises(InvalidShippingRequest):
        _check([], [], [])
    # and a range whose low end is above its high end is refused
    with pytest.raises(InvalidShippingRequest):
        _check(["US"], [], [["19999", "10000"]])
    # and a good one passes
    _check(["US"], ["US-NY"], [["10000", "19999"]])
