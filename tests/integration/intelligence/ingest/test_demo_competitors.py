"""The demo store's competitors: their offers come in through the ingestion (a `file` source
per shop, run once per observation day), so every competitor price the pricing part holds
traces back to the payload it came from: raw payload -> clean record -> match -> price
observation. Prices stray from the store's within -15 %..+12 %, some moves raise alerts, the
listings known by their titles only wait in the review queue, and a second seeding adds
nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from mercato.agents.intelligence.ingest import demo as competitors
from mercato.agents.intelligence.ingest.clean.pipeline import checksum
from mercato.agents.intelligence.ingest.models import (
    CleanRecord,
    Lineage,
    Match,
    RawRecord,
    Run,
    Source,
)
from mercato.agents.intelligence.pricing.models import Alert, Observation
from mercato.demo import seed_demo
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.intelligence.ingest.conftest import Intel, intel_settings
from tests.support.store import store_for

TENANT = "default"
TABLES = (Source, Run, RawRecord, CleanRecord, Lineage, Match, Observation, Alert)


@pytest.fixture
async def demo_store(settings: Settings) -> AsyncIterator[Intel]:
    """The demo store (its first 40 products, no pictures), made as `mercato demo` makes it."""
    chosen = intel_settings(settings)
    await seed_demo(chosen, products=competitors.PRODUCTS, seed=7, pictures=False)
    async with store_for(chosen) as (kernel, client):
        yield Intel(kernel, client)


async def _counts(store: Intel) -> dict[str, int]:
    with bind(tenant_id=TENANT):
        async with store.kernel.uow(writes=False) as uow:
            return {
                table.__tablename__: int(
                    await uow.session.scalar(select(func.count()).select_from(table)) or 0
                )
                for table in TABLES
            }


async def _rows(store: Intel, model: Any) -> list[Any]:
    with bind(tenant_id=TENANT):
        async with store.kernel.uow(writes=False) as uow:
            return list((await uow.session.scalars(select(model))).all())


async def test_the_demo_competitors_prices_come_through_the_ingestion_once(
    demo_store: Intel,
) -> None:
    # given the demo store, whose seeding (`seed_demo`) seeded its competitors
    store = demo_store
    seeded = await _counts(store)
    # when its competitors are seeded again
    with bind(tenant_id=TENANT):
        again = await competitors.seed_competitors(store.kernel)
    # then one source per shop ran once per observation day, without a failure, and the
    # second seeding changed nothing
    days, shops = len(competitors.DAYS_AGO), len(competitors.SHOPS)
    runs = await _rows(store, Run)
    assert seeded["intel_sources"] == shops and len(runs) == days * shops
    assert all(r.status != "failed" for r in runs), [r.error for r in runs]
    assert not again.created
    assert await _counts(store) == seeded
    # and every competitor price is an observation of an accepted match, from a clean record
    observations = await _rows(store, Observation)
    matches = {m.record_id: m for m in await _rows(store, Match)}
    assert len(observations) > 300
    assert all(o.source_record_id in matches for o in observations)
    assert all(matches[o.source_record_id].status == "accepted" for o in observations)
    assert all(matches[o.source_record_id].product_id == o.product_id for o in observations)
    assert {o.competitor for o in observations} == {s.name for s in competitors.SHOPS}
    assert len({o.observed_at for o in observations}) == days * shops
    # and the prices stray from the store's as competitors' do, with promotions and gaps
    ours = {}
    for product_id in {o.product_id for o in observations}:
        pricing = await store.get("/pricing", product_id=product_id)
        assert pricing["competitors"]
        ours[product_id] = Decimal(pricing["price"])
    ratios = [o.price / ours[o.product_id] for o in observations]
    assert Decimal("0.83") <= min(ratios) < 1 < max(ratios) <= Decimal("1.14")
    texts = {o.promotion_text for o in observations}
    assert {"20% off with code SPRING", "Buy 2 get 1 free"} <= texts
    assert any(o.promotions for o in observations)
    assert any(o.availability == "out_of_stock" for o in observations)
    # and the big moves raised alerts, each at the threshold or more
    alerts = await _rows(store, Alert)
    assert len(alerts) >= 5
    assert all(abs(a.change_percent) >= a.threshold_percent for a in alerts)
    # and an old observation's record, traced through the lineage route, was derived from
    # the payload that said that price then, kept as fetched (its checksum holds)
    await _traces_back(store, min(observations, key=lambda o: (o.observed_at, o.id)))
    # and the review queue holds the marketplace's listings without identifiers, matched by
    # title with less confidence than the threshold, which pricing has not taken
    queue = (await store.get("/matches", status="pending"))["items"]
    threshold = store.kernel.settings.intel_match_threshold
    assert len(queue) == competitors.AMBIGUOUS
    assert all(m["method"] == "title" and 0.5 <= m["confidence"] < threshold for m in queue)
    assert all(m["record"]["gtin"] is None and m["record"]["mpn"] is None for m in queue)
    marketplaces = {s.name for s in competitors.SHOPS if s.marketplace}
    assert {m["record"]["competitor"] for m in queue} == marketplaces
    assert not {o.source_record_id for o in observations} & {m["record_id"] for m in queue}


async def _traces_back(store: Intel, observation: Observation) -> None:
    """The observation's record leads, through the lineage route, to the raw payload that
    said its price at its time (one payload per observation day), and is its match's."""
    lineage = await store.get(f"/lineage/{observation.source_record_id}")
    raws = {r.id: r for r in await _rows(store, RawRecord)}
    assert len(lineage["raw"]) == len(competitors.DAYS_AGO)
    said = []
    for step in lineage["raw"]:
        raw = raws[step["id"]]
        assert checksum(raw.payload) == step["checksum"] == raw.checksum
        seen = datetime.fromisoformat(raw.payload["observed_at"]).astimezone(UTC)
        if seen == observation.observed_at.astimezone(UTC):
            said.append(Decimal(str(raw.payload["price"])))
    assert said == [observation.price]
    assert lineage["kind"] == "offer" and lineage["data"]["url"] == observation.url
    found = await store.get("/matches", product_id=observation.product_id, status="accepted")
    assert observation.source_record_id in {m["record_id"] for m in found["items"]}


