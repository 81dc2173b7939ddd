"""Zones and bins: made per location, listed by location in walk order, filtered; a taken
code, an unknown zone or location, or a code of no known shape changes nothing."""

from __future__ import annotations

import pytest

from tests.integration.identity.conftest import role_headers
from tests.integration.warehouse.conftest import WarehouseShop


async def test_zones_and_bins_are_listed_by_location_in_walk_order(shop: WarehouseShop) -> None:
    # given a storage zone walked second and a picking zone walked first
    storage = await shop.zone("STO", "storage", sequence=2)
    picking = await shop.zone("PICK", "picking", sequence=1)
    made = await shop.bins(storage, "B-02-1", "A-01-1")
    await shop.bins(picking, "P-01-1")

    # when the zones and the storage zone's bins are listed
    zones = await shop.ok("GET", "/zones", location_id=shop.location_id)
    bins = await shop.ok("GET", "/bins", zone_id=storage["id"])

    # then the zones come in walk order, and each bin has the place its code says
    assert [z["code"] for z in zones["items"]] == ["PICK", "STO"]
    assert zones["next_cursor"] is None
    assert [b["code"] for b in bins["items"]] == ["A-01-1", "B-02-1"]
    first = bins["items"][0]
    assert (first["aisle"], first["bay"], first["level"], first["zone_code"]) == (1, 1, 1, "STO")
    assert first["id"] == made["A-01-1"] and first["contents"] == []
    assert picking["kind"] == "picking"


async def test_a_long_list_of_bins_is_read_page_by_page(shop: WarehouseShop) -> None:
    zone = await shop.zone("STO")
    await shop.bins(zone, "A-01-1", "A-02-1", "A-03-1")
    first = await shop.ok("GET", "/bins", location_id=shop.location_id, limit=2)
    second = await shop.ok(
        "GET", "/bins", location_id=shop.location_id, limit=2, cursor=first["next_cursor"]
    )
    assert [b["code"] for b in first["items"] + second["items"]] == ["A-01-1", "A-02-1", "A-03-1"]
    assert second["next_cursor"] is None
    zones = await shop.ok("GET", "/zones", limit=1)
    assert zones["next_cursor"] is None and len(zones["items"]) == 1


async def test_a_bin_given_its_place_needs_no_code_of_that_shape(shop: WarehouseShop) -> None:
    zone = await shop.zone("STO")
    body = {"zone_id": zone["id"], "code": "DOCK1", "aisle": 9, "bay": 1, "level": 0}
    made = await shop.ok("POST", "/bins", body)
    assert (made["aisle"], made["bay"], made["level"], made["position"]) == (9, 1, 0, "")


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/zones", {"code": "STO", "name": "again", "sequence": 3}, 409, "warehouse_code_taken"),
        (
            "/zones",
            {"location_id": "nowhere", "code": "X", "name": "X", "sequence": 1},
            404,
            "location_not_found",
        ),
        ("/bins", {"code": "A-01-1"}, 409, "warehouse_code_taken"),
        ("/bins", {"code": "SHELF"}, 422, "invalid_warehouse_request"),
        ("/bins", {"zone_id": "nowhere", "code": "A-09-1"}, 404, "zone_not_found"),
    ],
)
async def test_a_bad_zone_or_bin_is_refused_and_nothing_changes(
    shop: WarehouseShop, path: str, body: dict[str, object], status: int, code: str
) -> None:
    # given a zone with a bin
    zone = await shop.zone("STO")
    await shop.bins(zone, "A-01-1")
    defaults = {"location_id": shop.location_id, "zone_id": zone["id"]}
    wanted = {k: v for k, v in defaults.items() if (k == "zone_id") == (path == "/bins")}
    before = await shop.footprint()

    # when the bad one is asked for
    answer = await shop.call("POST", path, {**wanted, **body})

    # then it is refused with its code, and nothing was written
    assert answer.status_code == status, answer.text
    assert answer.json()["code"] == code
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert await shop.footprint() == before


async def test_only_staff_who_manage_the_warehouse_may_use_it(shop: WarehouseShop) -> None:
    # given a customer and a support agent
    for role, status in (("customer", 403), ("support", 403)):
        answer = await shop.client.get(
            "/v1/warehouse/zones", headers=await role_headers(shop.client, role)
        )
        assert answer.status_code == status
    # and nobody signed in
    assert (await shop.client.get("/v1/warehouse/bins")).status_code == 401
