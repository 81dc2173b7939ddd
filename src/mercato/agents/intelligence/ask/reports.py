"""Reading questions and reports: the asker's own, or any of the store's for staff (those
holding `intelligence:manage`); another's, or another store's, answers as missing."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute

from mercato.agents.intelligence.access import MANAGE
from mercato.agents.intelligence.ask.models import IntelQuery, IntelReport
from mercato.agents.intelligence.ask.problems import (
    QueryElsewhere,
    QueryNotFound,
    ReportElsewhere,
    ReportNotFound,
)
from mercato.kernel import paging
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import NotFound
from mercato.kernel.security import AnotherStoresObject, get_or_404

Row = TypeVar("Row", IntelQuery, IntelReport)


def _sees(principal: Principal, user_id: str) -> bool:
    return principal.can(MANAGE) or principal.id == user_id


async def query_for(uow: UnitOfWork, query_id: str, principal: Principal) -> IntelQuery:
    """The question, if the principal may read it; another store's is recorded as a security
    violation (`get_or_404`) and answers as missing, as another user's does."""
    try:
        row = await get_or_404(uow, IntelQuery, query_id, principal=principal, what="question")
    except AnotherStoresObject as elsewhere:
        raise QueryElsewhere(str(elsewhere), violation=elsewhere.violation) from None
    except NotFound:
        raise QueryNotFound(f"no question {query_id!r}") from None
    if not _sees(principal, row.user_id):
        raise QueryNotFound(f"no question {query_id!r}")
    return row


async def report_for(uow: UnitOfWork, report_id: str, principal: Principal) -> IntelReport:
    try:
        row = await get_or_404(uow, IntelReport, report_id, principal=principal, what="report")
    except AnotherStoresObject as elsewhere:
        raise ReportElsewhere(str(elsewhere), violation=elsewhere.violation) from None
    except NotFound:
        raise ReportNotFound(f"no report {report_id!r}") from None
    if not _sees(principal, row.user_id):
        raise ReportNotFound(f"no report {report_id!r}")
    return row


async def list_queries(
    uow: UnitOfWork, principal: Principal, *, limit: int, cursor: str | None
) -> tuple[list[IntelQuery], str | None]:
    return await _newest_first(uow, principal, IntelQuery, IntelQuery.enqueued_at, limit, cursor)


async def list_reports(
    uow: UnitOfWork, principal: Principal, *, limit: int, cursor: str | None, status: str | None
) -> tuple[list[IntelReport], str | None]:
    filters = [IntelReport.status == status] if status else []
    return await _newest_first(
        uow, principal, IntelReport, IntelReport.created_at, limit, cursor, *filters
    )


async def _newest_first(
    uow: UnitOfWork,
    principal: Principal,
    model: type[Row],
    when: InstrumentedAttribute[datetime],
    limit: int,
    cursor: str | None,
    *filters: ColumnElement[bool],
) -> tuple[list[Row], str | None]:
    """A page of the principal's own rows (any of the store's for staff), newest first."""
    key = paging.decode(cursor, datetime, str)
    order = (when, model.id)
    query = (
        select(model)
        .where(paging.beyond(order, key, descending=True), *filters)
        .order_by(when.desc(), model.id.desc())
        .limit(limit + 1)
    )
    if not principal.can(MANAGE):
        query = query.where(model.user_id == principal.id)
    rows = list((await uow.session.scalars(query)).all())
    return paging.cut(rows, limit, lambda r: (getattr(r, when.key), r.id))
