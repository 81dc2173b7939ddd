"""A store's days are counted in its time zone: the admin sets it, every report (past days
too) moves with it; a name that is no time zone changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.integration.analytics.conftest import Store
from tests.integration.identity.conftest import ADMIN

FAR_EAST = "Pacific/Kiritimati"  # UTC+14: its day is ahead of UTC's for 14 hours of it


async def test_the_stores_time_zone_moves_every_report(store: Store) -> None:
    # given an order placed now (UTC)
    product = await store.product("10.00")
    placed = await store.order((product, 1))
    await store.settled()
    at = datetime.fromisoformat(placed["order"]["placed_at"]).astimezone(UTC)
    here, there = at.date(), at.astimezone(ZoneInfo(FAR_EAST)).date()
    # when the admin counts the store's days in UTC+14
    changed = await store.client.put(
        "/v1/analytics/settings", json={"time_zone": FAR_EAST}, headers=ADMIN
    )
    assert changed.status_code == 200 and changed.json() == {"time_zone": FAR_EAST}
    # then the order is on its day in that zone, and the reports say which zone
    sales = await store.report("sales", **{"from": there.isoformat(), "to": there.isoformat()})
    assert sales["time_zone"] == FAR_EAST and sales["totals"]["orders"] == 1
    if there != here:
        other = await store.report("sales", **{"from": here.isoformat(), "to": here.isoformat()})
        assert other["totals"]["orders"] == 0
    # and "today" is that zone's today
    kpis = await store.report("kpis")
    assert kpis["rows"][0]["from"] == datetime.now(ZoneInfo(FAR_EAST)).date().isoformat()
    # and back in UTC, the order is on its UTC day again
    await store.client.put("/v1/analytics/settings", json={"time_zone": "UTC"}, headers=ADMIN)
    sales = await store.report("sales", **{"from": here.isoformat(), "to": here.isoformat()})
    assert sales["totals"]["orders"] == 1


async def test_new_rows_are_dated_in_the_stores_time_zone(store: Store) -> None:
    # given a store whose days are counted in UTC-11
    zone = "Pacific/Pago_Pago"
    await store.client.put("/v1/analytics/settings", json={"time_zone": zone}, headers=ADMIN)
    # when an order is placed
    product = await store.product("10.00")
    await store.order((product, 1))
    await store.settled()
    # then it is on that zone's today, not on the day after
    local = datetime.now(ZoneInfo(zone)).date()
    sales = await store.report("sales", **{"to": local.isoformat()})
    assert sales["totals"]["orders"] == 1 and sales["rows"][-1]["bucket"] == local.isoformat()
    ahead = (local + timedelta(days=1)).isoformat()
    assert (await store.report("sales", **{"from": ahead, "to": ahead}))["totals"]["orders"] == 0


async def test_a_name_that_is_no_time_zone_changes_nothing(store: Store) -> None:
    before = await store.snapshot()
    refused = await store.client.put(
        "/v1/analytics/settings", json={"time_zone": "Mars/Olympus_Mons"}, headers=ADMIN
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_time_zone")
    answer = await store.client.get("/v1/analytics/settings", headers=ADMIN)
    assert answer.json() == {"time_zone": "UTC"}
    assert await store.snapshot() == before
