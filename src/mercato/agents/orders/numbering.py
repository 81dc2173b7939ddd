"""Human order numbers, `{prefix}-{YYYY}-{7-digit sequence}` (`ORD-2026-0001234`), one
sequence per store and year of `placed_at` (UTC: EC012, an order placed at 23:59:59.999 on
31 December takes that year's number, whatever time it is when the statement runs).

The sequence is claimed with ONE statement: insert the year's counter at 1, or on conflict
add one to it, returning the value. It is the one row every checkout of a store writes. On
PostgreSQL it is claimed in a short transaction of its own (`uow.aside()`), so its lock is
held for that statement, not until the placing transaction commits: concurrent checkouts no
longer queue behind each other's whole `place` step (ADR 22). Numbers are distinct and
increase; a placement that rolls back after claiming one leaves a gap (as Shopify's order
numbers do). On SQLite, writers are serialized already: the claim is the unit of work's, and
a rolled-back placement gives its number back.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite

from mercato.agents.orders.models import OrderCounter
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import TenantContextMissing
from mercato.kernel.prepared import ConnectionDriver, Prepared
from mercato.kernel.store_sql import in_store

DIGITS = 7
_NUMBER = re.compile(r"[A-Z]{2,6}-[0-9]{4}-[0-9]{7,18}")  # prefix, year, DIGITS or more


def is_number(text: str) -> bool:
    """Whether `text` has the shape of an order number (any store's prefix)."""
    return _NUMBER.fullmatch(text) is not None


def format_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year:04d}-{sequence:0{DIGITS}d}"


def year_of(placed_at: datetime) -> int:
    """The year an order placed at `placed_at` is numbered in (its UTC date's year)."""
    return placed_at.astimezone(UTC).year


async def next_number(uow: UnitOfWork, *, placed_at: datetime) -> str:
    """The next number of the store in context for an order placed at `placed_at`."""
    tenant = context.current_tenant()
    if tenant is None:
        raise TenantContextMissing()
    year = year_of(placed_at)
    if uow.session.get_bind().dialect.name == "sqlite":
        sequence = await _CLAIM["sqlite"].scalar(uow, tenant_id=tenant, year=year, value=1)
    else:
        async with uow.aside() as connection:  # the counter's row is locked for one statement
            sequence = await _CLAIM["postgresql"].scalar(
                ConnectionDriver(connection), tenant_id=tenant, year=year, value=1
            )
    return format_number(uow.settings.order_number_prefix, year, int(sequence))


def _claim(insert: Any) -> Prepared:
    """Insert the year's counter at 1, or add one to it; its value after (prepared: every
    checkout claims one)."""
    return Prepared(
        in_store(
            insert(_COUNTERS)
            .on_conflict_do_update(
                index_elements=[_COUNTERS.c.tenant_id, _COUNTERS.c.year],
                set_={"value": _COUNTERS.c.value + 1},
            )
            .returning(_COUNTERS.c.value)
        ),
        columns=["tenant_id", "year", "value"],
    )


_COUNTERS = cast(Table, OrderCounter.__table__)
_CLAIM = {"postgresql": _claim(postgresql.insert), "sqlite": _claim(sqlite.insert)}
