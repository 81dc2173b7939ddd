"""The relay's poll stays cheap however long the outbox (the audit log, kept forever) grows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.dialects import sqlite

from mercato.kernel.bus.relay import Relay


def test_the_sqlite_relay_reads_pending_events_through_the_partial_index(
    sqlite_template: Path,
) -> None:
    # given the relay's poll, as SQLite receives it, on a migrated database
    query = _relay_stub()._unpublished()  # the statement the pump runs
    sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    # when SQLite plans it
    with sqlite3.connect(sqlite_template) as conn:
        plan = " ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
    # then it walks the index of unpublished events only, never the whole table
    assert "USING INDEX ix_outbox_pending" in plan, plan


def _relay_stub() -> Relay:
    relay = Relay.__new__(Relay)
    relay._batch_size = 500
    return relay
