"""Another Mercato store through its public API: a real Mercato app on a local port, its
catalogue read in cursor pages into the first store's clean records."""

from __future__ import annotations

from sqlalchemy import select

from mercato.agents.intelligence.ingest.models import CleanRecord
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN, add_store, in_store
from tests.integration.intelligence.ingest.conftest import Intel
from tests.support.live_server import live_server


async def test_another_stores_catalogue_is_read_page_by_page(intel: Intel) -> None:
    # given another store with three products, one of two variants, served on a real port
    await add_store(intel.kernel, "shop-b")
    for n, variants in enumerate(
        ([("B-1", "9.90")], [("B-2", "4.00"), ("B-2-XL", "4.50")], [("b.3", "12.00")])
    ):
        made = await intel.client.post(
            "/v1/products",
            json={
                "name": f"Remote {n}",
                "status": "active",
                "variants": [
                    {"sku": sku, "price": price, "attributes": {}} for sku, price in variants
                ],
            },
            headers=in_store("shop-b", ADMIN),
        )
        assert made.status_code == 201, made.text
    async with live_server(intel.kernel) as base:
        source = await intel.source(
            "mercato",
            settings={"base_url": f"http://{base}", "store": "shop-b", "page_size": 2},
            rate_per_second=100,
        )
        # when the first store runs it
        run = await intel.run(source)
    # then every product was fetched over two pages, a record per variant, SKUs normalised
    assert run["status"] == "succeeded", run["errors"]
    assert (run["fetched"], run["stored"]) == (3, 4)
    with bind(tenant_id="default"):
        async with intel.kernel.uow(writes=False) as uow:
            rows = (
                await uow.session.scalars(
                    select(CleanRecord).where(CleanRecord.source_id == source)
                )
            ).all()
    assert sorted(r.data["sku"] for r in rows) == ["SKU:B1", "SKU:B2", "SKU:B2XL", "SKU:B3"]
    assert {r.data["currency"] for r in rows} == {"USD"} or len(
        {r.data["currency"] for r in rows}
    ) == 1
    # and the first store's catalogue was not touched: the records are the source's only
    own = await intel.client.get("/v1/products", headers=ADMIN)
    assert own.json()["items"] == []