def test_the_offers_are_the_same_for_the_same_seed_and_within_the_spread() -> None:
    # given three products, one without identifiers
    today = datetime(2026, 6, 1, 9, tzinfo=UTC)
    products = [
        competitors.DemoProduct(
            id=f"p{n}", number=n, name=f"Alpine Matte Mug No. {n}", price=Decimal("20.99"),
            currency="USD", brand="Urban", gtin=competitors.demo_gtin(n) if n < 3 else None,
            mpn=competitors.demo_mpn(n, "Urban") if n < 3 else None,
        )
        for n in (1, 2, 3)
    ]  # fmt: skip
    # when their offers are drawn twice with one seed, and once with another
    once = competitors.offers(products, today=today, seed=5)
    twice = competitors.offers(products, today=today, seed=5)
    other = competitors.offers(products, today=today, seed=6)
    # then the same seed draws the same offers, another seed others
    assert once == twice and once != other
    rows = [row for days in once.values() for day in days for row in day]
    # and every price is within -15 %..+12 % of the store's (to the shelf's ten cents)
    assert all(Decimal("17.79") <= row["price"] <= Decimal("23.59") for row in rows)
    # and the product without identifiers is listed by the marketplace only, on the last day
    bare = [row for row in rows if row["gtin"] is None and row["mpn"] is None]
    assert bare and {row["competitor"] for row in bare} == {"GearBazaar: Deal Depot"}
    assert {row["observed_at"][:10] for row in bare} == {"2026-05-30"}
