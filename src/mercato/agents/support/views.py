"""What the support agent answers: frozen views of its rows, with the SLA's breach flags
computed at the moment asked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mercato.agents.support import sla
from mercato.agents.support.models import SupportArticle, SupportMessage, SupportTicket


@dataclass(frozen=True)
class TranscriptEntry:
    role: str
    text: str
    at: str


@dataclass(frozen=True)
class TicketView:
    id: str
    number: str
    status: str
    priority: str
    category: str
    channel: str
    subject: str
    requester_user_id: str | None
    requester_session_id: str | None
    email: str | None
    conversation_id: str | None
    transcript: list[TranscriptEntry]
    assignee_id: str | None
    first_response_due: datetime
    resolution_due: datetime
    first_responded_at: datetime | None
    solved_at: datetime | None
    first_response_breached: bool
    resolution_breached: bool
    last_message_at: datetime
    created_at: datetime
    updated_at: datetime
    version: int

    @property
    def breached(self) -> bool:
        return self.first_response_breached or self.resolution_breached

    @classmethod
    def of(cls, row: SupportTicket, now: datetime) -> TicketView:
        return cls(
            id=row.id,
            number=row.number,
            status=row.status.value,
            priority=row.priority.value,
            category=row.category.value,
            channel=row.channel.value,
            subject=row.subject,
            requester_user_id=row.requester_user_id,
            requester_session_id=row.requester_session_id,
            email=row.email,
            conversation_id=row.conversation_id,
            transcript=[_entry(e) for e in row.transcript or []],
            assignee_id=row.assignee_id,
            first_response_due=row.first_response_due,
            resolution_due=row.resolution_due,
            first_responded_at=row.first_responded_at,
            solved_at=row.solved_at,
            first_response_breached=sla.late(row.first_responded_at, row.first_response_due, now),
            resolution_breached=sla.late(row.solved_at, row.resolution_due, now),
            last_message_at=row.last_message_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
            version=row.version,
        )


def _entry(entry: dict[str, Any]) -> TranscriptEntry:
    return TranscriptEntry(
        role=str(entry.get("role", "")),
        text=str(entry.get("text", "")),
        at=str(entry.get("at", "")),
    )


@dataclass(frozen=True)
class TicketsPage:
    items: list[TicketView]
    next_cursor: str | None


@dataclass(frozen=True)
class MessageView:
    id: str
    ticket_id: str
    author_kind: str
    author_id: str | None
    body: str
    internal: bool
    created_at: datetime

    @classmethod
    def of(cls, row: SupportMessage) -> MessageView:
        return cls(
            id=row.id,
            ticket_id=row.ticket_id,
            author_kind=row.author_kind.value,
            author_id=row.author_id,
            body=row.body,
            internal=row.internal,
            created_at=row.created_at,
        )


@dataclass(frozen=True)
class MessagesPage:
    items: list[MessageView]
    next_cursor: str | None


@dataclass(frozen=True)
class ArticleView:
    id: str
    question: str
    answer: str
    topic: str
    keywords: list[str]
    published: bool
    position: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: SupportArticle) -> ArticleView:
        return cls(
            id=row.id,
            question=row.question,
            answer=row.answer,
            topic=row.topic,
            keywords=list(row.keywords or []),
            published=row.published,
            position=row.position,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@dataclass(frozen=True)
class FaqMatch:
    """An article answering a question, and how well: 0 (nothing in common) to 1 (the
    question's words and meaning both). ADR 26 says how the score is made."""

    article_id: str
    question: str
    answer: str
    topic: str
    score: float
