"""A unit of work held in memory, for unit tests of a service that only adds rows and
publishes events (no query of its own tables): what it added (to the session, or inserted by
a prepared statement), what it published, whether it committed. A service that reads its
tables gets the real unit of work on SQLite instead (`tests/conftest.py`'s `kernel`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.dialects import sqlite

from mercato.kernel.clock import ManualClock
from mercato.kernel.events import Event


@dataclass
class FakeDriver:
    """Takes a prepared INSERT's rows (by column); refuses any other statement."""

    dialect: Any = field(default_factory=sqlite.dialect)
    inserted: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """(table, row) in the order inserted."""

    async def execute_many(self, compiled: Any, rows: list[list[Any]]) -> None:
        table = compiled.sql.split()[2]
        for args in rows:
            self.inserted.append((table, dict(zip(compiled.names, args, strict=True))))

    async def fetch(self, compiled: Any, args: list[Any]) -> Any:
        raise AssertionError(f"a fake unit of work answers no query: {compiled.sql}")

    async def execute(self, compiled: Any, args: list[Any]) -> Any:
        raise AssertionError(f"a fake unit of work runs no statement: {compiled.sql}")


@dataclass
class FakeSession:
    added: list[Any] = field(default_factory=list)

    def add(self, row: Any) -> None:
        self.added.append(row)


@dataclass
class FakeUnitOfWork:
    clock: ManualClock = field(default_factory=ManualClock)
    session: FakeSession = field(default_factory=FakeSession)
    prepared: FakeDriver = field(default_factory=FakeDriver)
    published: list[tuple[Event, str]] = field(default_factory=list)
    """(event, aggregate id) in the order published."""
    committed: bool = False

    def publish(self, event: Event, *, aggregate_id: str, tenant_id: str | None = None) -> None:
        self.published.append((event, aggregate_id))

    async def commit(self) -> None:
        self.committed = True

    async def driver(self) -> FakeDriver:
        return self.prepared

    def inserted(self, table: str) -> list[dict[str, Any]]:
        """The rows a prepared statement inserted into `table`, in order."""
        return [row for name, row in self.prepared.inserted if name == table]

    @property
    def events(self) -> list[str]:
        """The types of the events published, in order (`order.confirmed`, …)."""
        return [event.event_type for event, _ in self.published]

    @property
    def changed_nothing(self) -> bool:
        """Nothing added, nothing published, nothing committed: what a refusal leaves."""
        return not (
            self.session.added or self.prepared.inserted or self.published or self.committed
        )
