"""Ship-from addresses: read from stored or posted data, and how near a location is to a
shopper without geocoding (postal district, region, country)."""

from __future__ import annotations

from mercato.agents.shipping.origins import address_of, data_of, nearness
from mercato.agents.shipping.providers.base import Address

NEWARK = Address("Dock", "400 Raymond Blvd", "Newark", "07105", "US", region="NJ")


def test_an_address_needs_a_line_a_city_and_a_country() -> None:
    assert address_of(None) is None
    assert address_of({"line1": "1 Main St", "country": "US"}) is None
    found = address_of(
        {"full_name": "Ana Lima", "line1": "1 Main St", "city": "Springfield", "country": "us"}
    )
    assert found is not None and (found.name, found.country, found.postal_code) == (
        "Ana Lima",
        "US",
        "",
    )
    # and stored back without its empty fields
    assert "line2" not in data_of(found) and data_of(found)["city"] == "Springfield"


def test_nearness_by_district_region_country() -> None:
    # given shoppers ever further from a Newark warehouse
    same_district = Address("A", "1 St", "Newark", "07102", "US", region="NJ")
    same_region = Address("A", "1 St", "Trenton", "08608", "US", region="NJ")
    same_country = Address("A", "1 St", "Boston", "02110", "US", region="MA")
    abroad = Address("A", "1 St", "Toronto", "M5V 2T6", "CA", region="ON")
    # then each is one step further; a location with no address is the furthest of all
    assert [nearness(NEWARK, a) for a in (same_district, same_region, same_country, abroad)] == [
        0,
        1,
        2,
        3,
    ]
    assert nearness(None, same_district) == 4
