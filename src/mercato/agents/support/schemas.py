"""The support API's request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from mercato.agents.support.views import ArticleView, FaqMatch, MessageView, TicketView
from mercato.kernel.schemas import RequestModel

StatusName = Literal["open", "assigned", "waiting", "solved"]
PriorityName = Literal["low", "normal", "high", "urgent"]
CategoryName = Literal["order", "payment", "shipping", "returns", "product", "account", "other"]
Text = Annotated[str, Field(min_length=1, max_length=4000)]


class TicketIn(RequestModel):
    subject: Annotated[str, Field(min_length=1, max_length=200)]
    body: Text
    category: CategoryName | None = Field(
        default=None, description="Guessed from the words when not given"
    )
    email: Annotated[str | None, Field(max_length=320)] = Field(
        default=None, description="Where a guest is answered besides this console"
    )


class TicketChange(RequestModel):
    """What staff change; a field left out is not changed (`assignee_id: null` unassigns)."""

    status: StatusName | None = None
    priority: PriorityName | None = None
    category: CategoryName | None = None
    assignee_id: Annotated[str | None, Field(min_length=1, max_length=64)] = None


class MessageIn(RequestModel):
    body: Text
    internal: bool = Field(default=False, description="A note for staff only (staff's)")


class TranscriptOut(BaseModel):
    role: str
    text: str
    at: str


class MessageOut(BaseModel):
    id: str
    ticket_id: str
    author_kind: Literal["customer", "staff", "system"]
    author_id: str | None
    body: str
    internal: bool
    created_at: datetime


class TicketOut(BaseModel):
    id: str
    number: str
    status: StatusName
    priority: PriorityName
    category: CategoryName
    channel: Literal["chat", "web", "email"]
    subject: str
    requester_user_id: str | None
    email: str | None
    conversation_id: str | None
    assignee_id: str | None
    first_response_due: datetime
    resolution_due: datetime
    first_responded_at: datetime | None
    solved_at: datetime | None
    first_response_breached: bool
    resolution_breached: bool
    breached: bool
    last_message_at: datetime
    created_at: datetime
    updated_at: datetime
    version: int


class TicketDetailOut(TicketOut):
    transcript: list[TranscriptOut]
    messages: list[MessageOut] = Field(
        description="The first 200 messages, oldest first (internal notes for staff only); "
        "`…/messages` pages through them all"
    )


class TicketsPageOut(BaseModel):
    items: list[TicketOut]
    next_cursor: str | None


class MessagesPageOut(BaseModel):
    items: list[MessageOut]
    next_cursor: str | None


class ArticleIn(RequestModel):
    question: Annotated[str, Field(min_length=3, max_length=300)]
    answer: Annotated[str, Field(min_length=1, max_length=10_000)]
    topic: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{1,31}$")]
    keywords: Annotated[list[Annotated[str, Field(max_length=60)]], Field(max_length=30)] = []
    published: bool = True
    position: Annotated[int | None, Field(ge=0, le=1_000_000)] = None


class ArticleChange(RequestModel):
    question: Annotated[str | None, Field(min_length=3, max_length=300)] = None
    answer: Annotated[str | None, Field(min_length=1, max_length=10_000)] = None
    topic: Annotated[str | None, Field(pattern=r"^[a-z][a-z0-9_-]{1,31}$")] = None
    keywords: Annotated[list[Annotated[str, Field(max_length=60)]] | None, Field(max_length=30)] = (
        None
    )
    published: bool | None = None
    position: Annotated[int | None, Field(ge=0, le=1_000_000)] = None


class ArticleOut(BaseModel):
    id: str
    question: str
    answer: str
    topic: str
    keywords: list[str]
    published: bool
    position: int
    created_at: datetime
    updated_at: datetime
    score: float | None = Field(
        default=None,
        description="With `q`: how well the article answers it, 0 to 1 (about 0.5 and above: "
        "a confident answer)",
    )


class ArticlesPageOut(BaseModel):
    items: list[ArticleOut]
    next_cursor: str | None = Field(description="Always null: a store's FAQ is answered whole")


def ticket_out(view: TicketView) -> TicketOut:
    return TicketOut(**_ticket_fields(view))


def _ticket_fields(view: TicketView) -> dict[str, object]:
    fields = {name: getattr(view, name) for name in TicketOut.model_fields if name != "breached"}
    return {**fields, "breached": view.breached}


def message_out(view: MessageView) -> MessageOut:
    return MessageOut.model_validate(view, from_attributes=True)


def detail_out(view: TicketView, messages: list[MessageView]) -> TicketDetailOut:
    return TicketDetailOut(
        **_ticket_fields(view),
        transcript=[TranscriptOut(role=e.role, text=e.text, at=e.at) for e in view.transcript],
        messages=[message_out(m) for m in messages],
    )


def article_out(view: ArticleView, score: float | None = None) -> ArticleOut:
    return ArticleOut(
        id=view.id,
        question=view.question,
        answer=view.answer,
        topic=view.topic,
        keywords=view.keywords,
        published=view.published,
        position=view.position,
        created_at=view.created_at,
        updated_at=view.updated_at,
        score=score,
    )


def match_out(match: FaqMatch, article: ArticleView) -> ArticleOut:
    return article_out(article, score=match.score)
