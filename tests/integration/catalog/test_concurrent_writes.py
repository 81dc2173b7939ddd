"""Concurrent writes of one product, and concurrent refreshes of one variant's availability,
lose nothing (PostgreSQL, where writers really run at once; SQLite serializes them).

Each test makes the race certain instead of likely: a transaction holds the rows in
question (a product being edited, an availability refresh in progress) while the competing
requests start; once they are all waiting on it, it commits, and they run on. A writer that
read its facts before waiting (the lost update) is caught every time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text

from mercato.agents.catalog import service
from mercato.agents.catalog.models import AttributeValue, Product, Variant
from mercato.agents.catalog.schemas import ProductPatch
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.conftest import eventually, needs_pg
from tests.integration.catalog.conftest import (
    ADMIN_HEADERS,
    TENANT,
    create_product,
    product_body,
)
from tests.support.store import store_for

pytestmark = [pytest.mark.postgres, needs_pg]

Store = tuple[Kernel, httpx.AsyncClient]


@pytest.fixture
async def store(make_settings: Any) -> AsyncIterator[Store]:
    """A store on PostgreSQL whose handlers do not run: the tests refresh availability
    themselves, at the moments they choose."""
    settings: Settings = make_settings("postgres")
    async with store_for(settings, start=False) as (kernel, client):
        yield kernel, client


async def waiting_on_locks(kernel: Kernel, count: int) -> None:
    """Wait until `count` transactions of this test's database wait for a row lock."""

    async def waiting() -> bool:
        async with kernel.db.engine.connect() as conn:
            found = await conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        return int(found or 0) >= count

    await eventually(waiting, within=20)


@asynccontextmanager
async def product_being_edited(kernel: Kernel, product_id: str) -> AsyncIterator[None]:
    """Another edit of the product, in progress until the block ends (then it commits)."""
    with bind(tenant_id=TENANT):
        async with kernel.uow() as uow:
            product = await uow.session.get(Product, product_id)
            assert product is not None
            await service.update_product(
                uow,
                product=product,
                changes=ProductPatch(description="Edited meanwhile"),
                now=kernel.clock.now(),
            )
            await uow.session.flush()
            yield
            await uow.commit()


async def race(kernel: Kernel, product_id: str, *writes: Awaitable[httpx.Response]) -> list[Any]:
    """Start the writes while the product is being edited; let them go once all wait."""
    async with product_being_edited(kernel, product_id):
        tasks = [asyncio.ensure_future(write) for write in writes]
        await waiting_on_locks(kernel, len(tasks))
    return [(a.status_code, a.json()) for a in await asyncio.gather(*tasks)]


async def stored(kernel: Kernel, product_id: str) -> tuple[Product, list[Variant]]:
    with bind(tenant_id=TENANT):
        async with kernel.uow(writes=False) as uow:
            product = await uow.session.get(Product, product_id)
            assert product is not None
            variants = await uow.session.scalars(
                select(Variant).where(Variant.product_id == product_id).order_by(Variant.position)
            )
            return product, list(variants)


async def test_concurrent_price_changes_leave_the_product_at_its_true_lowest_price(
    store: Store,
) -> None:
    kernel, client = store
    # given a product whose two variants cost 5.00 and 6.00 (listed at 5.00)
    product = await create_product(client, product_body(skus=("A", "B"), price="5.00"))
    a, b = (f"/v1/products/{product['id']}/variants/{v['id']}" for v in product["variants"])
    await client.patch(b, json={"price": "6.00"}, headers=ADMIN_HEADERS)
    # when both are repriced at once, to 20.00 and 30.00
    answers = await race(
        kernel,
        product["id"],
        client.patch(a, json={"price": "20.00"}, headers=ADMIN_HEADERS),
        client.patch(b, json={"price": "30.00"}, headers=ADMIN_HEADERS),
    )
    # then both succeed and the product is listed at the lowest of the new prices
    assert [status for status, _ in answers] == [200, 200], answers
    row, variants = await stored(kernel, product["id"])
    assert [str(v.price) for v in variants] == ["20", "30"]
    assert str(row.price) == "20"
    assert row.description == "Edited meanwhile"  # the edit they waited for is kept too
    listed = await client.get("/v1/products", params={"min_price": "20", "max_price": "20"})
    assert [p["id"] for p in listed.json()["items"]] == [product["id"]]


async def test_concurrent_archives_of_the_last_two_active_variants_keep_one(
    store: Store,
) -> None:
    kernel, client = store
    # given a product with two active variants
    product = await create_product(client, product_body(skus=("A", "B")))
    a, b = (f"/v1/products/{product['id']}/variants/{v['id']}" for v in product["variants"])
    # when both are archived at once
    answers = await race(
        kernel,
        product["id"],
        client.patch(a, json={"status": "archived"}, headers=ADMIN_HEADERS),
        client.patch(b, json={"status": "archived"}, headers=ADMIN_HEADERS),
    )
    # then exactly one succeeds, the other is refused, and one variant stays active
    assert sorted((status, body.get("code")) for status, body in answers) == [
        (200, None),
        (409, "last_active_variant"),
    ], answers
    _, variants = await stored(kernel, product["id"])
    assert sorted(v.status for v in variants) == ["active", "archived"]


