"""`mercato catalog import FILE`: CSV or JSON, a progress bar, a report of the rejected
products with their rows and why, and never half a product. Exit codes: 0 all imported,
1 some rejected, 2 a file that is not a catalog."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner, Result

from mercato.agents.catalog.importer import import_items, parse_json
from mercato.agents.catalog.models import Category, Product, Variant
from mercato.cli import app
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.catalog.conftest import TENANT, Counts, counts, event_payloads
from tests.support.store import store_for

runner = CliRunner()

HEADER = (
    "product,name,description,category,status,currency,is_free,requires_shipping,images,"
    "sku,variant_title,price,compare_at_price,attr:colour,attr:size"
)
IMAGES = "https://img.example/t1.jpg|https://img.example/t2.jpg"
GOOD_CSV = f"""{HEADER}
tee,Classic Tee,Soft cotton,Clothing > T-Shirts,active,,,,{IMAGES},TEE-R-M,Red M,19.99,25.00,Red,M
tee,,,,,,,,,TEE-B-M,Blue M,19.99,,Blue,M
mug,Enamel Mug,,Home > Kitchen,draft,,,,,MUG-1,,9.50,,White,
card,Gift Card,,,,,true,false,,CARD-1,,0,,,
"""


def env_for(settings: Settings) -> dict[str, str]:
    env = {
        "MERCATO_DATA_DIR": str(settings.data_dir),
        "MERCATO_DATABASE_URL": settings.resolved_database_url,
        "MERCATO_LOG_LEVEL": "WARNING",
        "MERCATO_ADMIN_API_KEY": settings.admin_api_key or "",
    }
    if settings.jwt_signing_keys:
        env["MERCATO_JWT_SIGNING_KEYS"] = json.dumps(settings.jwt_signing_keys)
    return env


async def run_import(settings: Settings, path: Path, *args: str) -> Result:
    """The command, run in a thread (it runs its own event loop)."""
    return await asyncio.to_thread(
        runner.invoke, app, ["catalog", "import", str(path), *args], env=env_for(settings)
    )


async def store_counts(settings: Settings) -> Counts:
    async with store_for(settings, start=False) as (kernel, _):
        return await counts(kernel)


async def products_by_name(settings: Settings) -> dict[str, tuple[Product, list[Variant]]]:
    async with store_for(settings, start=False) as (kernel, _):
        with bind(tenant_id=TENANT):
            async with kernel.uow(writes=False) as uow:
                products = list(await uow.session.scalars(select(Product)))
                variants = list(
                    await uow.session.scalars(select(Variant).order_by(Variant.position))
                )
    return {p.name: (p, [v for v in variants if v.product_id == p.id]) for p in products}


async def category_paths(settings: Settings) -> set[str]:
    async with store_for(settings, start=False) as (kernel, _):
        with bind(tenant_id=TENANT):
            async with kernel.uow(writes=False) as uow:
                categories = {c.id: c for c in await uow.session.scalars(select(Category))}
    return {
        " > ".join(categories[i].name for i in c.path.strip("/").split("/"))
        for c in categories.values()
    }


async def test_a_good_csv_is_imported_whole(settings: Settings, tmp_path: Path) -> None:
    # given a CSV of three products (four variants)
    path = tmp_path / "catalog.csv"
    path.write_text(GOOD_CSV)
    # when it is imported
    result = await run_import(settings, path)
    # then every product is there, and the summary says so
    assert result.exit_code == 0, result.output
    assert "imported 3 products / 4 variants, rejected 0" in result.output
    found = await products_by_name(settings)
    tee, tee_variants = found["Classic Tee"]
    assert (tee.description, tee.status, tee.price, tee.currency) == (
        "Soft cotton",
        "active",
        Decimal("19.99"),
        "USD",
    )
    assert tee.images == ["https://img.example/t1.jpg", "https://img.example/t2.jpg"]
    assert [(v.sku, v.title, v.attributes) for v in tee_variants] == [
        ("TEE-R-M", "Red M", {"colour": "Red", "size": "M"}),
        ("TEE-B-M", "Blue M", {"colour": "Blue", "size": "M"}),
    ]
    assert tee_variants[0].compare_at_price == 25
    assert found["Enamel Mug"][0].status == "draft"
    card = found["Gift Card"][0]
    assert (card.is_free, card.requires_shipping, card.price) == (True, False, 0)
    # the category paths were made, once each level
    assert await category_paths(settings) == {
        "Clothing",
        "Clothing > T-Shirts",
        "Home",
        "Home > Kitchen",
    }
    # and product.created was published for each
    async with store_for(settings, start=False) as (kernel, _):
        assert len(await event_payloads(kernel, "product.created")) == 3


async def test_a_json_catalog_with_category_paths(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    products = [
        {
            "name": "Cast Iron Skillet",
            "category": "Home > Kitchen > Cookware",
            "attributes": {"material": "Cast iron"},
            "variants": [{"sku": "SK-10", "price": "45.00"}, {"sku": "SK-12", "price": 55}],
        },
        {
            "name": "Dutch Oven",
            "category": "home > KITCHEN > Cookware",
            "variants": [{"sku": "DO-1", "price": "120.00"}],
        },
    ]
    path.write_text(json.dumps(products))
    result = await run_import(settings, path, "--merchant", "m-7")
    assert result.exit_code == 0, result.output
    assert "imported 2 products / 3 variants, rejected 0" in result.output
    found = await products_by_name(settings)
    assert {p.merchant_id for p, _ in found.values()} == {"m-7"}
    assert found["Dutch Oven"][0].category_id == found["Cast Iron Skillet"][0].category_id
    assert await category_paths(settings) == {"Home", "Home > Kitchen", "Home > Kitchen > Cookware"}


async def test_rejected_rows_are_reported_and_the_rest_imported(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "catalog.csv"
    path.write_text(
        f"""{HEADER}
