"""Queueing concurrent transactions behind one another by a key (an order's id, a
reference): on PostgreSQL a transaction-scoped advisory lock; SQLite's writers are
serialized by its write lock already, so there it does nothing."""

from __future__ import annotations

from sqlalchemy import text

from mercato.kernel import context
from mercato.kernel.db import UnitOfWork


async def serialize(uow: UnitOfWork, key: str) -> None:
    """Wait until no other transaction holds `key` (in this store), and hold it until this
    one ends."""
    if uow.session.get_bind().dialect.name != "postgresql":
        return
    scoped = f"{context.current_tenant()}:{key}"
    await uow.session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": scoped}
    )
