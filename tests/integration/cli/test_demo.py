"""`mercato demo`: a browsable store in one command, the same for the same seed, made once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from mercato import demo
from mercato.cli import app
from mercato.demo import USERS
from mercato.kernel import migrate
from mercato.kernel.config import Settings
from tests.support.store import store_for

runner = CliRunner()


def demo_env(settings: Settings) -> dict[str, str]:
    env = {
        "MERCATO_DATA_DIR": str(settings.data_dir),
        "MERCATO_DATABASE_URL": settings.resolved_database_url,
        "MERCATO_PASSWORD_HASH_TIME_COST": "1",  # cheap hashing in tests only
        "MERCATO_PASSWORD_HASH_MEMORY_KIB": "1024",
        "MERCATO_PASSWORD_HASH_PARALLELISM": "1",
    }
    if settings.jwt_signing_keys:  # scaled mode signs with configured keys
        env["MERCATO_JWT_SIGNING_KEYS"] = json.dumps(settings.jwt_signing_keys)
    return env


async def catalogue(settings: Settings) -> list[dict[str, Any]]:
    """Every product the store lists, with its variants, through the public API."""
    items: list[dict[str, Any]] = []
    async with store_for(settings, start=False) as (_, client):
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 100, "sort": "name"}
            if cursor:
                params["cursor"] = cursor
            page = (await client.get("/v1/products", params=params)).json()
            items += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                return items


async def browse_and_sign_in(settings: Settings) -> tuple[int, int]:
    """How many categories the tree shows, and the status of a demo customer's login."""
    async with store_for(settings, start=False) as (_, client):
        tree = (await client.get("/v1/categories")).json()["items"]
        customer = next(u for u in USERS if u.role == "customer")
        login = await client.post(
            "/v1/auth/login", json={"email": customer.email, "password": customer.password}
        )
    return sum(1 + len(node["children"]) for node in tree), login.status_code


def test_the_demo_fills_the_store_once_and_prints_its_accounts(settings: Settings) -> None:
    # when the demo runs on an empty store
    first = runner.invoke(app, ["demo", "--products", "40"], env=demo_env(settings))
    # then it reports the store it made and the accounts to sign in with
    assert first.exit_code == 0, first.output
    assert "demo store ready: 41 products" in first.output
    for user in USERS:
        assert user.email in first.output and user.password in first.output
    # and the store can be browsed at once: products, variants, availability from the bus
    products = asyncio.run(catalogue(settings))
    assert len(products) == 41
    assert sum(p["in_stock"] for p in products) > 30
    free = [p for p in products if p["is_free"]]
    assert [p["variants"][0]["price"] for p in free] == ["0.00"]
    categories, signed_in = asyncio.run(browse_and_sign_in(settings))
    assert categories >= 20
    assert signed_in == 200

    # when it runs again, then it adds nothing
    again = runner.invoke(app, ["demo", "--products", "40"], env=demo_env(settings))
    assert again.exit_code == 0, again.output
    assert "already there" in again.output
    assert len(asyncio.run(catalogue(settings))) == 41


def test_the_same_seed_makes_the_same_store(
    settings: Settings, make_settings: Any, tmp_path: Path
) -> None:
    # given two empty stores (the second on SQLite in its own directory)
    other = make_settings("sqlite", data_dir=tmp_path / "other")
    # when the demo makes each from the same seed
    for target in (settings, other):
        made = runner.invoke(app, ["demo", "--products", "15", "--seed", "3"], env=demo_env(target))
        assert made.exit_code == 0, made.output

    # then their products, SKUs, prices and stock are the same
    def shape(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [
            (
                p["name"],
                p["slug"],
                tuple((v["sku"], v["price"], v["available"]) for v in p["variants"]),
            )
            for p in items
        ]

    assert shape(asyncio.run(catalogue(settings))) == shape(asyncio.run(catalogue(other)))


def test_a_demo_that_stopped_half_way_is_finished_by_the_next_run(settings: Settings) -> None:
    # given a demo run that dies while writing its second batch's stock (the database
    # refuses the write once the second batch's products are in)
    with power_cut_after(settings, products=demo.BATCH + 1):
        died = runner.invoke(app, ["demo", "--products", "150"], env=demo_env(settings))
    assert died.exit_code != 0
    assert len(asyncio.run(catalogue(settings))) == 101  # the first batch and the free product
    # when the demo runs again
    again = runner.invoke(app, ["demo", "--products", "150"], env=demo_env(settings))
    # then it finishes the store without tripping over what the first run made
    assert again.exit_code == 0, again.output
    assert "demo store ready" in again.output
    assert len(asyncio.run(catalogue(settings))) == 151


@contextmanager
def power_cut_after(settings: Settings, *, products: int) -> Iterator[None]:
    """A fault in the database itself: writing stock fails while more than `products`
    products exist (a trigger, dropped on the way out)."""
    refuse = "the machine lost power"
    if settings.resolved_database_url.startswith("sqlite"):
        create = [
            f"CREATE TRIGGER power_cut BEFORE INSERT ON stock_levels "
            f"WHEN (SELECT count(*) FROM products) > {products} "
            f"BEGIN SELECT RAISE(ABORT, '{refuse}'); END"
        ]
        drop = ["DROP TRIGGER power_cut"]
    else:
        create = [
            f"CREATE FUNCTION power_cut() RETURNS trigger AS $$ BEGIN "
            f"IF (SELECT count(*) FROM products) > {products} THEN RAISE EXCEPTION '{refuse}'; "
            f"END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER power_cut BEFORE INSERT ON stock_levels "
            "FOR EACH ROW EXECUTE FUNCTION power_cut()",
        ]
        drop = ["DROP TRIGGER power_cut ON stock_levels", "DROP FUNCTION power_cut()"]
    engine = create_engine(migrate.sync_url(settings.resolved_database_url))
    try:
        with engine.begin() as conn:
            for statement in create:
                conn.execute(text(statement))
        yield
    finally:
        with engine.begin() as conn:
            for statement in drop:
                conn.execute(text(statement))
        engine.dispose()


def _analyses(settings: Settings) -> int:
    """How many times PostgreSQL has analyzed the products table."""
    engine = create_engine(migrate.sync_url(settings.resolved_database_url))
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    text("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'products'")
                ).scalar_one()
            )
    finally:
        engine.dispose()


def test_a_growing_store_is_analyzed_as_it_is_seeded_on_postgresql(settings: Settings) -> None:
    if settings.resolved_database_url.startswith("sqlite"):
        pytest.skip("SQLite is analyzed once, when the store is complete")
    before = _analyses(settings)
    # when a demo of 450 products is seeded, statistics due at 100 products then each fourfold
    asyncio.run(demo.seed_demo(settings, products=450, seed=7, analyze_first=100))
    # then PostgreSQL analyzed at 101 products (the first batch and the free product), at 401,
    # and once the store was complete
    assert _analyses(settings) - before == 3
