"""Human ticket numbers, `{prefix}-{6-digit sequence}` (`TCK-000123`), one sequence per store,
claimed with one statement (insert the counter at 1, or add one to it, returning the value).
Tickets are few beside orders: the claim is the opening unit of work's own, and its row stays
locked until that commits (on SQLite, writers are serialized anyway). A ticket that rolls
back gives its number back on SQLite and leaves a gap on PostgreSQL."""

from __future__ import annotations

import re
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite

from mercato.agents.support.models import SupportCounter
from mercato.kernel.db import UnitOfWork
from mercato.kernel.store_sql import in_store

DIGITS = 6
_NUMBER = re.compile(r"[A-Z]{2,6}-[0-9]{6,18}")


def is_number(text: str) -> bool:
    """Whether `text` has the shape of a ticket number (any store's prefix)."""
    return _NUMBER.fullmatch(text) is not None


def format_number(prefix: str, sequence: int) -> str:
    return f"{prefix}-{sequence:0{DIGITS}d}"


def _claim(insert: Any) -> Any:
    return in_store(
        insert(_COUNTERS)
        .values(value=1)
        .on_conflict_do_update(
            index_elements=[_COUNTERS.c.tenant_id], set_={"value": _COUNTERS.c.value + 1}
        )
        .returning(_COUNTERS.c.value)
    )


_COUNTERS = cast(Table, SupportCounter.__table__)
_CLAIM = {"postgresql": _claim(postgresql.insert), "sqlite": _claim(sqlite.insert)}


async def next_number(uow: UnitOfWork) -> str:
    """The next number of the store in context."""
    dialect = uow.session.get_bind().dialect.name
    sequence = await uow.session.scalar(_CLAIM[dialect])
    return format_number(uow.settings.support_ticket_prefix, int(sequence or 0))
