"""The public reads built from rows (ADR 21) answer what the ORM path answered, byte for byte:
`GET /v1/products/{id}` by id and slug, `GET /v1/products` in every filter, sort and page,
`GET /v1/categories` and `GET /v1/categories/{id}`, for shoppers, customers, merchants and
admins, in a store of awkward data (three currencies, free products, archived variants,
drafts, ties on every sort key, quotes and non-ASCII text). The oracle is the ORM path itself
(`orm_reads.py`); a refusal is compared by status, code and detail."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import httpx
import pytest

from mercato.agents.catalog import service
from mercato.agents.catalog.listing import Listing
from mercato.agents.catalog.schemas import ProductIn, VariantIn
from mercato.agents.catalog.service import NewProduct
from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.context import bind
from mercato.kernel.errors import Problem
from tests.integration.catalog import orm_reads
from tests.integration.catalog.conftest import (
    ADMIN_HEADERS,
    create_category,
    create_product,
    product_body,
)
from tests.integration.identity.conftest import ADMIN, add_store, in_store, sign_up
from tests.support.store import settle

Store = tuple[Kernel, httpx.AsyncClient]
Outcome = tuple[int, bytes | tuple[str, str | None]]
SORTS = ("newest", "price_asc", "price_desc", "name")


@dataclass(frozen=True)
class Caller:
    name: str
    headers: dict[str, str]
    principal: Principal


@dataclass
class Shop:
    kernel: Kernel
    client: httpx.AsyncClient
    callers: list[Caller]
    products: dict[str, dict[str, Any]]
    categories: dict[str, dict[str, Any]]
    elsewhere: str
    """The id of a product of another store ("shop-b"), which a product here has as slug."""


async def outcome(call: Awaitable[bytes]) -> Outcome:
    """The oracle's answer: its bytes, or the refusal it raised."""
    try:
        return 200, await call
    except Problem as problem:
        return problem.status, (problem.code, problem.detail)


async def answered(client: httpx.AsyncClient, url: str, **kw: Any) -> Outcome:
    """The HTTP answer: its bytes, or the refusal's code and detail."""
    answer = await client.get(url, **kw)
    if answer.status_code == 200:
        assert answer.headers["content-type"] == "application/json"
        return 200, answer.content
    body = answer.json()
    return answer.status_code, (body["code"], body.get("detail"))


def params_of(request: Listing) -> list[tuple[str, str]]:
    pairs = [(name, str(getattr(request, name))) for name in ("sort", "limit")]
    for name in ("q", "category", "merchant", "status", "cursor", "min_price", "max_price"):
        if getattr(request, name) is not None:
            pairs.append((name, str(getattr(request, name))))
    if request.in_stock is not None:
        pairs.append(("in_stock", "true" if request.in_stock else "false"))
    pairs += [("attr", attr) for attr in request.attrs]
    return pairs


# -- the store ------------------------------------------------------------------------


async def variant_status(client: httpx.AsyncClient, product: dict[str, Any], n: int) -> None:
    url = f"/v1/products/{product['id']}/variants/{product['variants'][n]['id']}"
    answer = await client.patch(url, json={"status": "archived"}, headers=ADMIN_HEADERS)
    assert answer.status_code == 200, answer.text


async def stock(client: httpx.AsyncClient, location: str, variant_id: str, delta: int) -> None:
    body = {"variant_id": variant_id, "location_id": location, "delta": delta, "reason": "count"}
    answer = await client.post("/v1/inventory/adjustments", json=body, headers=ADMIN_HEADERS)
    assert answer.status_code in {200, 201}, answer.text