good,Good Lamp,,Home,,,,,,LAMP-1,,30.00,,,
cheap,Too Precise,,,,,,,,P-1,,19.999,,,
zero,Zero Price,,,,,,,,Z-1,,0,,,
noname,,,,,,,,,N-1,,5.00,,,
badvariant,Bad Variant,,,,,,,,BV-1,,5.00,,,
badvariant,,,,,,,,,BV-2,,five,,,
,Orphan Row,,,,,,,,O-1,,5.00,,,
""",
        encoding="utf-8",
    )
    result = await run_import(settings, path)
    assert result.exit_code == 1, result.output
    assert "imported 1 products / 1 variants, rejected 5" in result.output
    for fragment in (
        "invalid_amount",
        "br012_positive_price",
        "validation_failed",
        "row 7 price",
        "6, 7",
        "the product column is empty",
    ):
        assert fragment in result.output, fragment
    assert set(await products_by_name(settings)) == {"Good Lamp"}


async def test_a_row_with_an_absurd_amount_is_rejected_and_the_rest_imported(
    settings: Settings, tmp_path: Path
) -> None:
    """An amount out of any range (`-1e30`, `1e30`) is one rejected row, not an import that
    stops half-way without a report."""
    # given good products around rows whose price or compare-at price is out of range
    path = tmp_path / "catalog.csv"
    path.write_text(
        f"""{HEADER}
lamp,Good Lamp,,Home,,,,,,LAMP-1,,30.00,,,
huge,Huge Debt,,,,,,,,H-1,,-1e30,,,
vase,Good Vase,,Home,,,,,,VASE-1,,12.00,,,
pricey,Pricey,,,,,,,,P-1,,10.00,1e30,,
rug,Good Rug,,,,,,,,RUG-1,,99.00,,,
"""
    )
    # when it is imported
    result = await run_import(settings, path)
    # then the good products are imported and the bad rows reported, with exit code 1
    assert result.exit_code == 1, result.output
    assert "imported 3 products / 3 variants, rejected 2" in result.output
    assert "row 3 price" in result.output and "row 5 compare_at_price" in result.output
    assert set(await products_by_name(settings)) == {"Good Lamp", "Good Vase", "Good Rug"}
    async with store_for(settings, start=False) as (kernel, _):
        created = await event_payloads(kernel, "product.created")
    assert sorted(e["name"] for e in created) == ["Good Lamp", "Good Rug", "Good Vase"]


async def test_a_json_product_with_an_absurd_amount_is_rejected_alone(settings: Settings) -> None:
    # given a batch of good products with one priced at -1e30 (a JSON number) among them
    items = parse_json(
        json.dumps(
            [
                {"name": "Lamp", "variants": [{"sku": "L-1", "price": "30"}]},
                {"name": "Debt", "variants": [{"sku": "D-1", "price": -1e30}]},
                {"name": "Vase", "variants": [{"sku": "V-1", "price": "12"}]},
            ]
        )
    )
    async with store_for(settings, start=False) as (kernel, _):
        # when it is imported
        with bind(tenant_id=TENANT):
            report = await import_items(kernel, items)
        # then the two good ones are written and the bad one is reported
        assert (report.products, report.variants) == (2, 2)
        assert [(r.rows, r.key, r.code) for r in report.rejected] == [
            ((2,), "Debt", "validation_failed")
        ]
        assert (await counts(kernel)).products == 2


async def test_a_rejected_product_leaves_nothing_behind(settings: Settings, tmp_path: Path) -> None:
    """Its second variant's SKU is taken: no product, no variant, no category it alone
    created, no event; the products around it are imported."""
    path = tmp_path / "catalog.csv"
    path.write_text(
        f"""{HEADER}
