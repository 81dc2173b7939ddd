"""What SQLite's query planner is told of the store's column (ADR 22).

Every store table has an index on `tenant_id` alone, and every statement on a store table
filters on it. Without statistics SQLite guesses that an equality on any index's first
column narrows to a few rows, so between `tenant_id = ?` and a lookup that uses only the
first column of a better index it may take the store's index and read every row of the
store: the timeline entries of one kind of one order read every entry of every order, a
cart's variants every variant. Told that the store's column narrows nothing (what `ANALYZE`
measures on a one-store file), the planner never takes it for a lookup.

The figures replace what an `ANALYZE` measured for those indexes too: one run on a new
store (the demo's, after seeding) sees a few carts of one store and would say the store's
column narrows to a few rows, which stays in the file while the carts grow.
"""

from __future__ import annotations

from sqlalchemy import Connection

UNSELECTIVE = "1000000 1000000"
"""sqlite_stat1's figures: a million rows, a million of them per store."""

_STORE_INDEXES = """
    SELECT m.tbl_name, m.name FROM sqlite_master AS m
    WHERE m.type = 'index' AND m.name = 'ix_' || m.tbl_name || '_tenant_id'
      AND NOT EXISTS (SELECT 1 FROM sqlite_stat1 AS s WHERE s.idx = m.name AND s.stat = ?)
"""


def tell_planner(connection: Connection) -> int:
    """Record that each store-column index (`ix_<table>_tenant_id`) narrows nothing; how
    many figures changed. `connection`: in a transaction the caller commits. Connections
    opened before read the figures once they reopen."""
    connection.exec_driver_sql("ANALYZE sqlite_master")  # makes sqlite_stat1 if there is none
    indexes = connection.exec_driver_sql(_STORE_INDEXES, (UNSELECTIVE,)).all()
    for table, index in indexes:
        connection.exec_driver_sql("DELETE FROM sqlite_stat1 WHERE idx = ?", (index,))
        connection.exec_driver_sql(
            "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
            (table, index, UNSELECTIVE),
        )
    return len(indexes)
