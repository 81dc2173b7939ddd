"""With statistics from when the store was new, a lookup by a row's own key still goes by
that key, not by the store's column (ADR 22, fifth pass): the timeline entries of one kind
of one order are found through the order's index, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import asyncpg

from mercato.agents.orders.records import DETAILS_OF_KIND
from mercato.kernel import migrate
from mercato.kernel.config import Settings

ORDERS, ENTRIES_EACH = 400, 5


def _fill_timeline(engine: Engine) -> str:
    """ENTRIES_EACH timeline entries for each of ORDERS orders of one store, the orders
    themselves left out (foreign keys off for the filling); one order's id."""
    at = datetime(2026, 12, 5, tzinfo=UTC).isoformat()
    orders = [str(uuid.uuid4()) for _ in range(ORDERS)]
    rows = [
        {"id": str(uuid.uuid4()), "order_id": order, "at": at, "kind": f"k{n}", "tenant": "s1"}
        for order in orders
        for n in range(ENTRIES_EACH)
    ]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(
            text(
                "INSERT INTO order_events (id, order_id, at, kind, actor, detail, tenant_id) "
                "VALUES (:id, :order_id, :at, :kind, NULL, '{}', :tenant)"
            ),
            rows,
        )
    return orders[0]


def _plan(engine: Engine, order_id: str) -> str:
    if engine.dialect.name == "sqlite":
        sql = str(DETAILS_OF_KIND.statement.compile(dialect=sqlite.dialect()))
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", (order_id, "k1", "s1"))
            return " ".join(str(row[3]) for row in rows)
    # PostgreSQL: the plan a prepared statement gets once it goes generic, as the app's do
    sql = DETAILS_OF_KIND.statement.compile(dialect=asyncpg.dialect()).string
    with engine.connect() as conn:
        conn.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
        conn.exec_driver_sql(f"PREPARE details AS {sql}")
        rows = conn.exec_driver_sql(f"EXPLAIN EXECUTE details ('{order_id}', 'k1', 's1')")
        return " ".join(str(row[0]) for row in rows)


def test_a_lookup_by_order_goes_by_the_order_with_a_new_stores_statistics(
    settings: Settings,
) -> None:
    engine = create_engine(migrate.sync_url(settings.resolved_database_url))
    try:
        # given a store analyzed while new (empty), that has grown since
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        order_id = _fill_timeline(engine)
        # when the lookup of one order's entries of one kind is planned
        plan = _plan(engine, order_id)
        # then it goes by the order's index, never through every entry of the store
        assert "ix_order_events_order" in plan, plan
    finally:
        engine.dispose()


def test_a_search_word_is_found_through_trigrams_on_postgresql(settings: Settings) -> None:
    if not settings.resolved_database_url.startswith("postgresql"):
        pytest.skip("SQLite reads the products (it has no trigram index)")
    engine = create_engine(migrate.sync_url(settings.resolved_database_url))
    try:
        # given a store of 2,000 products with descriptions of a few hundred characters, analyzed
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO products (id, tenant_id, name, slug, description, status, "
                "attributes, images, price, currency, is_free, requires_shipping, in_stock, "
                "search_text, created_at, updated_at) "
                "SELECT 'p' || n, 's1', 'p' || n, 'p' || n, '', 'active', '{}', '[]', 100, "
                "'USD', false, true, true, "
                "'oak lamp ' || md5(n::text) || repeat(' made to last', 20), "
                "now(), now() FROM generate_series(1, 2000) AS n"
            )
            conn.exec_driver_sql("ANALYZE products")
        # when a search for a rare word is planned (for the word: PostgreSQL keeps custom
        # plans for this statement, as its generic plan, blind to the word, costs more)
        sql = (
            "SELECT id FROM products WHERE status = $1 AND search_text LIKE $2 "
            "AND tenant_id = $3 ORDER BY created_at DESC, id DESC LIMIT 21"
        )
        with engine.connect() as conn:
            conn.exec_driver_sql(f"PREPARE search AS {sql}")
            word = conn.exec_driver_sql("SELECT left(md5('42'), 10)").scalar_one()
            rows = conn.exec_driver_sql(f"EXPLAIN EXECUTE search ('active', '%%{word}%%', 's1')")
            plan = " ".join(str(row[0]) for row in rows)
        # then its words are looked up in the trigram index, not in every product
        assert "ix_products_search_trgm" in plan, plan
    finally:
        engine.dispose()
