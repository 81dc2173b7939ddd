"""A unit of work held in memory, for unit tests of a service that only adds rows and
publishes events (no query of its own tables): what it added, what it published, whether it
committed. A service that reads its tables gets the real unit of work on SQLite instead
(`tests/conftest.py`'s `kernel`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mercato.kernel.clock import ManualClock
from mercato.kernel.events import Event


@dataclass
class FakeSession:
    added: list[Any] = field(default_factory=list)

    def add(self, row: Any) -> None:
        self.added.append(row)


@dataclass
class FakeUnitOfWork:
    clock: ManualClock = field(default_factory=ManualClock)
    session: FakeSession = field(default_factory=FakeSession)
    published: list[tuple[Event, str]] = field(default_factory=list)
    """(event, aggregate id) in the order published."""
    committed: bool = False

    def publish(self, event: Event, *, aggregate_id: str, tenant_id: str | None = None) -> None:
        self.published.append((event, aggregate_id))

    async def commit(self) -> None:
        self.committed = True

    @property
    def events(self) -> list[str]:
        """The types of the events published, in order (`order.confirmed`, …)."""
        return [event.event_type for event, _ in self.published]

    @property
    def changed_nothing(self) -> bool:
        """Nothing added, nothing published, nothing committed: what a refusal leaves."""
        return not (self.session.added or self.published or self.committed)