@pytest.fixture
async def shop(store: Store) -> Shop:
    kernel, client = store
    home = await create_category(client, "Home")
    kitchen = await create_category(client, "Kitchen", home["id"], position=1)
    trees = {
        "home": home,
        "kitchen": kitchen,
        "garden": await create_category(client, "Garden", home["id"], position=1),
        "knives": await create_category(client, "Knives", kitchen["id"]),
        "clothing": await create_category(client, "Clothing"),
        "lights": await create_category(client, 'Éclairage ☀ "best"', position=2),
        "empty": await create_category(client, "Zzz Empty"),
    }
    skillet = product_body(
        "Cast Iron Skillet",
        skus=("SKILLET-S", "SKILLET-L"),
        price="45.00",
        category_id=trees["knives"]["id"],
        merchant_id="m-1",
        description='Heavy.\nSeasoned\tand ready \\ "really"',
        attributes={"material": "Cast Iron", "brand": "Ferro"},
        images=["https://img.example/skillet-1.jpg", "https://img.example/skillet-2.jpg"],
    )
    skillet["variants"][0].update(compare_at_price="60.00", attributes={"size": "S"})
    skillet["variants"][1].update(price="55.50", attributes={"size": "L", "colour": "Black"})
    bodies = {
        "skillet": skillet,
        "mug": product_body(
            "Enamel Mug",
            skus=("MUG-1",),
            price="12.50",
            compare_at_price="15.00",
            category_id=kitchen["id"],
            merchant_id="m-1",
        ),
        "teapot": product_body(
            "Teapot 急須",
            skus=("TEAPOT-1",),
            price="3500",
            currency="JPY",
            category_id=kitchen["id"],
            merchant_id="m-2",
        ),
        "dates": product_body("Dates Box", skus=("DATES-1",), price="1.250", currency="KWD"),
        "gift": product_body(
            "Gift Card", skus=("GIFT-1",), price="0", is_free=True, requires_shipping=False
        ),
        "lamp": product_body(
            'Quote "Lamp" \\ Light',
            skus=("LAMP-A", "LAMP-B"),
            price="80.00",
            category_id=trees["lights"]["id"],
            merchant_id="m-2",
        ),
        "draft": product_body(
            "Secret Draft", skus=("DRAFT-1", "DRAFT-2"), status="draft", merchant_id="m-1"
        ),
        "old": product_body("Old Stock", skus=("OLD-1",), merchant_id="m-2"),
    }
    products = {key: await create_product(client, body) for key, body in bodies.items()}
    await variant_status(client, products["lamp"], 0)
    await variant_status(client, products["draft"], 1)
    archived = await client.delete(f"/v1/products/{products['old']['id']}", headers=ADMIN_HEADERS)
    assert archived.status_code == 200
    # five twins made in one go: the same name, price and creation time (ties on every sort)
    with bind(tenant_id="default"):
        async with kernel.uow() as uow:
            twins = [
                NewProduct(
                    ProductIn(
                        name="Twin",
                        variants=[VariantIn(sku=f"TWIN-{n}", price=Decimal("10.00"))],
                        attributes={"colour": "Black"},
                    ),
                    "m-2",
                )
                for n in range(5)
            ]
            made = await service.create_products(
                uow, items=twins, currency_default="USD", now=kernel.clock.now()
            )
            await uow.commit()
    for n, twin in enumerate(made):
        products[f"twin-{n}"] = {"id": twin.id, "slug": twin.slug}
    answer = await client.post(
        "/v1/inventory/locations", json={"code": "MAIN", "name": "Main"}, headers=ADMIN_HEADERS
    )
    location = answer.json()["id"]
    for key, n, units in (("skillet", 0, 5), ("teapot", 0, 2), ("lamp", 0, 3), ("lamp", 1, 1)):
        await stock(client, location, products[key]["variants"][n]["id"], units)
    # another store, whose product's id a product here has as its slug
    await add_store(kernel, "shop-b")
    elsewhere = await create_product(
        client, product_body("Mug", skus=("MUG-1",)), in_store("shop-b", ADMIN)
    )
    impostor = product_body("Impostor", skus=("IMP-1",), slug=elsewhere["id"])
    products["impostor"] = await create_product(client, impostor)
    lookalike = product_body(
        "Lookalike", skus=("LOOK-1",), slug="0" * 8 + "-0000-7000-8000-" + "0" * 12
    )
    products["lookalike"] = await create_product(client, lookalike)
    await settle(kernel)
    callers = [
        Caller("anonymous", in_store("default"), Principal("anonymous", "default", "anonymous")),
        Caller(
            "admin",
            ADMIN_HEADERS,
            Principal("bootstrap-admin", "default", "api_key", frozenset({"admin"})),
        ),
    ]
    for role, merchant in (("customer", None), ("merchant", "m-1"), ("merchant", "m-2")):
        account = await sign_up(client, role, merchant_id=merchant)
        principal = Principal(account.id, "default", "user", frozenset({role}), merchant)
        callers.append(Caller(f"{role} {merchant}", account.headers, principal))
    return Shop(kernel, client, callers, products, trees, elsewhere["id"])


# -- the reads --------------------------------------------------------------------------


async def test_a_product_reads_the_same_by_id_and_slug_for_everyone(shop: Shop) -> None:
    refs = [p["id"] for p in shop.products.values()] + [p["slug"] for p in shop.products.values()]
    refs += ["nope", "0" * 8 + "-0000-7000-8000-" + "0" * 11 + "1", shop.elsewhere]
    mismatches = []
    for caller in shop.callers:
        for ref in refs:
            got = await answered(shop.client, f"/v1/products/{ref}", headers=caller.headers)
            want = await outcome(orm_reads.product(shop.kernel, ref, caller.principal))
            if got != want:
                mismatches.append((caller.name, ref, got, want))
    assert mismatches == []
    # and the drafts, archived products and archived variants were among the answers
    owner = shop.callers[3]
    draft = await shop.client.get(
        f"/v1/products/{shop.products['draft']['id']}", headers=owner.headers
    )
    assert [v["status"] for v in draft.json()["variants"]] == ["active", "archived"]


