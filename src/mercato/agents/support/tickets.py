"""Tickets: opened by a shopper (signed in, or a guest by their session; from the web, an
email, or handed off by the assistant with its conversation's transcript), answered by
messages, moved along by staff.

    open ──assign──▶ assigned ──staff reply──▶ waiting ──customer reply──▶ open
      └──────────────────────────────▶ solved ◀─────────────────────────────┘
                                         └──customer reply or staff──▶ open (reopened)

A staff reply that is not an internal note marks the first response (the SLA's) and puts an
open or assigned ticket in `waiting` (on the customer); a customer's message puts a waiting or
solved ticket back to `open`. Every change bumps the ticket's `version` and publishes its
events in the same unit of work."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from mercato.agents.support import categories, numbering, sla
from mercato.agents.support.access import is_staff, may_see
from mercato.agents.support.events import MessageAdded, TicketOpened, TicketStatusChanged
from mercato.agents.support.models import SupportMessage, SupportTicket
from mercato.agents.support.problems import (
    InvalidTicket,
    StaffOnly,
    TicketNotFound,
    TicketTransitionInvalid,
    TicketVersionConflict,
)
from mercato.agents.support.statuses import (
    TRANSITIONS,
    AuthorKind,
    Category,
    Channel,
    Priority,
    TicketStatus,
)
from mercato.agents.support.views import MessageView, TicketView
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

MAX_SUBJECT, MAX_BODY = 200, 4000
MAX_TRANSCRIPT, MAX_TRANSCRIPT_TEXT = 200, 4000
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")
_UNSET: Any = object()


def _choice(kind: type[Any], value: str, what: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidTicket(f"{what} is one of {allowed}, not {value!r}") from None


def _text(value: str, what: str, limit: int) -> str:
    cleaned = value.strip()
    if not 1 <= len(cleaned) <= limit:
        raise InvalidTicket(f"{what} has 1 to {limit} characters")
    return cleaned


def _transcript(entries: list[dict[str, str]] | None) -> list[dict[str, str]] | None:
    if entries is None:
        return None
    if len(entries) > MAX_TRANSCRIPT:
        raise InvalidTicket(f"a transcript has at most {MAX_TRANSCRIPT} entries")
    kept = []
    for entry in entries:
        role, text, at = (str(entry.get(k, "")) for k in ("role", "text", "at"))
        if not role or len(role) > 20 or len(text) > MAX_TRANSCRIPT_TEXT or len(at) > 40:
            raise InvalidTicket("a transcript entry is {role, text, at}, each within its size")
        kept.append({"role": role, "text": text, "at": at})
    return kept


def _requester(principal: Principal) -> tuple[str | None, str | None]:
    if principal.kind == "user":
        return principal.id, None
    if principal.kind == "guest" and principal.session_id:
        return None, principal.session_id
    raise InvalidTicket("a ticket is opened by a signed-in shopper or a guest session")


async def open_ticket(
    uow: UnitOfWork,
    *,
    principal: Principal,
    subject: str,
    body: str,
    category: str | None,
    priority: str,
    channel: str,
    email: str | None,
    conversation_id: str | None,
    transcript: list[dict[str, str]] | None,
    now: datetime,
) -> TicketView:
    user_id, session_id = _requester(principal)
    subject = _text(subject, "a subject", MAX_SUBJECT)
    text = _text(body, "a message", MAX_BODY)
    chosen = (
        _choice(Category, category, "a category")
        if category is not None
        else categories.guess(f"{subject} {text}")
    )
    level = _choice(Priority, priority, "a priority")
    via = _choice(Channel, channel, "a channel")
    if email is not None and (len(email) > 320 or not EMAIL.fullmatch(email.strip())):
        raise InvalidTicket("an email address is name@domain")
    if conversation_id is not None and not 1 <= len(conversation_id) <= 64:
        raise InvalidTicket("a conversation id has 1 to 64 characters")
    due = sla.due(uow.settings, level, now)
    row = SupportTicket(
        id=new_id(),
        status=TicketStatus.OPEN,
        priority=level,
        category=chosen,
        channel=via,
        subject=subject,
        requester_user_id=user_id,
        requester_session_id=session_id,
        email=email.strip() if email else None,
        conversation_id=conversation_id,
        transcript=_transcript(transcript),
        assignee_id=None,
        first_response_due=due.first_response,
        resolution_due=due.resolution,
        first_responded_at=None,
        solved_at=None,
        last_message_at=now,
        version=1,
        created_at=now,
        updated_at=now,
    )
    row.number = await numbering.next_number(uow)
    _announce(uow, row)
    await uow.session.flush()  # the ticket's row before its message's (a foreign key)
    _message(uow, row, AuthorKind.CUSTOMER, principal.id, text, internal=False, now=now)
    await uow.session.flush()
    return TicketView.of(row, now)


def _announce(uow: UnitOfWork, row: SupportTicket) -> None:
    uow.session.add(row)
    uow.publish(
        TicketOpened(
            ticket_id=row.id,
            number=row.number,
            conversation_id=row.conversation_id,
            priority=row.priority.value,
            category=row.category.value,
            channel=row.channel.value,
            subject=row.subject,
            user_id=row.requester_user_id,
            session_id=row.requester_session_id,
        ),
        aggregate_id=row.id,
    )


def _message(
    uow: UnitOfWork,
    ticket: SupportTicket,
    kind: AuthorKind,
    author_id: str | None,
    body: str,
    *,
    internal: bool,
    now: datetime,
) -> SupportMessage:
    message = SupportMessage(
        id=new_id(),
        ticket_id=ticket.id,
        author_kind=kind,
        author_id=author_id,
        body=body,
        internal=internal,
        created_at=now,
    )
    uow.session.add(message)
    uow.publish(
        MessageAdded(
            ticket_id=ticket.id,
            number=ticket.number,
            message_id=message.id,
            conversation_id=ticket.conversation_id,
            author_kind=kind.value,
            author_id=author_id,
            body=body,
            internal=internal,
        ),
        aggregate_id=ticket.id,
    )
    return message


async def visible(uow: UnitOfWork, principal: Principal, ticket_id: str) -> SupportTicket:
    """The ticket if the principal may see it; 404 `ticket_not_found` otherwise."""
    row = await uow.session.get(SupportTicket, ticket_id)
    if row is None or not may_see(principal, row):
        raise TicketNotFound(f"no ticket {ticket_id!r}")
    return row


async def locked(uow: UnitOfWork, principal: Principal, ticket_id: str) -> SupportTicket:
    """The ticket, its row locked until the unit of work ends (PostgreSQL; SQLite's writer
    holds the database), if the principal may see it."""
    row = await uow.session.scalar(
        select(SupportTicket)
        .where(SupportTicket.id == ticket_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if row is None or not may_see(principal, row):
        raise TicketNotFound(f"no ticket {ticket_id!r}")
    return row


def _move(
    uow: UnitOfWork, ticket: SupportTicket, status: TicketStatus, by: str | None, now: datetime
) -> None:
    if status == ticket.status:
        return
    if status not in TRANSITIONS[ticket.status]:
        raise TicketTransitionInvalid(
            f"a {ticket.status.value} ticket cannot become {status.value}"
        )
    previous = ticket.status
    ticket.status = status
    if status == TicketStatus.SOLVED:
        ticket.solved_at = now
    elif previous == TicketStatus.SOLVED:
        ticket.solved_at = None
    uow.publish(
        TicketStatusChanged(
            ticket_id=ticket.id,
            number=ticket.number,
            conversation_id=ticket.conversation_id,
            previous_status=previous.value,
            status=status.value,
            by=by,
        ),
        aggregate_id=ticket.id,
    )


def _touch(ticket: SupportTicket, now: datetime) -> None:
    ticket.version += 1
    ticket.updated_at = now


async def add_message(
    uow: UnitOfWork,
    *,
    ticket_id: str,
    principal: Principal,
    body: str,
    internal: bool,
    now: datetime,
) -> MessageView:
    text = _text(body, "a message", MAX_BODY)
    if internal and not is_staff(principal):
        raise StaffOnly("internal notes are for the store's staff")
    ticket = await locked(uow, principal, ticket_id)
    message = _said(uow, ticket, principal, text, internal=internal, now=now)
    await uow.session.flush()
    return MessageView.of(message)


def _said(
    uow: UnitOfWork,
    ticket: SupportTicket,
    principal: Principal,
    text: str,
    *,
    internal: bool,
    now: datetime,
) -> SupportMessage:
    """The message written, and the ticket moved along by who wrote it."""
    staff = is_staff(principal) and not _is_requester(principal, ticket)
    kind = AuthorKind.STAFF if staff else AuthorKind.CUSTOMER
    message = _message(uow, ticket, kind, principal.id, text, internal=internal, now=now)
    if kind == AuthorKind.STAFF and not internal:
        if ticket.first_responded_at is None:
            ticket.first_responded_at = now
        if ticket.status in (TicketStatus.OPEN, TicketStatus.ASSIGNED):
            _move(uow, ticket, TicketStatus.WAITING, principal.id, now)
    elif kind == AuthorKind.CUSTOMER and ticket.status in (
        TicketStatus.WAITING,
        TicketStatus.SOLVED,
    ):
        _move(uow, ticket, TicketStatus.OPEN, principal.id, now)
    if not internal:
        ticket.last_message_at = now
    _touch(ticket, now)
    return message


def _is_requester(principal: Principal, ticket: SupportTicket) -> bool:
    return principal.kind == "user" and ticket.requester_user_id == principal.id


@dataclass(frozen=True)
class TicketChanges:
    """What staff change on a ticket; a field left `UNSET` is not changed (an assignee of
    None unassigns)."""

    status: str | None = None
    priority: str | None = None
    category: str | None = None
    assignee_id: Any = _UNSET


UNSET = _UNSET


async def change(
    uow: UnitOfWork,
    *,
    ticket_id: str,
    principal: Principal,
    changes: TicketChanges,
    expected_version: int | None,
    now: datetime,
) -> TicketView:
    """Staff move a ticket: its assignee (an open ticket assigned becomes `assigned`, an
    assigned one unassigned becomes `open`), status, priority (its SLA's due times counted
    again from when it opened) or category."""
    if not is_staff(principal):
        raise StaffOnly("changing a ticket is for the store's staff")
    ticket = await locked(uow, principal, ticket_id)
    _changed(uow, ticket, principal, changes, expected_version, now)
    await uow.session.flush()
    return TicketView.of(ticket, now)


def _changed(
    uow: UnitOfWork,
    ticket: SupportTicket,
    principal: Principal,
    changes: TicketChanges,
    expected_version: int | None,
    now: datetime,
) -> None:
    if expected_version is not None and expected_version != ticket.version:
        raise TicketVersionConflict(ticket.version)
    before = (ticket.status, ticket.priority, ticket.category, ticket.assignee_id)
    if changes.assignee_id is not UNSET:
        assignee = changes.assignee_id
        if assignee is not None and not 1 <= len(assignee) <= 64:
            raise InvalidTicket("an assignee is a user id")
        ticket.assignee_id = assignee
        if assignee is not None and ticket.status == TicketStatus.OPEN and changes.status is None:
            _move(uow, ticket, TicketStatus.ASSIGNED, principal.id, now)
        if assignee is None and ticket.status == TicketStatus.ASSIGNED and changes.status is None:
            _move(uow, ticket, TicketStatus.OPEN, principal.id, now)
    if changes.status is not None:
        status = _choice(TicketStatus, changes.status, "a status")
        if status == TicketStatus.ASSIGNED and ticket.assignee_id is None:
            raise InvalidTicket("an assigned ticket has an assignee: give `assignee_id`")
        _move(uow, ticket, status, principal.id, now)
    if changes.priority is not None:
        level = _choice(Priority, changes.priority, "a priority")
        if level != ticket.priority:
            ticket.priority = level
            due = sla.due(uow.settings, level, ticket.created_at)
            ticket.first_response_due, ticket.resolution_due = due.first_response, due.resolution
    if changes.category is not None:
        ticket.category = _choice(Category, changes.category, "a category")
    if (ticket.status, ticket.priority, ticket.category, ticket.assignee_id) != before:
        _touch(ticket, now)


async def move_guest_tickets(uow: UnitOfWork, *, session_id: str, user_id: str) -> int:
    """A guest session's tickets become its user's (once: a redelivery finds none left)."""
    result = await uow.session.execute(
        update(SupportTicket)
        .where(
            SupportTicket.requester_session_id == session_id,
            SupportTicket.requester_user_id.is_(None),
        )
        .values(requester_user_id=user_id)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