async def test_concurrent_changes_adding_one_attribute_pair_both_succeed(store: Store) -> None:
    kernel, client = store
    # given two variants whose attribute differs in name only from what both will get
    body = product_body(skus=("A", "B"))
    for variant in body["variants"]:
        variant["attributes"] = {"fabric": "wool"}
    product = await create_product(client, body)
    a, b = (f"/v1/products/{product['id']}/variants/{v['id']}" for v in product["variants"])
    # when both are given the same new attribute at once
    answers = await race(
        kernel,
        product["id"],
        client.patch(a, json={"attributes": {"material": "wool"}}, headers=ADMIN_HEADERS),
        client.patch(b, json={"attributes": {"material": "wool"}}, headers=ADMIN_HEADERS),
    )
    # then both succeed, and the product is filtered by the new pair only
    assert [status for status, _ in answers] == [200, 200], answers
    with bind(tenant_id=TENANT):
        async with kernel.uow(writes=False) as uow:
            pairs = await uow.session.execute(
                select(AttributeValue.name, AttributeValue.value).where(
                    AttributeValue.product_id == product["id"]
                )
            )
            assert sorted(pairs.all()) == [("material", "wool")]
    found = await client.get("/v1/products", params={"attr": "material:wool"})
    assert [p["id"] for p in found.json()["items"]] == [product["id"]]


async def test_a_refresh_waiting_on_another_writes_the_newest_stock(store: Store) -> None:
    """Availability events of one variant are handled on different partitions (a receipt's
    on its reference's): a refresh that waited for another one must not then write what it
    read before waiting."""
    kernel, client = store
    # given a variant with 5 in stock, copied into the catalog
    product = await create_product(client, product_body(skus=("MUG-1",)))
    variant = product["variants"][0]["id"]
    location = await client.post(
        "/v1/inventory/locations", json={"code": "EAST", "name": "East"}, headers=ADMIN_HEADERS
    )
    adjustment = {"variant_id": variant, "location_id": location.json()["id"]}
    answer = await client.post(
        "/v1/inventory/adjustments",
        json={**adjustment, "delta": 5, "reason": "received"},
        headers=ADMIN_HEADERS,
    )
    assert answer.status_code in {200, 201}, answer.text

    async def refresh() -> None:
        with bind(tenant_id=TENANT):
            async with kernel.uow() as uow:
                await service.refresh_availability(uow, variant_ids=[variant])
                await uow.commit()

    await refresh()
    # and a refresh of it in progress
    with bind(tenant_id=TENANT):
        async with kernel.uow() as first:
            await service.refresh_availability(first, variant_ids=[variant])
            # when a second refresh starts and waits for it
            second = asyncio.ensure_future(refresh())
            await waiting_on_locks(kernel, 1)
            # and meanwhile 3 units are found damaged, before the first one commits
            answer = await client.post(
                "/v1/inventory/adjustments",
                json={**adjustment, "delta": -3, "reason": "damaged"},
                headers=ADMIN_HEADERS,
            )
            assert answer.status_code in {200, 201}, answer.text
            await first.commit()
    await second
    # then the catalog shows the stock left, not what the second read before it waited
    _, (stored_variant,) = await stored(kernel, product["id"])
    assert stored_variant.available == 2
    fetched = (await client.get(f"/v1/products/{product['id']}")).json()
    assert (fetched["in_stock"], [v["available"] for v in fetched["variants"]]) == (True, [2])


async def test_refreshing_many_variants_of_many_products_at_once_does_not_deadlock(
    store: Store,
) -> None:
    """Refreshes (a delivery names many variants) and product edits lock in one order: the
    products first, by id, then the variants, by id."""
    kernel, client = store
    # given three products of two variants each
    products = [
        await create_product(client, product_body(f"P{n}", skus=(f"P{n}-A", f"P{n}-B")))
        for n in range(3)
    ]
    ids = [v["id"] for p in products for v in p["variants"]]

    async def refresh(variant_ids: list[str]) -> None:
        with bind(tenant_id=TENANT):
            async with kernel.uow() as uow:
                await service.refresh_availability(uow, variant_ids=variant_ids)
                await uow.commit()

    # when refreshes of overlapping sets, in opposite orders, run with edits of each product
    edits = [
        client.patch(
            f"/v1/products/{p['id']}/variants/{p['variants'][1]['id']}",
            json={"title": "Edited"},
            headers=ADMIN_HEADERS,
        )
        for p in products
    ]
    results = await asyncio.gather(
        *(refresh(ids[::step]) for step in (1, -1, 2, -2)), *edits, return_exceptions=True
    )
    # then every one of them completes
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert [r.status_code for r in results[4:] if isinstance(r, httpx.Response)] == [200] * 3
    with bind(tenant_id=TENANT):
        async with kernel.uow(writes=False) as uow:
            edited = await uow.session.scalar(
                select(func.count()).select_from(Variant).where(Variant.title == "Edited")
            )
    assert edited == 3
