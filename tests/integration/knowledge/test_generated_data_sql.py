"""Generated SQL loads into a freshly migrated store (SQLite and PostgreSQL) statement by
statement without a constraint error, reads back as generated, and the store then works on
it: its orders read, ship and number on, its customers sign in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from mercato.agents.knowledge.testdata import (
    PASSWORD,
    GenerationRequest,
    GenerationResult,
    generate,
    statements,
)
from mercato.agents.orders.numbering import next_number
from mercato.kernel import migrate
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN
from tests.support.store import store_for


@pytest.fixture
def database(settings: Settings) -> Iterator[Engine]:
    engine = create_engine(migrate.sync_url(settings.resolved_database_url))
    yield engine
    engine.dispose()


def dialect_of(settings: Settings) -> str:
    return "sqlite" if settings.is_sqlite else "postgresql"


def load(engine: Engine, document: str) -> int:
    """Run the document's statements one by one in one transaction, as a user's script
    would (foreign keys enforced on SQLite too); how many ran."""
    done = 0
    with engine.begin() as conn:
        cursor = conn.connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA foreign_keys=ON")
        for statement in statements(document):
            cursor.execute(statement)
            done += 1
    return done


def scalar(engine: Engine, query: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(query)).scalar_one()


def sql_of(entity: str, count: int, settings: Settings, **more: Any) -> GenerationResult:
    request = GenerationRequest(
        entity, count, output_format="sql", seed=11, sql_dialect=dialect_of(settings), **more
    )
    return generate(request)


def test_a_thousand_orders_with_their_records_load_and_pass_the_rules(
    settings: Settings, database: Engine
) -> None:
    # given 1,000 orders in several scenarios, as SQL for this backend
    result = sql_of(
        "order",
        1000,
        settings,
        scenario_counts={"high_value": 50, "card_declined": 50, "full_refund": 50},
        scenarios=["happy_path", "international", "multi_currency", "guest_checkout"],
    )
    assert result.coherence_score == 1.0
    # when it is loaded into the fresh database statement by statement
    assert load(database, result.data) > 10
    # then every table holds the rows generated
    for table, rows in result.related_counts.items():
        assert scalar(database, f"SELECT COUNT(*) FROM {table}") == rows, table
    assert result.related_counts["orders"] == 1000
    assert result.related_counts["payments"] > 900
    # and each payment equals its order's total (BR004), in the database
    assert (
        scalar(
            database,
            "SELECT COUNT(*) FROM payments p JOIN orders o ON o.id = p.order_id "
            "WHERE p.amount <> o.total",
        )
        == 0
    )
    # and every line, cart item and reservation refers to a variant that exists
    for table in ("order_lines", "cart_items", "stock_reservations"):
        assert (
            scalar(
                database,
                f"SELECT COUNT(*) FROM {table} t LEFT JOIN product_variants v "
                "ON v.id = t.variant_id WHERE v.id IS NULL",
            )
            == 0
        ), table
    # and every order's customer is an account of the store (guests have none)
    assert (
        scalar(
            database,
            "SELECT COUNT(*) FROM orders o LEFT JOIN users u ON u.id = o.customer_id "
            "WHERE o.customer_id IS NOT NULL AND u.id IS NULL",
        )
        == 0
    )
    # and stock rows hold exactly what confirmed orders reserved
    assert (
        scalar(
            database,
            "SELECT COUNT(*) FROM stock_levels s WHERE s.reserved <> (SELECT COALESCE(SUM("
            "r.quantity), 0) FROM stock_reservations r WHERE r.stock_level_id = s.id AND "
            "r.status = 'allocated')",
        )
        == 0
    )


async def test_the_store_works_on_the_loaded_data(settings: Settings, database: Engine) -> None:
    # given 200 orders loaded into the store's database
    result = sql_of("order", 200, settings, workflow="checkout")
    load(database, result.data)
    confirmed = next(
        r for r in result.records
        if r["status"] == "confirmed" and r["review"] is None and r["customer"]
    )  # fmt: skip
    async with store_for(settings, start=False) as (kernel, client):
        # when the store reads a generated order
        read = await client.get(f"/v1/orders/{confirmed['id']}", headers=ADMIN)
        # then it is as generated
        assert read.status_code == 200, read.text
        assert (read.json()["number"], read.json()["total"]) == (
            confirmed["number"],
            confirmed["total"],
        )
        # and it ships: the stock its reservation held leaves
        shipped = await client.post(
            f"/v1/orders/{confirmed['id']}/ship", json={"carrier": "UPS"}, headers=ADMIN
        )
        assert shipped.status_code == 200, shipped.text
        assert shipped.json()["status"] == "shipped"
        # and its customer signs in with the generated password
        login = await client.post(
            "/v1/auth/login",
            json={"email": confirmed["customer"]["email"], "password": PASSWORD},
        )
        assert login.status_code == 200, login.text
        # and the store's next order number is not one of the generated ones
        with bind(tenant_id="default"):
            async with kernel.uow() as uow:
                number = await next_number(uow, placed_at=kernel.clock.now())
                await uow.rollback()
        assert number not in {r["number"] for r in result.records}


@pytest.mark.edge_case("EC009")
@pytest.mark.edge_case("EC015")
def test_edge_case_records_load_or_are_left_out_as_the_store_would(
    settings: Settings, database: Engine
) -> None:
    # given orders with every edge case an order can show, in portable SQL
    result = generate(
        GenerationRequest(
            "order",
            20,
            include_edge_cases=True,
            output_format="sql",
            seed=5,
            sql_dialect="portable",
        )
    )
    assert result.edge_case_violations_ok
    # when it is loaded (the refused records are comments)
    load(database, result.data)
    # then the accepted edge cases are in the store, quotes and all
    with database.connect() as conn:
        names = {row[0] for row in conn.execute(text("SELECT full_name FROM users")).all()}
    assert {"O'Brien", "José García", "日本語", "🎉 Party"} <= names
    assert (
        scalar(database, "SELECT COUNT(*) FROM products WHERE name = '''; DROP TABLE products; --'")
        == 1
    )
    # and the refused ones are not
    refused = [r for r in result.records if r.get("breaks_rule")]
    assert refused
    for record in refused:
        assert scalar(database, f"SELECT COUNT(*) FROM orders WHERE id = '{record['id']}'") == 0


@pytest.mark.parametrize("entity", ["customer", "cart", "payment", "product"])
def test_every_entity_loads(settings: Settings, database: Engine, entity: str) -> None:
    result = sql_of(entity, 100, settings, include_edge_cases=True)
    assert result.coherence_score == 1.0
    assert result.edge_case_violations_ok
    load(database, result.data)
    for table, rows in result.related_counts.items():
        assert scalar(database, f"SELECT COUNT(*) FROM {table}") == rows, table
