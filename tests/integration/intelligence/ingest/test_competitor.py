"""A competitor's pages (a local fake site): robots.txt honoured, per-domain pacing, the
User-Agent from Settings, JSON-LD and per-site selectors, and offers matched to the store's
products, the unconfident ones waiting in the review queue; the accepted ones are the pricing
part's competitors' prices."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest

from mercato.agents.intelligence.ingest.service import matched_offers
from mercato.kernel.context import bind
from tests.fakes.competitor_site import FakeCompetitorSite
from tests.integration.intelligence.ingest.conftest import DOMAIN_INTERVAL, Intel

SELECTORS = {
    "title": ".product-title",
    "price": ".price",
    "currency": "meta[itemprop=priceCurrency]",
    "availability": ".stock",
    "promotion": ".promo",
}


async def offers_of(intel: Intel, product_id: str) -> list[tuple[str, Decimal, str]]:
    with bind(tenant_id="default"):
        async with intel.kernel.uow(writes=False) as uow:
            found = await matched_offers(uow, product_id=product_id)
    return [(o.url.rsplit("/", 2)[-2], o.price, o.method) for o in found]


async def test_pages_are_scraped_politely_and_matched(
    intel: Intel, fake_site: FakeCompetitorSite
) -> None:
    # given the store's kettle (with its GTIN) and t-shirt, and a competitor's pages: two
    # with JSON-LD, one with an AggregateOffer, one of markup only, one robots.txt forbids
    kettle = await intel.product("Kettle 1.7 l, stainless", "KET-1", gtin="4006381333931")
    tee = await intel.product("Organic cotton t-shirt", "TEE-1", brand="Threadline")
    urls = [f"{fake_site.url}/{p}" for p in ("p/kettle", "a/kettle", "s/tee", "private/p/tee")]
    source = await intel.source(
        "competitor",
        settings={"competitor": "Rival", "urls": urls, "selectors": SELECTORS},
        rate_per_second=100,
    )
    # when it runs
    run = await intel.run(source)
    # then the disallowed page was skipped and counted, the others read and kept
    assert run["status"] == "succeeded", run
    assert run["skipped"] == {"robots": 1}
    assert run["stored"] == 3
    pages = [(path, at, agent) for path, at, agent in fake_site.hits if path != "/robots.txt"]
    assert [p for p, _, _ in pages] == ["/p/kettle", "/a/kettle", "/s/tee"]
    assert all(agent == "MercatoTestBot/1.0" for _, _, agent in fake_site.hits)
    starts = sorted(at for _, at, _ in fake_site.hits)
    # (paced by the client: the server sees them apart, give or take the machine's jitter)
    assert starts[-1] - starts[0] >= (len(starts) - 1) * DOMAIN_INTERVAL * 0.9
    assert all(b - a >= DOMAIN_INTERVAL / 2 for a, b in pairwise(starts))
    # and the kettle pages matched by GTIN (accepted), the t-shirt by its title (for review)
    assert sorted(await offers_of(intel, kettle)) == [
        ("a", Decimal("39.90"), "gtin"),
        ("p", Decimal("39.90"), "gtin"),
    ]
    # and the pricing part has the accepted offers as the kettle's competitors' prices
    kettle_prices = await intel.get("/pricing", product_id=kettle)
    assert sorted((c["competitor"], c["price"]) for c in kettle_prices["competitors"]) == [
        ("Rival", "39.90"), ("Rival", "39.90"),
    ]  # fmt: skip
    assert (await intel.get("/pricing", product_id=tee))["competitors"] == []
    queue = await intel.get("/matches", status="pending")
    assert [(m["product_id"], m["method"]) for m in queue["items"]] == [(tee, "title")]
    assert queue["items"][0]["record"]["price"] == "17.50"
    assert queue["items"][0]["record"]["availability"] == "out_of_stock"
    assert await offers_of(intel, tee) == []
    # when a reviewer accepts it, then the pricing part sees it
    match_id = queue["items"][0]["id"]
    accepted = await intel.client.post(
        f"/v1/intelligence/matches/{match_id}/accept", headers=intel_admin()
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    assert await offers_of(intel, tee) == [("s", Decimal("17.50"), "title")]
    tee_prices = await intel.get("/pricing", product_id=tee)
    assert [(c["competitor"], c["price"]) for c in tee_prices["competitors"]] == [
        ("Rival", "17.50")
    ]
    again = await intel.client.post(
        f"/v1/intelligence/matches/{match_id}/reject", headers=intel_admin()
    )
    assert again.status_code == 409 and again.json()["code"] == "intel_match_decided"


def intel_admin() -> dict[str, str]:
    from tests.integration.identity.conftest import ADMIN

    return ADMIN


@pytest.mark.parametrize(("status", "fetched"), [(404, 2), (500, 0)])
async def test_a_robots_txt_that_cannot_be_had(
    intel: Intel, fake_site: FakeCompetitorSite, status: int, fetched: int
) -> None:
    # given a site whose robots.txt answers 404 (RFC 9309: all allowed) or 500 (none is)
    fake_site.robots_status = status
    source = await intel.source(
        "competitor",
        settings={
            "competitor": "Rival",
            "urls": [f"{fake_site.url}/p/kettle", f"{fake_site.url}/p/tee"],
        },
        rate_per_second=100,
    )
    # when it runs
    run = await intel.run(source)
    # then the pages are read, or skipped and counted
    assert run["fetched"] == fetched
    assert run["skipped"] == ({} if fetched else {"robots": 2})
    assert [p for p, _, _ in fake_site.hits if p != "/robots.txt"] == (
        ["/p/kettle", "/p/tee"] if fetched else []
    )
