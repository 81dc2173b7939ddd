"""SQLite's planner is told that the store's column narrows nothing (ADR 22), so a lookup by
a better index never reads every row of the store."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlalchemy.dialects import sqlite

from mercato.agents.orders.records import DETAILS_OF_KIND
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.sqlite_planner import UNSELECTIVE


def _plan(settings: Settings) -> str:
    """How SQLite would find the timeline entries of one kind of one order."""
    sql = str(DETAILS_OF_KIND.statement.compile(dialect=sqlite.dialect()))
    with sqlite3.connect(settings.data_dir / "mercato.db") as connection:
        rows = connection.execute(f"EXPLAIN QUERY PLAN {sql}", ("o1", "confirmed", "s1"))
        return " ".join(row[3] for row in rows)


def _figures(settings: Settings) -> dict[str, str]:
    with sqlite3.connect(settings.data_dir / "mercato.db") as connection:
        rows = connection.execute("SELECT idx, stat FROM sqlite_stat1")
        return {index: stat for index, stat in rows if index.endswith("_tenant_id")}


async def test_a_lookup_by_order_does_not_take_the_store_index(
    make_settings: Callable[..., Settings],
) -> None:
    # given a migrated store file without statistics, where SQLite takes the store's index
    settings = make_settings("sqlite")
    assert "ix_order_events_tenant_id" in _plan(settings)
    kernel = Kernel.build(settings)
    try:
        # when the kernel prepares to serve
        await kernel.prepare()
    finally:
        await kernel.stop()
    # then every store-column index is told it narrows nothing
    figures = _figures(settings)
    assert figures["ix_order_events_tenant_id"] == UNSELECTIVE
    assert len(figures) > 30 and set(figures.values()) == {UNSELECTIVE}
    # and the lookup goes by the order's index
    plan = _plan(settings)
    assert "ix_order_events_order" in plan and "tenant_id" not in plan


async def test_it_replaces_what_an_analyze_of_a_new_store_measured(
    make_settings: Callable[..., Settings],
) -> None:
    # given an ANALYZE run while the store had two orders' entries
    settings = make_settings("sqlite")
    with sqlite3.connect(settings.data_dir / "mercato.db") as connection:
        connection.execute("ANALYZE")
        connection.execute(
            "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES "
            "('order_events', 'ix_order_events_tenant_id', '2 2')"
        )
    kernel = Kernel.build(settings)
    try:
        # when the kernel prepares to serve, twice
        await kernel.db.tell_planner()
        await kernel.db.tell_planner()
    finally:
        await kernel.stop()
    # then the store's column has the one figure, once
    with sqlite3.connect(settings.data_dir / "mercato.db") as connection:
        stats = connection.execute(
            "SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_order_events_tenant_id'"
        ).fetchall()
    assert stats == [(UNSELECTIVE,)]
