"""The store's shipping set-up by its admin: zones, rate tables, carriers and the address
each location ships from; a refused change changes nothing."""

from __future__ import annotations

from typing import Any

from tests.integration.cart.conftest import Product
from tests.integration.shipping.conftest import ShippingShop


def copied(table: dict[str, Any], *names: str) -> dict[str, Any]:
    """A table's fields to post again (`names` besides the carrier, zone, currency, days)."""
    kept = ("carrier", "carrier_name", "zone_id", "currency", "days_min", "days_max", *names)
    return {name: table[name] for name in kept}


async def rates_for(shop: ShippingShop, product: Product, **where: str) -> dict[str, object]:
    cart, headers = await shop.filled_cart((product, 1))
    return dict(
        await shop.ok("GET", "/shipping/rates", headers=headers, cart_id=cart["id"], **where)
    )


async def test_zones_are_made_read_changed_and_deleted_with_their_tables(
    shop: ShippingShop,
) -> None:
    # given a Europe zone with a table of its own
    made = await shop.call(
        "POST",
        "/shipping/zones",
        {"code": "eu", "name": "Europe", "countries": ["fr", "de"], "position": 5},
    )
    assert made.status_code == 201, made.text
    zone = made.json()
    assert zone["countries"] == ["FR", "DE"]
    shop.zone_id, us_zone = zone["id"], shop.zone_id
    table = await shop.rate_table("post", "ground", ["19.90"], days=(6, 12))

    # when it is read, listed, and changed
    assert (await shop.ok("GET", f"/shipping/zones/{zone['id']}"))["code"] == "eu"
    listed = await shop.ok("GET", "/shipping/zones", limit=1)
    assert [z["code"] for z in listed["items"]] == ["eu"] and listed["next_cursor"]
    rest = await shop.ok("GET", "/shipping/zones", cursor=listed["next_cursor"])
    assert [z["code"] for z in rest["items"]] == ["us"] and rest["next_cursor"] is None
    changed = await shop.ok(
        "PATCH",
        f"/shipping/zones/{zone['id']}",
        {"name": "EU", "regions": ["GB-LND"], "postal_ranges": [["75000", "75999"]]},
    )
    assert changed["name"] == "EU" and changed["postal_ranges"] == [["75000", "75999"]]

    # then a second zone with its code is refused, and so is a bad change, with nothing changed
    taken = await shop.call(
        "POST", "/shipping/zones", {"code": "eu", "name": "Again", "countries": ["IT"]}
    )
    assert taken.status_code == 409 and taken.json()["code"] == "zone_code_taken"
    bad = await shop.call(
        "PATCH", f"/shipping/zones/{zone['id']}", {"countries": [], "regions": []}
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_shipping_request"
    assert await shop.ok("GET", f"/shipping/zones/{zone['id']}") == changed

    # and deleting it takes its rate table with it
    gone = await shop.call("DELETE", f"/shipping/zones/{zone['id']}")
    assert gone.status_code == 204
    assert (await shop.call("GET", f"/shipping/zones/{zone['id']}")).status_code == 404
    assert (await shop.call("GET", f"/shipping/rate-tables/{table['id']}")).status_code == 404
    assert (await shop.call("DELETE", f"/shipping/zones/{zone['id']}")).status_code == 404
    assert us_zone is not None


async def test_rate_tables_are_kept_once_per_service_and_zone(shop: ShippingShop) -> None:
    # given the US zone's Parcel Post tables
    before = await shop.ok("GET", "/shipping/rate-tables", carrier="post")
    assert sorted(t["service"] for t in before["items"]) == ["ground", "priority"]
    ground = next(t for t in before["items"] if t["service"] == "ground")
    footprint = await shop.footprint()

    # when a second ground table for the zone is posted
    again = await shop.call(
        "POST",
        "/shipping/rate-tables",
        {**copied(ground, "service", "service_name"), "brackets": ground["brackets"]},
    )
    # then it is refused as existing, and nothing changed
    assert again.status_code == 409 and again.json()["code"] == "rate_table_exists"
    assert await shop.footprint() == footprint

    # and bad brackets are refused, on a new table and on a change, nothing changed
    duplicate_weights = [{"up_to_grams": 500, "price": "1.00"}, {"up_to_grams": 500, "price": "2"}]
    for answer in (
        await shop.call(
            "POST",
            "/shipping/rate-tables",
            {**copied(ground, "service_name"), "service": "economy", "brackets": duplicate_weights},
        ),
        await shop.call(
            "PATCH",
            f"/shipping/rate-tables/{ground['id']}",
            {"brackets": [{"up_to_grams": 500, "price": "1.005"}]},
        ),
        await shop.call("PATCH", f"/shipping/rate-tables/{ground['id']}", {"days_min": 9}),
    ):
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == "invalid_shipping_request"
    assert await shop.footprint() == footprint
    assert await shop.ok("GET", f"/shipping/rate-tables/{ground['id']}") == ground


async def test_a_rate_table_moved_onto_a_zone_with_that_service_is_refused(
    shop: ShippingShop,
) -> None:
    # given a Canada zone with a Parcel Post ground table, and the US zone's
    us_tables = await shop.ok("GET", "/shipping/rate-tables", carrier="post")
    us_ground = next(t for t in us_tables["items"] if t["service"] == "ground")
    canada = await shop.ok(
        "POST", "/shipping/zones", {"code": "ca", "name": "Canada", "countries": ["CA"]}
    )
    shop.zone_id = canada["id"]
    await shop.rate_table("post", "ground", ["12.90"], days=(5, 9))
    footprint = await shop.footprint()

    # when the US ground table is moved onto the Canada zone
    moved = await shop.call(
        "PATCH", f"/shipping/rate-tables/{us_ground['id']}", {"zone_id": canada["id"]}
    )

    # then it is refused (the zone has that service), nothing changed
    assert moved.status_code == 409, moved.text
    assert moved.json()["code"] == "rate_table_exists"
    assert await shop.ok("GET", f"/shipping/rate-tables/{us_ground['id']}") == us_ground
    assert await shop.footprint() == footprint


async def test_a_rate_tables_changes_reprice_and_a_switched_off_table_is_not_offered(
    shop: ShippingShop,
) -> None:
    # given the US ground table
    tables = await shop.ok("GET", "/shipping/rate-tables", carrier="post")
    ground = next(t for t in tables["items"] if t["service"] == "ground")
    product = await shop.product("20.00", stock=5)

    # when its price changes / then rates show the new one
    await shop.ok(
        "PATCH",
        f"/shipping/rate-tables/{ground['id']}",
        {"brackets": [{"up_to_grams": 30000, "price": "3.33"}], "service_name": "Budget"},
    )
    rates = await rates_for(shop, product)
    offered = {(o["service"], o["price"]) for o in rates["options"]}  # type: ignore[attr-defined]
    assert ("ground", "3.33") in offered
    # and when it is switched off / then it is not offered
    await shop.ok("PATCH", f"/shipping/rate-tables/{ground['id']}", {"active": False})
    rates = await rates_for(shop, product)
    assert "ground" not in {o["service"] for o in rates["options"]}  # type: ignore[attr-defined]
    # and deleted, it is gone
    assert (await shop.call("DELETE", f"/shipping/rate-tables/{ground['id']}")).status_code == 204
    assert (await shop.call("DELETE", f"/shipping/rate-tables/{ground['id']}")).status_code == 404


async def test_a_carrier_switched_off_disappears_from_the_rates(shop: ShippingShop) -> None:
    # given the store's carriers: the local courier (an API) and Parcel Post (tables)
    carriers = await shop.ok("GET", "/shipping/carriers")
    assert {(c["code"], c["kind"]) for c in carriers["items"]} == {
        ("local", "api"),
        ("post", "table"),
    }
    product = await shop.product("20.00", stock=5)

    # when the local courier is switched off
    off = await shop.ok("PATCH", "/shipping/carriers/local", {"enabled": False})
    assert off["enabled"] is False

    # then rates come from Parcel Post alone
    rates = await rates_for(shop, product)
    assert {o["carrier"] for o in rates["options"]} == {"post"}  # type: ignore[attr-defined]

    # and with it on again but its express service off, every local service but express
    await shop.ok(
        "PATCH", "/shipping/carriers/local", {"enabled": True, "disabled_services": ["express"]}
    )
    rates = await rates_for(shop, product)
    local = {o["service"] for o in rates["options"] if o["carrier"] == "local"}  # type: ignore[attr-defined]
    assert local == {"economy", "standard"}
    shown = next(
        c for c in (await shop.ok("GET", "/shipping/carriers"))["items"] if c["code"] == "local"
    )
    assert {s["code"]: s["enabled"] for s in shown["services"]}["express"] is False
    # and an unknown carrier is 404
    unknown = await shop.call("PATCH", "/shipping/carriers/pigeon", {"enabled": False})
    assert unknown.status_code == 404 and unknown.json()["code"] == "carrier_not_found"


async def test_origins_are_set_per_location(shop: ShippingShop) -> None:
    # given the warehouse's ship-from address
    listed = await shop.ok("GET", "/shipping/origins")
    assert [o["location_id"] for o in listed["items"]] == [shop.location_id]

    # when it moves / then the new address is kept
    moved = await shop.ok(
        "PUT",
        f"/shipping/origins/{shop.location_id}",
        {"name": "New Dock", "line1": "1 Pier", "city": "Boston", "postal_code": "02110",
         "country": "us", "region": "MA"},
    )  # fmt: skip
    assert moved["address"]["city"] == "Boston" and moved["address"]["country"] == "US"
    listed = await shop.ok("GET", "/shipping/origins")
    assert listed["items"][0]["address"]["city"] == "Boston"
    # and an unknown location is 404, with nothing kept
    unknown = await shop.call(
        "PUT",
        "/shipping/origins/no-such-location",
        {"name": "X", "line1": "1 X", "city": "X", "postal_code": "1", "country": "US"},
    )
    assert unknown.status_code == 404
    assert len((await shop.ok("GET", "/shipping/origins"))["items"]) == 1


async def test_shoppers_cannot_change_the_set_up(shop: ShippingShop) -> None:
    # given a guest / when they try to make a zone / then they are refused, nothing made
    headers = await shop.guest()
    answer = await shop.call(
        "POST", "/shipping/zones", {"code": "x", "name": "X", "countries": ["FR"]}, headers=headers
    )
    assert answer.status_code in (401, 403)
    assert len((await shop.ok("GET", "/shipping/zones"))["items"]) == 1