async def test_a_product_of_another_store_is_still_a_recorded_404(shop: Shop) -> None:
    # given a product here whose slug is another store's product id
    before = await violations(shop.kernel)
    # when a shopper asks for that id
    answer = await shop.client.get(f"/v1/products/{shop.elsewhere}")
    # then it is not found, and the attempt is recorded, as before
    assert answer.status_code == 404
    assert await violations(shop.kernel) == before + 1


async def violations(kernel: Kernel) -> int:
    from tests.integration.catalog.conftest import event_payloads

    return len(await event_payloads(kernel, "security.violation"))


LISTINGS: list[dict[str, Any]] = [
    {},
    {"limit": 1},
    {"limit": 100},
    {"q": "twin"},
    {"q": "  CAST   iron "},
    {"q": "急須"},
    {"q": "%"},
    {"q": "_"},
    {"q": "\\"},
    {"q": '"lamp"'},
    {"category": "home"},
    {"category": "kitchen"},
    {"category": "nope"},
    {"min_price": Decimal("10"), "max_price": Decimal("50")},
    {"min_price": Decimal("10.0000")},
    {"max_price": Decimal("0")},
    {"min_price": Decimal("5"), "max_price": Decimal("1")},
    {"min_price": Decimal("0.00001")},
    {"in_stock": True},
    {"in_stock": False},
    {"attrs": ("colour:black",)},
    {"attrs": ("size:S", "material:cast iron")},
    {"attrs": ("size:XXL",)},
    {"attrs": ("bad",)},
    {"merchant": "m-1"},
    {"merchant": "m-404"},
    {"status": "draft"},
    {"status": "archived"},
    {"status": "active"},
    {"category": "kitchen", "min_price": Decimal("1"), "max_price": Decimal("3600")},
    {"in_stock": True, "merchant": "m-2", "attrs": ("colour:black",), "q": "lamp"},
    {"cursor": "not-a-cursor"},
]


async def listing_outcome(shop: Shop, caller: Caller, request: Listing) -> tuple[Outcome, Outcome]:
    got = await answered(
        shop.client, "/v1/products", params=params_of(request), headers=caller.headers
    )
    want = await outcome(orm_reads.listing(shop.kernel, request, caller.principal))
    return got, want


async def test_every_listing_reads_the_same_for_everyone(shop: Shop) -> None:
    by_id = [{"category": shop.categories[key]["id"]} for key in ("home", "kitchen")]
    mismatches = []
    for caller in shop.callers:
        for shape in [*LISTINGS, *by_id]:
            for sort in SORTS:
                request = Listing(**{"sort": sort, **shape})
                got, want = await listing_outcome(shop, caller, request)
                if got != want:
                    mismatches.append((caller.name, request, got, want))
    assert mismatches == []


@pytest.mark.parametrize("sort", SORTS)
async def test_every_page_reads_the_same(shop: Shop, sort: str) -> None:
    # given pages of two (and of one), through ties on every sort key
    for caller in shop.callers:
        for shape in ({"limit": 2}, {"limit": 1, "q": "twin"}, {"limit": 2, "status": "draft"}):
            request = Listing(**{"sort": sort, **shape})
            pages = 0
            while True:
                # when each page is read by its cursor, then both paths answer the same bytes
                got, want = await listing_outcome(shop, caller, request)
                assert got == want, (caller.name, request)
                assert isinstance(got[1], bytes)
                pages += 1
                cursor = httpx.Response(200, content=got[1]).json()["next_cursor"]
                if cursor is None:
                    break
                request = replace(request, cursor=cursor)
            assert pages > 1 or "status" in shape


async def test_the_category_tree_and_each_category_read_the_same(shop: Shop) -> None:
    for tenant in ("default", "shop-b"):
        for counts in (False, True):
            got = await answered(
                shop.client, "/v1/categories", params={"counts": counts}, headers=in_store(tenant)
            )
            assert got == await outcome(orm_reads.tree(shop.kernel, tenant, counts=counts))
    keys = [c["id"] for c in shop.categories.values()] + [
        c["slug"] for c in shop.categories.values()
    ]
    for key in [*keys, "nope"]:
        got = await answered(shop.client, f"/v1/categories/{key}")
        assert got == await outcome(orm_reads.category(shop.kernel, key, "default")), key