first,First,,Shop > One,,,,,,A-1,,5.00,,,
second,Second,,Garden > Tools > Spades,,,,,,B-1,,5.00,,,
second,,,,,,,,,A-1,,6.00,,,
third,Third,,Shop > One,,,,,,C-1,,5.00,,,
"""
    )
    result = await run_import(settings, path)
    assert result.exit_code == 1, result.output
    assert "br013_unique_sku" in result.output and "3, 4" in result.output
    found = await products_by_name(settings)
    assert set(found) == {"First", "Third"}
    assert await category_paths(settings) == {"Shop", "Shop > One"}
    after = await store_counts(settings)
    assert (after.products, after.variants) == (2, 2)
    async with store_for(settings, start=False) as (kernel, _):
        created = await event_payloads(kernel, "product.created")
    assert sorted(e["name"] for e in created) == ["First", "Third"]


async def test_importing_a_file_twice_rejects_every_product_the_second_time(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "catalog.csv"
    path.write_text(GOOD_CSV)
    assert (await run_import(settings, path)).exit_code == 0
    before = await store_counts(settings)
    again = await run_import(settings, path)
    assert again.exit_code == 1
    assert "imported 0 products / 0 variants, rejected 3" in again.output
    assert await store_counts(settings) == before


@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        ("catalog.json", "[{", (), "not valid JSON"),
        ("catalog.json", '{"name": "x"}', (), "a list of products"),
        ("catalog.csv", "name,price\nTee,5\n", (), "missing columns: product, sku"),
        ("catalog.csv", f"{HEADER},colour\n", (), "unknown columns: colour"),
        ("catalog.csv", "", (), "no header"),
        ("catalog.txt", "[]", (), "--format"),
        ("missing.json", None, (), "cannot read"),
    ],
)
async def test_a_file_that_is_not_a_catalog_exits_2_and_writes_nothing(
    settings: Settings,
    tmp_path: Path,
    name: str,
    content: str | None,
    args: tuple[str, ...],
    message: str,
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    before = await store_counts(settings)
    result = await run_import(settings, path, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert await store_counts(settings) == before


async def test_format_option_overrides_the_extension(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "catalog.txt"
    path.write_text(json.dumps([{"name": "Tee", "variants": [{"sku": "T-1", "price": "5"}]}]))
    result = await run_import(settings, path, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "imported 1 products / 1 variants" in result.output


async def test_batches_commit_separately_and_atomically(settings: Settings) -> None:
    """Products are written in batches, each product in its own SAVEPOINT: a rejection in
    the middle of a batch keeps the products before and after it."""
    items = parse_json(
        json.dumps(
            [
                {
                    "name": f"Item {n}",
                    "variants": [{"sku": f"I-{n % 4 if n == 5 else n}", "price": "1"}],
                }
                for n in range(7)
            ]
        )
    )
    async with store_for(settings, start=False) as (kernel, _):
        ticks: list[None] = []
        with bind(tenant_id=TENANT):
            report = await import_items(
                kernel, items, batch_size=2, on_progress=lambda: ticks.append(None)
            )
        assert (report.products, report.variants, len(ticks)) == (6, 6, 7)
        assert [(r.rows, r.code) for r in report.rejected] == [((6,), "br013_unique_sku")]
        assert (await counts(kernel)).products == 6
