"""The support agent's tables: tickets and their messages, FAQ articles, and the per-store
counter of human ticket numbers."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.support.statuses import (
    AuthorKind,
    Category,
    Channel,
    Priority,
    TicketStatus,
)
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime
from mercato.kernel.store_sql import register_store_table


class SupportTicket(TenantScoped, Base):
    """A shopper's request for help: who asked (an account, or a guest session), about what,
    how urgent, who has it, and its SLA's due times (from its priority, when it opened).
    `version` is the ETag: every change bumps it."""

    __tablename__ = "support_tickets"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(32))
    status: Mapped[TicketStatus] = mapped_column(StrEnumColumn(TicketStatus, 16))
    priority: Mapped[Priority] = mapped_column(StrEnumColumn(Priority, 16))
    category: Mapped[Category] = mapped_column(StrEnumColumn(Category, 16))
    channel: Mapped[Channel] = mapped_column(StrEnumColumn(Channel, 16))
    subject: Mapped[str] = mapped_column(String(200))
    requester_user_id: Mapped[str | None] = mapped_column(String(64))
    requester_session_id: Mapped[str | None] = mapped_column(String(64))
    """The guest session that opened it (kept once the guest signs in and it is theirs)."""
    email: Mapped[str | None] = mapped_column(String(320))
    conversation_id: Mapped[str | None] = mapped_column(String(64))
    """The assistant's conversation it was handed off from, if any."""
    transcript: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    assignee_id: Mapped[str | None] = mapped_column(String(64))
    first_response_due: Mapped[datetime] = mapped_column(UTCDateTime)
    resolution_due: Mapped[datetime] = mapped_column(UTCDateTime)
    first_responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    solved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        Index("ix_support_tickets_created", "tenant_id", "created_at", "id"),
        Index("ix_support_tickets_status", "tenant_id", "status", "created_at", "id"),
        Index("ix_support_tickets_due", "tenant_id", "resolution_due", "id"),
        Index("ix_support_tickets_user", "tenant_id", "requester_user_id", "created_at", "id"),
        Index("ix_support_tickets_session", "tenant_id", "requester_session_id"),
        Index("ix_support_tickets_assignee", "tenant_id", "assignee_id", "created_at", "id"),
        Index("ix_support_tickets_conversation", "tenant_id", "conversation_id"),
    )


class SupportMessage(TenantScoped, Base):
    """One message of a ticket: the customer's, staff's (an internal note is for staff
    only) or the system's."""

    __tablename__ = "support_messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("support_tickets.id", ondelete="CASCADE"))
    author_kind: Mapped[AuthorKind] = mapped_column(StrEnumColumn(AuthorKind, 16))
    author_id: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_support_messages_ticket", "ticket_id", "created_at", "id"),)


class SupportArticle(TenantScoped, Base):
    """A question shoppers ask and the store's answer (plain text or Markdown), under a topic,
    with the words it should be found by; only published ones are shown and matched."""

    __tablename__ = "support_articles"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    question: Mapped[str] = mapped_column(String(300))
    answer: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(String(32))
    keywords: Mapped[list[str]] = mapped_column(JSON)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_support_articles_topic", "tenant_id", "topic", "position"),)


class SupportCounter(Base):
    """The last ticket number given per store, claimed with one statement (insert at 1, or
    add one, returning it), like the orders' counter; a store table (ADR 20)."""

    __tablename__ = "support_counters"

    tenant_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[int] = mapped_column(Integer)

    __table_args__ = (PrimaryKeyConstraint("tenant_id"),)


register_store_table(cast(Table, SupportCounter.__table__), inspect(SupportCounter))
