"""A writer's BEGIN IMMEDIATE runs on the event loop's thread only when it cannot wait: if
another process holds the file's write lock, nothing is begun and the caller waits for it
on aiosqlite's worker (ADR 22)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from mercato.kernel.db import _BUSY_TIMEOUT_MS, _begin_immediate_at_once


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    connection.execute("PRAGMA journal_mode=WAL")
    return connection


def test_a_free_write_lock_is_taken_at_once(tmp_path: Path) -> None:
    # given a file no one writes
    mine = _connect(tmp_path / "store.db")
    # when a writer begins
    begun = _begin_immediate_at_once(mine)
    # then it holds the write lock, and its busy timeout is back to the kernel's
    assert begun and mine.in_transaction
    assert mine.execute("PRAGMA busy_timeout").fetchone() == (_BUSY_TIMEOUT_MS,)
    mine.execute("COMMIT")


def test_a_write_lock_another_process_holds_is_not_waited_for_here(tmp_path: Path) -> None:
    # given another connection (another process) holding the file's write lock
    other = _connect(tmp_path / "store.db")
    other.execute("BEGIN IMMEDIATE")
    mine = _connect(tmp_path / "store.db")
    # when a writer tries to begin on this thread
    begun = _begin_immediate_at_once(mine)
    # then it gave up at once, began nothing, and kept its busy timeout for the worker's wait
    assert not begun and not mine.in_transaction
    assert mine.execute("PRAGMA busy_timeout").fetchone() == (_BUSY_TIMEOUT_MS,)
    other.execute("ROLLBACK")
