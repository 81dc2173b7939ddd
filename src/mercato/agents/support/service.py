"""The support agent's commands and queries: what its API, its handlers and other agents (the
assistant hands a conversation off with `open_ticket`, answers from `find_faq`) call. Every
function takes the unit of work first and the rest by keyword; none commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from mercato.agents.support import faq, listing, numbering, tickets
from mercato.agents.support.faq import TOPICS, ArticleSpec
from mercato.agents.support.listing import TicketFilters
from mercato.agents.support.matching import FaqIndex
from mercato.agents.support.models import SupportTicket
from mercato.agents.support.problems import (
    ArticleNotFound,
    InvalidArticle,
    InvalidTicket,
    StaffOnly,
    TicketNotFound,
    TicketTransitionInvalid,
    TicketVersionConflict,
)
from mercato.agents.support.tickets import UNSET, TicketChanges
from mercato.agents.support.views import (
    ArticleView,
    FaqMatch,
    MessagesPage,
    MessageView,
    TicketsPage,
    TicketView,
    TranscriptEntry,
)
from mercato.kernel import context
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork

__all__ = [
    "TOPICS",
    "UNSET",
    "ArticleNotFound",
    "ArticleSpec",
    "ArticleView",
    "FaqMatch",
    "InvalidArticle",
    "InvalidTicket",
    "MessageView",
    "MessagesPage",
    "StaffOnly",
    "TicketChanges",
    "TicketFilters",
    "TicketNotFound",
    "TicketTransitionInvalid",
    "TicketVersionConflict",
    "TicketView",
    "TicketsPage",
    "TranscriptEntry",
    "add_message",
    "change_ticket",
    "create_article",
    "delete_article",
    "find_faq",
    "get_ticket",
    "list_articles",
    "list_faq",
    "list_messages",
    "list_tickets",
    "move_guest_tickets",
    "open_ticket",
    "ticket_id_of",
    "tickets_for_conversation",
    "update_article",
]


# -- tickets ---------------------------------------------------------------------------


async def open_ticket(
    uow: UnitOfWork,
    *,
    principal: Principal,
    subject: str,
    body: str,
    category: str | None = None,
    priority: str = "normal",
    channel: str = "web",
    email: str | None = None,
    conversation_id: str | None = None,
    transcript: list[dict[str, str]] | None = None,
    now: datetime,
) -> TicketView:
    """Open a ticket for the principal (a signed-in shopper, or a guest by their session) with
    its first message; `conversation_id` and `transcript` (each entry {role, text, at}) when
    the assistant hands a conversation off. With no category, one is guessed from the words.
    Publishes `support.ticket_opened` and `support.message_added`."""
    return await tickets.open_ticket(
        uow,
        principal=principal,
        subject=subject,
        body=body,
        category=category,
        priority=priority,
        channel=channel,
        email=email,
        conversation_id=conversation_id,
        transcript=transcript,
        now=now,
    )


async def add_message(
    uow: UnitOfWork,
    *,
    ticket_id: str,
    principal: Principal,
    body: str,
    internal: bool = False,
    now: datetime,
) -> MessageView:
    """A message on a ticket the principal may see (404 otherwise): the requester's, or
    staff's (`internal` notes are staff's only: 403 `support_staff_only`). Moves the ticket
    along (tickets.py) and publishes `support.message_added`."""
    return await tickets.add_message(
        uow, ticket_id=ticket_id, principal=principal, body=body, internal=internal, now=now
    )


async def tickets_for_conversation(uow: UnitOfWork, *, conversation_id: str) -> list[TicketView]:
    """The tickets handed off from an assistant conversation, oldest first."""
    rows = await uow.session.scalars(
        select(SupportTicket)
        .where(SupportTicket.conversation_id == conversation_id)
        .order_by(SupportTicket.created_at, SupportTicket.id)
    )
    now = uow.clock.now()
    return [TicketView.of(row, now) for row in rows]


async def ticket_id_of(uow: UnitOfWork, *, reference: str) -> str:
    """The id of the ticket a reference names: its number (`TCK-000042`) or its id."""
    if numbering.is_number(reference.upper()):
        found = await uow.session.scalar(
            select(SupportTicket.id).where(SupportTicket.number == reference.upper())
        )
        if found is None:
            raise TicketNotFound(f"no ticket {reference!r}")
        return found
    return reference


async def get_ticket(uow: UnitOfWork, *, ticket_id: str, principal: Principal) -> TicketView:
    """The ticket, if the principal may see it (staff, or its requester); 404 otherwise."""
    row = await tickets.visible(uow, principal, ticket_id)
    return TicketView.of(row, uow.clock.now())


async def list_tickets(
    uow: UnitOfWork,
    *,
    principal: Principal,
    filters: TicketFilters | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> TicketsPage:
    """A shopper's own tickets, or (staff) every ticket of the store, filtered and paged."""
    return await listing.list_tickets(
        uow,
        principal=principal,
        filters=filters or TicketFilters(),
        cursor=cursor,
        limit=limit,
        now=uow.clock.now(),
    )


