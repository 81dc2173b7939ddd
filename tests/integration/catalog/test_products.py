"""Products: creating, reading, changing and archiving them, who may, and what each write
publishes. Refused requests write nothing."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from mercato.agents.catalog import service
from mercato.agents.catalog.schemas import ProductIn, VariantIn
from mercato.agents.catalog.service import NewProduct
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.context import bind
from mercato.kernel.rules import RuleViolated
from tests.integration.catalog.conftest import (
    ADMIN_HEADERS,
    TENANT,
    counts,
    create_category,
    create_product,
    event_payloads,
    product_body,
)
from tests.integration.identity.conftest import guest_headers, sign_up
from tests.support.store import settle

Store = tuple[Kernel, httpx.AsyncClient]

# -- creating ---------------------------------------------------------------------------


async def test_an_admin_creates_a_product_with_its_variants(store: Store) -> None:
    kernel, client = store
    # given a category
    kitchen = await create_category(client, "Kitchen")
    # when an admin creates a product in it with two variants
    body = product_body(
        "  Enamel Mug ",
        skus=(),
        description="Holds 350 ml",
        category_id=kitchen["id"],
        attributes={"Material": "Enamel"},
        images=["https://img.example/mug.jpg"],
        compare_at_price="15.00",
        merchant_id="m-9",
        variants=[
            {"sku": "MUG-W", "title": "White", "price": "12.50", "attributes": {"colour": "White"}},
            {"sku": "MUG-B", "title": "Blue", "price": 11, "compare_at_price": "14.00"},
        ],
    )
    product = await create_product(client, body)
    # then it is answered whole: the name stripped, money as strings in minor units, the
    # price the lowest of the variants, a slug made from the name
    assert product["name"] == "Enamel Mug" and product["slug"] == "enamel-mug"
    assert (product["price"], product["compare_at_price"], product["currency"]) == (
        "11.00",
        "15.00",
        "USD",
    )
    assert product["status"] == "active" and product["merchant_id"] == "m-9"
    assert product["category"] == {"id": kitchen["id"], "name": "Kitchen", "slug": "kitchen"}
    assert [(v["sku"], v["price"], v["available"]) for v in product["variants"]] == [
        ("MUG-W", "12.50", 0),
        ("MUG-B", "11.00", 0),
    ]
    assert product["in_stock"] is False and product["is_free"] is False
    # and GET answers the same product
    fetched = await client.get(f"/v1/products/{product['id']}")
    assert fetched.status_code == 200 and fetched.json() == product
    # and product.created names the variants
    (created,) = await event_payloads(kernel, "product.created")
    assert created["product_id"] == product["id"] and created["currency"] == "USD"
    assert [(v["sku"], v["price"]) for v in created["variants"]] == [
        ("MUG-W", "12.50"),
        ("MUG-B", "11"),
    ]


@pytest.mark.edge_case("EC009")
@pytest.mark.parametrize(
    "name", ["O'Brien's Tea", "José García Café", "日本語の本", "🎉 Party Pack"]
)
async def test_ec009_unicode_and_emoji_names_round_trip_exactly(store: Store, name: str) -> None:
    kernel, client = store
    product = await create_product(client, product_body(name, description=f"About {name}"))
    assert product["name"] == name and product["slug"]
    fetched = (await client.get(f"/v1/products/{product['id']}")).json()
    assert fetched["name"] == name and fetched["description"] == f"About {name}"
    await settle(kernel)  # the search index, which answers `q`, follows the events
    last_word = name.rsplit(maxsplit=1)[-1]
    found = (await client.get("/v1/products", params={"q": last_word})).json()["items"]
    assert [p["name"] for p in found] == [name]


async def test_slugs_are_unique_in_the_store(store: Store) -> None:
    _, client = store
    first = await create_product(client, product_body("Desk Lamp", skus=("LAMP-1",)))
    second = await create_product(client, product_body("Desk Lamp", skus=("LAMP-2",)))
    third = await create_product(client, product_body("Desk  Lamp!", skus=("LAMP-3",)))
    assert [first["slug"], second["slug"], third["slug"]] == [
        "desk-lamp",
        "desk-lamp-2",
        "desk-lamp-3",
    ]
    taken = await client.post(
        "/v1/products",
        json=product_body("Other", skus=("LAMP-4",), slug="desk-lamp"),
        headers=ADMIN_HEADERS,
    )
    assert (taken.status_code, taken.json()["code"]) == (409, "slug_taken")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "body.name"),
        ({"name": "   "}, "body.name"),
        ({"name": "x" * 301}, "body.name"),
        ({"variants": []}, "body.variants"),
        ({"images": ["ftp://img.example/a.jpg"]}, "body.images.0"),
        ({"status": "archived"}, "body.status"),
        ({"currency": "usd"}, "body.currency"),
        ({"surprise": 1}, "body.surprise"),
    ],
)
async def test_invalid_bodies_are_422_and_write_nothing(
    store: Store, change: dict[str, object], field: str
) -> None:
    kernel, client = store
    before = await counts(kernel)
    answer = await client.post("/v1/products", json=product_body() | change, headers=ADMIN_HEADERS)
    assert answer.status_code == 422, answer.text
    assert any(e["field"] == field for e in answer.json()["errors"])
    assert await counts(kernel) == before


async def test_an_unknown_category_is_422_and_writes_nothing(store: Store) -> None:
    kernel, client = store
    before = await counts(kernel)
    answer = await client.post(
        "/v1/products", json=product_body(category_id="nope"), headers=ADMIN_HEADERS
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "unknown_category")
    assert await counts(kernel) == before


# -- who may write ---------------------------------------------------------------------


async def test_shoppers_cannot_write_the_catalog(store: Store) -> None:
    kernel, client = store
    product = await create_product(client, product_body())
    customer = await sign_up(client, "customer")
    guest = await guest_headers(client)
    before = await counts(kernel)
    for headers, status in (({}, 401), (guest, 403), (customer.headers, 403)):
        attempts = [
            await client.post("/v1/products", json=product_body(skus=("X-1",)), headers=headers),
            await client.patch(
                f"/v1/products/{product['id']}", json={"name": "Mine"}, headers=headers
            ),
            await client.delete(f"/v1/products/{product['id']}", headers=headers),
            await client.post(
                f"/v1/products/{product['id']}/variants",
                json={"sku": "X-2", "price": "1.00"},
                headers=headers,
            ),
        ]
        assert [a.status_code for a in attempts] == [status] * 4
    assert await counts(kernel) == before


async def test_a_merchant_sells_its_own_products_only(store: Store) -> None:
    kernel, client = store
    # given two merchants
    mine = await sign_up(client, "merchant", merchant_id="m-1")
    theirs = await sign_up(client, "merchant", merchant_id="m-2")
    # when the first creates a product, it is its own (merchant_id omitted)
    product = await create_product(client, product_body(), headers=mine.headers)
    assert product["merchant_id"] == "m-1"
    # and it may change it
    renamed = await client.patch(
        f"/v1/products/{product['id']}", json={"name": "Better Tee"}, headers=mine.headers
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Better Tee"
    # but the other merchant may not touch it, nor sell in another merchant's name
    before = await counts(kernel)
    refused = [
        await client.patch(
            f"/v1/products/{product['id']}", json={"name": "Stolen"}, headers=theirs.headers
        ),
        await client.delete(f"/v1/products/{product['id']}", headers=theirs.headers),
        await client.post(
            f"/v1/products/{product['id']}/variants",
            json={"sku": "TEE-2", "price": "5.00"},
            headers=theirs.headers,
        ),
        await client.patch(
            f"/v1/products/{product['id']}/variants/{product['variants'][0]['id']}",
            json={"price": "1.00"},
            headers=theirs.headers,
        ),
        await client.post(
            "/v1/products",
            json=product_body(skus=("OTHER-1",), merchant_id="m-1"),
            headers=theirs.headers,
        ),
    ]
    assert [(r.status_code, r.json()["code"]) for r in refused] == [(403, "not_your_product")] * 5
    assert await counts(kernel) == before
    assert (await client.get(f"/v1/products/{product['id']}")).json()["name"] == "Better Tee"


async def test_another_merchants_draft_is_not_found_by_writes_either(store: Store) -> None:
    """A draft is invisible to other merchants (GET answers 404): writes answer the same
    404, not a 403 that would tell them it exists."""
    kernel, client = store
    # given a merchant's draft and another merchant
    owner = await sign_up(client, "merchant", merchant_id="m-1")
    other = await sign_up(client, "merchant", merchant_id="m-2")
    draft = await create_product(client, product_body(status="draft"), headers=owner.headers)
    path = f"/v1/products/{draft['id']}"
    variant = f"{path}/variants/{draft['variants'][0]['id']}"
    before = await counts(kernel)
    # when the other merchant tries every write on it
    refused = [
        await client.patch(path, json={"name": "Stolen"}, headers=other.headers),
        await client.delete(path, headers=other.headers),
        await client.post(
            f"{path}/variants", json={"sku": "TEE-2", "price": "5.00"}, headers=other.headers
        ),
        await client.patch(variant, json={"price": "1.00"}, headers=other.headers),
    ]
    # then each is answered exactly like a GET of it (and of a product that does not exist)
    unknown = await client.get("/v1/products/0190f1a2-0000-7000-8000-000000000000")
    seen = await client.get(path, headers=other.headers)
    assert [(r.status_code, r.json()["code"]) for r in refused] == [(404, "not_found")] * 4
    assert (seen.status_code, seen.json()["code"]) == (unknown.status_code, "not_found")
    # and nothing changed
    assert await counts(kernel) == before
    mine = (await client.get(path, headers=owner.headers)).json()
    assert (mine["name"], mine["status"], mine["price"]) == ("Classic Tee", "draft", "19.99")


async def test_merchants_cannot_shape_the_category_tree(store: Store) -> None:
    kernel, client = store
    merchant = await sign_up(client, "merchant", merchant_id="m-1")
    before = await counts(kernel)
    answer = await client.post("/v1/categories", json={"name": "Mine"}, headers=merchant.headers)
    assert answer.status_code == 403
    assert await counts(kernel) == before


# -- visibility ------------------------------------------------------------------------


async def test_drafts_are_seen_by_their_merchant_and_admins_only(store: Store) -> None:
    _, client = store
    owner = await sign_up(client, "merchant", merchant_id="m-1")
    other = await sign_up(client, "merchant", merchant_id="m-2")
    customer = await sign_up(client, "customer")
    draft = await create_product(client, product_body(status="draft"), headers=owner.headers)
    path = f"/v1/products/{draft['id']}"
    assert (await client.get(path)).status_code == 404
    assert (await client.get(path, headers=customer.headers)).status_code == 404
    assert (await client.get(path, headers=other.headers)).status_code == 404
    assert (await client.get(path, headers=owner.headers)).status_code == 200
    assert (await client.get(path, headers=ADMIN_HEADERS)).status_code == 200


async def test_a_product_is_read_by_its_slug_as_by_its_id(store: Store) -> None:
    _, client = store
    # given an active product and a merchant's draft
    product = await create_product(client, product_body("Blue Mug", status="active"))
    owner = await sign_up(client, "merchant", merchant_id="m-1")
    draft = await create_product(
        client, product_body("Secret Mug", skus=("SM-1",), status="draft"), headers=owner.headers
    )
    # when anyone reads the product by its slug
    by_slug = await client.get("/v1/products/blue-mug")
    # then it is the product read by its id
    assert by_slug.status_code == 200, by_slug.text
    assert by_slug.json() == (await client.get(f"/v1/products/{product['id']}")).json()
    # and the draft's slug follows the draft's rules: its merchant sees it, the public does not
    assert draft["slug"] == "secret-mug"
    assert (await client.get("/v1/products/secret-mug")).status_code == 404
    mine = await client.get("/v1/products/secret-mug", headers=owner.headers)
    assert (mine.status_code, mine.json()["id"]) == (200, draft["id"])
    # and its merchant changes it by its slug too
    patched = await client.patch(
        "/v1/products/secret-mug", json={"description": "Soon"}, headers=owner.headers
    )
    assert (patched.status_code, patched.json()["id"]) == (200, draft["id"])
    # and a slug no product has is 404
    missing = await client.get("/v1/products/no-such-mug")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


async def test_an_unknown_product_is_404(store: Store) -> None:
    _, client = store
    answer = await client.get("/v1/products/0190f1a2-0000-7000-8000-000000000000")
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")


# -- changing and archiving ---------------------------------------------------------------


async def test_patch_changes_what_it_names_and_publishes_the_fields(store: Store) -> None:
    kernel, client = store
    kitchen = await create_category(client, "Kitchen")
    product = await create_product(client, product_body(attributes={"material": "cotton"}))
    answer = await client.patch(
        f"/v1/products/{product['id']}",
        json={
            "name": "Linen Tee",
            "category_id": kitchen["id"],
            "attributes": {"material": "linen"},
            "compare_at_price": "29.99",
            "requires_shipping": False,
        },
        headers=ADMIN_HEADERS,
    )
    assert answer.status_code == 200, answer.text
    changed = answer.json()
    assert changed["name"] == "Linen Tee" and changed["category"]["id"] == kitchen["id"]
    assert changed["compare_at_price"] == "29.99" and changed["requires_shipping"] is False
    assert changed["description"] == "" and changed["images"] == []  # untouched
    (updated,) = await event_payloads(kernel, "product.updated")
    assert sorted(updated["fields"]) == [
        "attributes",
        "category_id",
        "compare_at_price",
        "name",
        "requires_shipping",
    ]
    # the search index and the attribute rows follow
    await settle(kernel)
    found = await client.get("/v1/products", params={"q": "linen", "attr": "material:linen"})
    assert [p["id"] for p in found.json()["items"]] == [product["id"]]
    stale = await client.get("/v1/products", params={"attr": "material:cotton"})
    assert stale.json()["items"] == []
    # and null clears a nullable field
    cleared = await client.patch(
        f"/v1/products/{product['id']}",
        json={"category_id": None, "compare_at_price": None},
        headers=ADMIN_HEADERS,
    )
    assert (cleared.json()["category"], cleared.json()["compare_at_price"]) == (None, None)


async def test_a_patch_that_changes_nothing_publishes_nothing(store: Store) -> None:
    kernel, client = store
    product = await create_product(client, product_body())
    before = await counts(kernel)
    answer = await client.patch(
        f"/v1/products/{product['id']}", json={"name": product["name"]}, headers=ADMIN_HEADERS
    )
    assert answer.status_code == 200
    assert await counts(kernel) == before


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"name": None}, 422, "validation_failed"),
        ({"status": "deleted"}, 422, "validation_failed"),
        ({"compare_at_price": "10.00"}, 422, "invalid_compare_at_price"),
        ({"compare_at_price": "25.001"}, 422, "invalid_amount"),
        ({"category_id": "nope"}, 422, "unknown_category"),
    ],
)
async def test_invalid_patches_change_nothing(
    store: Store, change: dict[str, object], status: int, code: str
) -> None:
    kernel, client = store
    product = await create_product(client, product_body(price="19.99"))
    before = await counts(kernel)
    answer = await client.patch(f"/v1/products/{product['id']}", json=change, headers=ADMIN_HEADERS)
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert await counts(kernel) == before
    assert (await client.get(f"/v1/products/{product['id']}")).json() == product


async def test_delete_archives_the_product_once(store: Store) -> None:
    kernel, client = store
    product = await create_product(client, product_body())
    # when it is deleted twice
    first = await client.delete(f"/v1/products/{product['id']}", headers=ADMIN_HEADERS)
    second = await client.delete(f"/v1/products/{product['id']}", headers=ADMIN_HEADERS)
    # then it is archived, kept, and product.archived was published once
    assert first.status_code == second.status_code == 200
    assert first.json()["status"] == "archived"
    assert [e["product_id"] for e in await event_payloads(kernel, "product.archived")] == [
        product["id"]
    ]
    # and shoppers no longer see it; its admin does
    assert (await client.get(f"/v1/products/{product['id']}")).status_code == 404
    assert (await client.get("/v1/products")).json()["items"] == []
    kept = await client.get(f"/v1/products/{product['id']}", headers=ADMIN_HEADERS)
    assert kept.json()["status"] == "archived"


# -- many at once (imports, demo stores) ---------------------------------------------------


async def test_create_products_makes_a_lot_at_once_or_nothing(store: Store) -> None:
    kernel, client = store
    # given a product named Lamp already
    await create_product(client, product_body("Lamp", skus=("L-0",)))
    lot = [
        NewProduct(
            ProductIn(name="Lamp", variants=[VariantIn(sku="L-1", price=Decimal(5))]), "m-1"
        ),
        NewProduct(
            ProductIn(
                name="Other", slug="lamp-2", variants=[VariantIn(sku="L-2", price=Decimal(5))]
            ),
            None,
        ),
        NewProduct(ProductIn(name="Lamp", variants=[VariantIn(sku="L-3", price=Decimal(5))]), None),
    ]
    with bind(tenant_id=TENANT):
        # when a lot is created, slugs asked for come first, made-up ones take what is free
        async with kernel.uow() as uow:
            made = await service.create_products(
                uow, items=lot, currency_default="EUR", now=kernel.clock.now()
            )
            await uow.commit()
        assert [(p.slug, p.merchant_id, p.currency) for p in made] == [
            ("lamp-3", "m-1", "EUR"),
            ("lamp-2", None, "EUR"),
            ("lamp-4", None, "EUR"),
        ]
        # and a lot with one bad product writes nothing at all
        before = await counts(kernel)
        bad = [
            NewProduct(
                ProductIn(name="Fine", variants=[VariantIn(sku="F-1", price=Decimal(1))]), None
            ),
            NewProduct(
                ProductIn(name="Dup", variants=[VariantIn(sku="L-1", price=Decimal(1))]), None
            ),
        ]
        async with kernel.uow() as uow:
            with pytest.raises(RuleViolated):
                await service.create_products(
                    uow, items=bad, currency_default="USD", now=kernel.clock.now()
                )
            await uow.commit()
    assert await counts(kernel) == before
