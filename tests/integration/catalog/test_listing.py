"""Browsing: every filter, every sort, and cursor pagination that neither repeats nor skips
a product, even while products are added. A page costs two statements."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY
from sqlalchemy.dialects import sqlite

from mercato.agents.catalog.access import Actor
from mercato.agents.catalog.listing import Listing, active_variants, page_statement
from mercato.agents.search.rebuild import reindex
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.catalog.conftest import (
    ADMIN_HEADERS,
    counts,
    create_category,
    create_product,
    product_body,
)
from tests.integration.identity.conftest import sign_up
from tests.support.store import settle, store_for

Store = tuple[Kernel, httpx.AsyncClient]


@dataclass
class Catalog:
    """A small store: Home (Kitchen, Garden) and Clothing, six active products, a draft."""

    client: httpx.AsyncClient
    kernel: Kernel
    ids: dict[str, str]
    categories: dict[str, dict[str, Any]]

    async def names(self, **params: Any) -> list[str]:
        if "q" in params:  # the search agent answers `q`: its index follows the events
            await settle(self.kernel)
        answer = await self.client.get("/v1/products", params=params)
        assert answer.status_code == 200, answer.text
        by_id = {v: k for k, v in self.ids.items()}
        return [by_id.get(p["id"], p["name"]) for p in answer.json()["items"]]


PRODUCTS: list[tuple[str, str, str, dict[str, str], str]] = [
    # key, price, category, attributes of its variant, merchant
    ("skillet", "45.00", "kitchen", {"material": "Cast Iron", "colour": "Black"}, "m-1"),
    ("mug", "12.50", "kitchen", {"material": "Enamel", "colour": "Red"}, "m-1"),
    ("hose", "30.00", "garden", {"material": "Rubber", "colour": "Green"}, "m-2"),
    ("tee", "19.99", "clothing", {"material": "Cotton", "colour": "Red"}, "m-2"),
    ("scarf", "25.00", "clothing", {"material": "Wool_Blend", "colour": "Grey"}, "m-3"),
    ("lamp", "80.00", "home", {"material": "Brass 100%", "colour": "Gold"}, "m-3"),
]


@pytest.fixture
async def catalog(store: Store) -> Catalog:
    kernel, client = store
    home = await create_category(client, "Home")
    tree = {
        "home": home,
        "kitchen": await create_category(client, "Kitchen", home["id"]),
        "garden": await create_category(client, "Garden", home["id"]),
        "clothing": await create_category(client, "Clothing"),
    }
    ids = {}
    for key, price, category, attributes, merchant in PRODUCTS:
        body = product_body(
            f"{key.title()} Deluxe",
            skus=(f"{key.upper()}-1",),
            price=price,
            category_id=tree[category]["id"],
            merchant_id=merchant,
            description=f"A fine {key}",
        )
        body["variants"][0]["attributes"] = attributes
        ids[key] = (await create_product(client, body))["id"]
    draft = product_body("Secret Draft", skus=("DRAFT-1",), status="draft", merchant_id="m-1")
    ids["draft"] = (await create_product(client, draft))["id"]
    return Catalog(client, kernel, ids, tree)


NEWEST = ["lamp", "scarf", "tee", "hose", "mug", "skillet"]


# -- filters ------------------------------------------------------------------------------


async def test_the_default_listing_is_active_products_newest_first(catalog: Catalog) -> None:
    answer = await catalog.client.get("/v1/products")
    body = answer.json()
    assert [p["name"] for p in body["items"]][:2] == ["Lamp Deluxe", "Scarf Deluxe"]
    assert await catalog.names() == NEWEST
    assert body["next_cursor"] is None
    item = body["items"][0]
    assert set(item) >= {
        "id", "name", "slug", "description", "price", "compare_at_price", "currency", "status",
        "is_free", "category_id", "merchant_id", "attributes", "images", "in_stock", "variants",
    }  # fmt: skip
    assert set(item["variants"][0]) >= {
        "id", "sku", "title", "price", "compare_at_price", "attributes", "available",
    }  # fmt: skip


async def test_q_needs_every_word_anywhere(catalog: Catalog) -> None:
    assert await catalog.names(q="deluxe") == NEWEST
    assert await catalog.names(q="  FINE   mug ") == ["mug"]
    assert await catalog.names(q="tee-1") == ["tee"]  # a SKU
    assert await catalog.names(q="cast iron") == ["skillet"]  # attribute values
    assert await catalog.names(q="mug hose") == []


async def test_q_wildcards_are_no_operators(catalog: Catalog) -> None:
    # symbols only part words: LIKE's wildcards match nothing of their own
    assert await catalog.names(q="wool_blend") == ["scarf"]
    assert await catalog.names(q="wool%blend") == ["scarf"]
    assert await catalog.names(q="100%") == ["lamp"]
    # and a text of symbols alone has no word to find
    for symbols in ("_", "%", "\\", "*", '"'):
        assert await catalog.names(q=symbols) == [], symbols


@pytest.mark.edge_case("EC015")
async def test_ec015_sql_in_q_is_just_text(catalog: Catalog) -> None:
    before = await counts(catalog.kernel)
    await settle(catalog.kernel)
    for q, words in (
        ("'; DROP TABLE products; --", "drop table products"),
        ("' OR '1'='1", "or 1"),
        ('" OR 1=1 --', "or 1"),
        ("1; DELETE FROM products", "1 delete from products"),
    ):
        # the answer is what its words alone find (a product whose SKU has a 1, or nothing)
        answer = await catalog.client.get("/v1/products", params={"q": q})
        assert answer.status_code == 200
        alone = await catalog.client.get("/v1/products", params={"q": words})
        assert answer.json() == alone.json()
    # the table is still there, with every product
    assert await counts(catalog.kernel) == before
    assert await catalog.names() == NEWEST


async def test_category_includes_its_whole_subtree(catalog: Catalog) -> None:
    home, kitchen = catalog.categories["home"], catalog.categories["kitchen"]
    assert await catalog.names(category=home["id"]) == ["lamp", "hose", "mug", "skillet"]
    assert await catalog.names(category="home") == ["lamp", "hose", "mug", "skillet"]  # slug
    assert await catalog.names(category=kitchen["slug"]) == ["mug", "skillet"]
    assert await catalog.names(category="clothing") == ["scarf", "tee"]
    assert await catalog.names(category="nowhere") == []


async def test_price_range_is_inclusive(catalog: Catalog) -> None:
    assert await catalog.names(min_price="19.99", max_price="30") == ["scarf", "tee", "hose"]
    assert await catalog.names(min_price="50") == ["lamp"]
    assert await catalog.names(max_price="12.50") == ["mug"]


@pytest.mark.parametrize(
    "params",
    [
        {"min_price": "20", "max_price": "10"},
        {"min_price": "ten"},
        {"attr": "colour"},
        {"attr": ":red"},
        {"limit": "0"},
        {"limit": "101"},
        {"sort": "popular"},
        {"in_stock": "maybe"},
    ],
)
async def test_invalid_filters_are_422(catalog: Catalog, params: dict[str, str]) -> None:
    answer = await catalog.client.get("/v1/products", params=params)
    assert answer.status_code == 422, answer.text


async def test_every_attr_filter_must_match(catalog: Catalog) -> None:
    assert await catalog.names(attr="colour:red") == ["tee", "mug"]
    assert await catalog.names(attr="COLOUR:Red") == ["tee", "mug"]  # case-insensitive
    assert await catalog.names(attr=["colour:red", "material:enamel"]) == ["mug"]
    assert await catalog.names(attr=["colour:red", "material:brass 100%"]) == []
    assert await catalog.names(attr="colour:purple") == []


async def test_merchant_filter(catalog: Catalog) -> None:
    assert await catalog.names(merchant="m-1") == ["mug", "skillet"]
    assert await catalog.names(merchant="m-404") == []


async def test_status_is_honoured_for_writers_only(catalog: Catalog) -> None:
    client = catalog.client
    # shoppers always see active products only
    assert await catalog.names(status="draft") == NEWEST
    # the draft's merchant sees its drafts; another merchant sees none of them
    owner = await sign_up(client, "merchant", merchant_id="m-1")
    other = await sign_up(client, "merchant", merchant_id="m-2")
    for headers, expected in ((owner.headers, ["Secret Draft"]), (other.headers, [])):
        answer = await client.get("/v1/products", params={"status": "draft"}, headers=headers)
        assert [p["name"] for p in answer.json()["items"]] == expected
    admin = await client.get("/v1/products", params={"status": "draft"}, headers=ADMIN_HEADERS)
    assert [p["name"] for p in admin.json()["items"]] == ["Secret Draft"]


# -- sorts and cursors --------------------------------------------------------------------

SORTED = {
    "newest": NEWEST,
    "price_asc": ["mug", "tee", "scarf", "hose", "skillet", "lamp"],
    "price_desc": ["lamp", "skillet", "hose", "scarf", "tee", "mug"],
    "name": ["hose", "lamp", "mug", "scarf", "skillet", "tee"],
}


async def walk(client: httpx.AsyncClient, **params: Any) -> AsyncIterator[list[str]]:
    """The ids of each page, following next_cursor to the end."""
    cursor = None
    while True:
        answer = await client.get("/v1/products", params={**params, "cursor": cursor})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        yield [p["id"] for p in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return


@pytest.mark.parametrize("sort", list(SORTED))
async def test_each_sort_pages_through_everything_once(catalog: Catalog, sort: str) -> None:
    pages = [page async for page in walk(catalog.client, sort=sort, limit=4)]
    assert [len(p) for p in pages] == [4, 2]
    seen = [pid for page in pages for pid in page]
    assert seen == [catalog.ids[k] for k in SORTED[sort]]
    assert await catalog.names(sort=sort) == SORTED[sort]


async def test_ties_are_broken_by_id_so_pages_neither_repeat_nor_skip(store: Store) -> None:
    _, client = store
    created = [
        (await create_product(client, product_body(f"Same {n}", skus=(f"S-{n}",), price="5.00")))[
            "id"
        ]
        for n in range(7)
    ]
    for sort in ("price_asc", "price_desc"):
        seen = [pid async for page in walk(client, sort=sort, limit=3) for pid in page]
        assert sorted(seen) == sorted(created) and len(set(seen)) == 7


async def test_pagination_is_stable_while_products_are_added(catalog: Catalog) -> None:
    client = catalog.client
    for sort, cheap in (("newest", "1.00"), ("price_asc", "1.00"), ("price_desc", "999.00")):
        seen: list[str] = []
        added = 0
        async for page in walk(client, sort=sort, limit=2):
            seen += page
            # a product added between pages lands before the cursor, so it is not seen
            added += 1
            await create_product(
                client,
                product_body(f"Late {sort} {added}", skus=(f"LATE-{sort}-{added}",), price=cheap),
            )
        originals = [pid for pid in seen if pid in catalog.ids.values()]
        assert originals == [catalog.ids[k] for k in SORTED[sort]], sort
        assert len(seen) == len(set(seen))


async def test_a_cursor_not_issued_for_the_sort_is_400(catalog: Catalog) -> None:
    first = (await catalog.client.get("/v1/products", params={"limit": 2})).json()
    assert first["next_cursor"]
    for params in (
        {"cursor": "not-a-cursor"},
        {"cursor": "eyJ4IjoxfQ"},
        {"cursor": first["next_cursor"], "sort": "price_asc"},
    ):
        answer = await catalog.client.get("/v1/products", params=params)
        assert (answer.status_code, answer.json()["code"]) == (400, "invalid_cursor"), params


# -- cost ----------------------------------------------------------------------------------


async def test_a_page_costs_two_statements_on_the_sort_index(settings: Settings) -> None:
    """The products of the page (filters and sort in one statement, on the sort's index),
    then their variants (one IN query); a category's path is read first (so that PostgreSQL
    plans the page knowing the subtree)."""
    async with store_for(settings, start=False) as (kernel, client):
        shoes = await create_category(client, "Shoes")
        for n in range(5):
            body = product_body(
                f"Shoe {n}",
                skus=(f"SH-{n}", f"SH-{n}b"),
                category_id=shoes["id"],
                merchant_id="m-0",
            )
            body["variants"][0]["attributes"] = {"size": "42"}
            await create_product(client, body)
        with bind(tenant_id="default"):  # no relay here: the search index is built at once
            await reindex(kernel, on_total=lambda _: None, on_batch=lambda _: None)
        params = {
            "q": "shoe",
            "category": "shoes",
            "min_price": "1",
            "attr": "size:42",
            "in_stock": "false",
            "merchant": "m-0",
            "limit": 2,
        }
        for sort in SORTED:
            # the search index's synonyms and words first; then path, page, variants
            for words, sent in (({"q": "shoe"}, 5), ({"q": "shoe "}, 5)):
                before = statements_sent("GET /v1/products")
                answer = await client.get("/v1/products", params={**params, **words, "sort": sort})
                assert answer.status_code == 200 and len(answer.json()["items"]) == 2
                assert statements_sent("GET /v1/products") - before == sent
            before = statements_sent("GET /v1/products")
            answer = await client.get("/v1/products", params={"sort": sort, "limit": 2})
            assert answer.status_code == 200 and len(answer.json()["items"]) == 2
            assert statements_sent("GET /v1/products") - before == 2
        if kernel.db.is_sqlite:  # PostgreSQL plans by its statistics, SQLite by indexes
            path = f"/{shoes['id']}/"  # a root category's path
            request = Listing(
                q="shoe",
                category="shoes",
                min_price=Decimal(1),
                attrs=("size:42",),
                in_stock=False,
                merchant="m-0",
                limit=2,
            )
            for sort, index in (
                ("newest", "ix_products_listing_newest"),
                ("price_asc", "ix_products_listing_price"),
                ("name", "ix_products_listing_name"),
            ):
                statement, values = page_statement(replace(request, sort=sort), ANYONE)
                plan = await explained(kernel, statement, {**values, "category_path": path})
                top = [row[-1] for row in plan if row[1] == 0]  # not the category subquery
                assert top[0].startswith(f"SEARCH products USING INDEX {index} (tenant_id=? AND")
                assert not any("TEMP B-TREE" in step or "SCAN" in step for step in top), top
            # and the variants by product, not by store (SQLite has no statistics yet)
            ids = {"id_0": "p-1", "id_1": "p-2"}
            plan = await explained(kernel, active_variants(2).statement, ids)
            assert "USING INDEX ix_product_variants_product" in plan[0][-1], plan


ANYONE = Actor(writes=False, merchant_id=None, all_merchants=False)


def statements_sent(route: str) -> float:
    """The statements requests of `route` have sent so far (the kernel's own count)."""
    sent = REGISTRY.get_sample_value("mercato_sql_statements_total", {"route": route})
    return sent or 0.0


async def explained(kernel: Kernel, statement: Any, values: dict[str, Any]) -> list[Any]:
    """SQLite's plan of `statement` with these values (in the default store)."""
    bound = statement.params(store_tenant_id="default", **values)
    sql = bound.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
    async with kernel.db.engine.connect() as conn:
        return list(await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