async def list_messages(
    uow: UnitOfWork,
    *,
    ticket_id: str,
    principal: Principal,
    cursor: str | None = None,
    limit: int = 100,
) -> MessagesPage:
    """The ticket's messages, oldest first (internal notes for staff only)."""
    row = await tickets.visible(uow, principal, ticket_id)
    return await listing.list_messages(
        uow, ticket=row, principal=principal, cursor=cursor, limit=limit
    )


async def change_ticket(
    uow: UnitOfWork,
    *,
    ticket_id: str,
    principal: Principal,
    changes: TicketChanges,
    expected_version: int | None = None,
    now: datetime,
) -> TicketView:
    """Staff change a ticket's status, priority, category or assignee (409 on a status it
    cannot move to, or on `expected_version` no longer current)."""
    return await tickets.change(
        uow,
        ticket_id=ticket_id,
        principal=principal,
        changes=changes,
        expected_version=expected_version,
        now=now,
    )


async def move_guest_tickets(uow: UnitOfWork, *, session_id: str, user_id: str) -> int:
    """A guest session's tickets become the user's it was promoted to; how many."""
    return await tickets.move_guest_tickets(uow, session_id=session_id, user_id=user_id)


# -- the FAQ ---------------------------------------------------------------------------


async def find_faq(uow: UnitOfWork, *, text: str, limit: int = 3) -> list[FaqMatch]:
    """The published articles that best answer a free-text question, best first, each with a
    score in [0, 1] (words and meaning: ADR 26); none when nothing is near."""
    store = context.current_tenant()
    index = uow.wired(FaqIndex) or FaqIndex(None, ttl=0)
    if not text.strip() or limit < 1 or store is None:
        return []
    return await index.match(uow, store, text[:500], limit=limit)


async def list_faq(uow: UnitOfWork, *, topic: str | None = None) -> list[ArticleView]:
    """The published articles, in the store's order (of one topic when given)."""
    return await faq.articles(uow, topic=topic)


async def list_articles(
    uow: UnitOfWork, *, topic: str | None = None, drafts: bool = False
) -> list[ArticleView]:
    """The articles (with the unpublished when `drafts`), in the store's order."""
    return await faq.articles(uow, topic=topic, drafts=drafts)


async def create_article(uow: UnitOfWork, *, spec: ArticleSpec, now: datetime) -> ArticleView:
    return await faq.create(uow, spec=spec, now=now)


async def update_article(
    uow: UnitOfWork, *, article_id: str, spec: ArticleSpec, now: datetime
) -> ArticleView:
    return await faq.update(uow, article_id=article_id, spec=spec, now=now)


async def delete_article(uow: UnitOfWork, *, article_id: str) -> None:
    await faq.delete(uow, article_id=article_id)
