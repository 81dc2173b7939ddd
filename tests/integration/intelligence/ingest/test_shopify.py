"""Shopify through its Admin REST API (a local fake on the real wire): products, orders and
inventory in Link-header pages; 429 and 5xx retried; raw records kept once per checksum;
lineage from a clean record back to its raw payload; a dead source fails alone."""

from __future__ import annotations

from sqlalchemy import func, select

from mercato.agents.intelligence.ingest.jobs import run_due_sources
from mercato.agents.intelligence.ingest.models import RawRecord, Run
from mercato.kernel.context import bind
from tests.fakes.shopify_api import FakeShopify, make_shop
from tests.integration.intelligence.ingest.conftest import Intel


async def raw_count(intel: Intel) -> int:
    with bind(tenant_id="default"):
        async with intel.kernel.uow(writes=False) as uow:
            return int(await uow.session.scalar(select(func.count()).select_from(RawRecord)) or 0)


async def test_a_shop_is_ingested_page_by_page_through_throttling_and_errors(
    intel: Intel, fake_shopify: FakeShopify
) -> None:
    # given a shop of 5 products x 2 variants, 3 orders and stock, read 2 at a time, which
    # throttles the first call and fails the next one
    fake_shopify.shop = make_shop(products=5, variants=2, orders=3)
    fake_shopify.throttled, fake_shopify.failing = 1, 1
    source = await intel.source(
        "shopify",
        settings={"shop_url": fake_shopify.url, "api_version": "2024-10", "currency": "USD"},
        credential="shopify-main",
        rate_per_second=50,
    )
    # when it runs
    run = await intel.run(source)
    # then every page was read with the token (products, orders, locations, levels)
    assert run["status"] == "succeeded", run
    assert run["fetched"] == 5 + 3 + 10
    assert run["stored"] == 10 + 6 + 10  # a record per variant, per order line, per level
    assert set(fake_shopify.tokens_seen) == {fake_shopify.token}
    paths = [p for _, p in fake_shopify.requests]
    assert paths.count("/admin/api/2024-10/products.json") == 3  # the 429 and the 500 retried
    # and a clean record leads back to the raw product it came from
    offers = await intel.get("/matches")
    assert offers == {"items": [], "next_cursor": None}  # nothing to match in an empty store
    runs = await intel.get(f"/sources/{source}/runs")
    assert [r["id"] for r in runs["items"]] == [run["id"]]
    with bind(tenant_id="default"):
        async with intel.kernel.uow(writes=False) as uow:
            raw = (
                await uow.session.scalars(select(RawRecord).where(RawRecord.kind == "sale"))
            ).first()
            assert raw is not None and len(raw.checksum) == 64 and raw.fetched_at is not None


async def test_the_same_payloads_are_not_stored_twice(
    intel: Intel, fake_shopify: FakeShopify
) -> None:
    # given a shop ingested once
    source = await intel.source(
        "shopify",
        settings={"shop_url": fake_shopify.url, "resources": ["products"], "currency": "USD"},
        credential="shopify-main",
        rate_per_second=50,
    )
    first = await intel.run(source)
    before = await raw_count(intel)
    # when it is ingested again with nothing changed
    second = await intel.run(source)
    # then every payload is a duplicate and nothing new is kept
    assert first["stored"] == 10 and second["stored"] == 0
    assert second["duplicates"] == second["fetched"] == 5
    assert await raw_count(intel) == before


async def test_a_wrong_token_or_a_dead_shop_fails_its_run_only(
    intel: Intel, fake_shopify: FakeShopify
) -> None:
    # given a shop that is down, a source whose credential is not in Settings, and a file
    # source that works, all scheduled
    fake_shopify.down = True
    dead = await intel.source(
        "shopify",
        settings={"shop_url": fake_shopify.url},
        credential="shopify-main",
        interval_seconds=3600,
        rate_per_second=50,
    )
    unknown = await intel.source(
        "shopify",
        settings={"shop_url": fake_shopify.url},
        credential="nope",
        interval_seconds=3600,
    )
    (intel.kernel.settings.data_dir / "imports").mkdir(exist_ok=True)
    (intel.kernel.settings.data_dir / "imports" / "stock.csv").write_text(
        "sku,location,available\nA-1,main,4\n"
    )
    alive = await intel.source(
        "file", settings={"path": "stock.csv", "kind": "inventory"}, interval_seconds=3600
    )
    # when the worker's job runs the due sources
    assert await run_due_sources(intel.kernel) == 3
    # then the dead one and the unknown credential failed, each with its reason, and the
    # file was ingested all the same
    runs = {s: (await intel.get(f"/sources/{s}/runs"))["items"][0] for s in (dead, unknown, alive)}
    assert runs[dead]["status"] == "failed" and "503" in runs[dead]["error"]
    assert fake_shopify.requests.count(("GET", "/admin/api/2024-10/products.json")) == 4
    assert runs[unknown]["status"] == "failed" and "nope" in runs[unknown]["error"]
    assert runs[alive]["status"] == "succeeded" and runs[alive]["stored"] == 1
    # and none is due again before its interval
    assert await run_due_sources(intel.kernel) == 0
    with bind(tenant_id="default"):
        async with intel.kernel.uow(writes=False) as uow:
            assert await uow.session.scalar(select(func.count()).select_from(Run)) == 3
