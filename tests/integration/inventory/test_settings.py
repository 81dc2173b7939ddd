"""The inventory service takes its defaults from the deployment's settings, carried by each
unit of work (no process-wide state): two stores configured differently, side by side in one
process, each keep their own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from mercato.agents.inventory import sync
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.conftest import DB_STACKS, build_settings
from tests.integration.inventory.conftest import ADMIN_HEADERS, TENANT, Shop, unique
from tests.support.store import store_for


@pytest.mark.business_rule("BR019")
@pytest.mark.parametrize("stack", DB_STACKS)
async def test_a_store_holds_stock_and_reviews_feeds_by_its_own_settings(
    make_settings: Callable[..., Settings], stack: str, tmp_path: Path, sqlite_template: Path
) -> None:
    # given a store whose reservations last 2 minutes and whose feeds may differ by 25 %,
    # running beside a store on the defaults (15 minutes, 10 %)
    configured = make_settings(stack, reservation_ttl=120, inventory_sync_threshold=Decimal("0.25"))
    (tmp_path / "other").mkdir()
    defaults = build_settings("sqlite", tmp_path / "other", sqlite_template, None)
    clock = ManualClock(datetime.now(UTC))
    async with (
        store_for(configured, clock=clock, start=False) as (kernel, client),
        store_for(defaults, clock=clock, start=False) as (other, other_client),
    ):
        shop, default = Shop(kernel, client, clock), Shop(other, other_client, clock)
        skus = {name: unique(name.upper()) for name in ("held", "near", "far", "tight")}
        ids = await shop.variants(*skus.values())
        warehouse = await shop.location()
        for sku in skus.values():
            await shop.receive(sku, warehouse, 100)
        other_sku, other_id = await default.variant()
        await default.receive(other_sku, await default.location(), 1)

        # when a reservation is made through the API (no TTL named) and the service, in
        # each store
        api = await client.post(
            "/v1/inventory/reservations",
            json={
                "reference": "api-1",
                "lines": [{"variant_id": ids[skus["held"]], "quantity": 1}],
            },
            headers=ADMIN_HEADERS,
        )
        (held,) = await shop.reserve("svc-1", [(ids[skus["held"]], 1)])
        (elsewhere,) = await default.reserve("svc-1", [(other_id, 1)])

        # then each lasts as long as its store says
        assert api.status_code == 201, api.text
        assert datetime.fromisoformat(api.json()[0]["expires_at"]) == clock.now() + timedelta(
            minutes=2
        )
        assert held.expires_at == clock.now() + timedelta(minutes=2)
        assert elsewhere.expires_at == clock.now() + timedelta(minutes=15)

        # when a feed reports 80 (20 % off) and 70 (30 % off)
        feed = await client.post(
            "/v1/inventory/sync",
            json={
                "location_id": warehouse,
                "source": "wms.json",
                "lines": [
                    {"sku": skus["near"], "on_hand": 80},
                    {"sku": skus["far"], "on_hand": 70},
                ],
            },
            headers=ADMIN_HEADERS,
        )

        # then the first is applied (within the store's 25 %), the second held for review
        assert feed.status_code == 201, feed.text
        assert (feed.json()["applied"], feed.json()["held"]) == (1, 1)
        assert [line["sku"] for line in feed.json()["held_lines"]] == [skus["far"]]

        # and a caller naming its own threshold overrides the store's
        with bind(tenant_id=TENANT):
            async with kernel.uow() as uow:
                outcome = await sync.sync_feed(
                    uow,
                    location_id=warehouse,
                    source="strict.json",
                    lines=[(skus["tight"], 99)],
                    now=clock.now(),
                    threshold=Decimal(0),
                )
                await uow.commit()
        assert (outcome.run.applied, outcome.run.held) == (0, 1)
