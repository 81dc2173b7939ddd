"""Lists of tickets and of a ticket's messages, paged by a keyset cursor (kernel/paging.py).
Tickets: a shopper's own, or every ticket of the store for staff, newest first (or the
soonest due first), filtered by status, priority, category, assignee and whether the SLA is
breached now. Messages: oldest first; internal notes for staff only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, false, func, literal, or_, select

from mercato.agents.support.access import is_staff, own_tickets
from mercato.agents.support.models import SupportMessage, SupportTicket
from mercato.agents.support.problems import InvalidTicket
from mercato.agents.support.statuses import Category, Priority, TicketStatus
from mercato.agents.support.views import MessagesPage, MessageView, TicketsPage, TicketView
from mercato.kernel import paging
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork, UTCDateTime

T = SupportTicket


@dataclass(frozen=True)
class TicketFilters:
    status: str | None = None
    priority: str | None = None
    category: str | None = None
    assignee: str | None = None
    """A user id, `me`, or `none` (unassigned)."""
    breached: bool | None = None
    conversation_id: str | None = None
    sort: str = "newest"
    """`newest` (opened last first) or `due` (the soonest solution due first)."""


def breached_at(now: datetime) -> ColumnElement[bool]:
    """The tickets late at `now`: a first response or a solution made after it was due, or
    not yet made and due already (as `sla.late` says of one)."""
    at = literal(now, UTCDateTime())
    return or_(
        func.coalesce(T.first_responded_at, at) > T.first_response_due,
        func.coalesce(T.solved_at, at) > T.resolution_due,
    )


def _where(principal: Principal, filters: TicketFilters, now: datetime) -> list[Any]:
    found: list[ColumnElement[bool]] = [] if is_staff(principal) else [own_tickets(principal)]
    if filters.status is not None:
        found.append(T.status == _member(TicketStatus, filters.status))
    if filters.priority is not None:
        found.append(T.priority == _member(Priority, filters.priority))
    if filters.category is not None:
        found.append(T.category == _member(Category, filters.category))
    if filters.assignee == "none":
        found.append(T.assignee_id.is_(None))
    elif filters.assignee == "me":
        found.append(T.assignee_id == principal.id)
    elif filters.assignee is not None:
        found.append(T.assignee_id == filters.assignee)
    if filters.breached is not None:
        late = breached_at(now)
        found.append(late if filters.breached else ~late)
    if filters.conversation_id is not None:
        found.append(T.conversation_id == filters.conversation_id)
    return found


def _member(kind: type[Any], value: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise InvalidTicket(f"no such {kind.__name__.lower()}: {value!r}") from None


async def list_tickets(
    uow: UnitOfWork,
    *,
    principal: Principal,
    filters: TicketFilters,
    cursor: str | None,
    limit: int,
    now: datetime,
) -> TicketsPage:
    key = paging.decode(cursor, datetime, str)
    query = select(T).where(*_where(principal, filters, now))
    if filters.sort == "due":
        query = query.where(paging.beyond((T.resolution_due, T.id), key, descending=False))
        query = query.order_by(T.resolution_due, T.id)
    else:
        query = query.where(paging.beyond((T.created_at, T.id), key, descending=True))
        query = query.order_by(T.created_at.desc(), T.id.desc())
    rows = list(await uow.session.scalars(query.limit(limit + 1)))
    return _tickets_page(rows, limit, filters.sort, now)


def _tickets_page(rows: list[SupportTicket], limit: int, sort: str, now: datetime) -> TicketsPage:
    def key(row: SupportTicket) -> tuple[datetime, str]:
        return (row.resolution_due, row.id) if sort == "due" else (row.created_at, row.id)

    page, next_cursor = paging.cut(rows, limit, key)
    return TicketsPage([TicketView.of(row, now) for row in page], next_cursor)


async def list_messages(
    uow: UnitOfWork,
    *,
    ticket: SupportTicket,
    principal: Principal,
    cursor: str | None,
    limit: int,
) -> MessagesPage:
    key = paging.decode(cursor, datetime, str)
    query = select(SupportMessage).where(
        SupportMessage.ticket_id == ticket.id,
        paging.beyond((SupportMessage.created_at, SupportMessage.id), key, descending=False),
    )
    if not is_staff(principal):
        query = query.where(SupportMessage.internal == false())
    rows = list(
        await uow.session.scalars(
            query.order_by(SupportMessage.created_at, SupportMessage.id).limit(limit + 1)
        )
    )
    return _messages_page(rows, limit)


def _messages_page(rows: list[SupportMessage], limit: int) -> MessagesPage:
    page, next_cursor = paging.cut(rows, limit, lambda r: (r.created_at, r.id))
    return MessagesPage([MessageView.of(row) for row in page], next_cursor)
