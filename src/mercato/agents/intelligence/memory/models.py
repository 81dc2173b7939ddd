"""The memory part's tables: each user's preferences (what they watch and aim for), the turns
of their conversations (a follow-up starts from the previous question's scope), and the
questions they asked with their embeddings (similar past questions and their reports)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Index, LargeBinary, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mercato.kernel.db import Base, TenantScoped, UTCDateTime
from mercato.kernel.money import Amount


class IntelPreferences(TenantScoped, Base):
    """One user's preferences in one store (`preferences.py` validates them)."""

    __tablename__ = "intel_preferences"

    user_id: Mapped[str] = mapped_column(String(64))
    """The principal's id."""
    kpis: Mapped[list[str]] = mapped_column(JSON, default=list)
    marketplaces: Mapped[list[str]] = mapped_column(JSON, default=list)
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    margin_floor_percent: Mapped[Decimal | None] = mapped_column(Amount)
    report_detail: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "user_id"),)


class IntelConversationTurn(TenantScoped, Base):
    """A question asked in a conversation, with the scope and intents the router read."""

    __tablename__ = "intel_conversation_turns"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(36))
    user_id: Mapped[str] = mapped_column(String(64))
    """Who holds the conversation: every turn of it is theirs."""
    query_id: Mapped[str] = mapped_column(String(36))
    question: Mapped[str] = mapped_column(Text)
    scope: Mapped[dict[str, Any]] = mapped_column(JSON)
    """`Scope.as_dict()`."""
    intents: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index(
            "ix_intel_conversation_turns_conversation",
            "tenant_id",
            "conversation_id",
            "created_at",
        ),
        Index("ix_intel_conversation_turns_created", "tenant_id", "created_at"),
    )


class IntelPastQuestion(TenantScoped, Base):
    """A question a user asked, its report and its embedding (float32 bytes, unit length;
    None when the embedding model could not be loaded)."""

    __tablename__ = "intel_past_questions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text)
    report_id: Mapped[str] = mapped_column(String(36))
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_intel_past_questions_user", "tenant_id", "user_id", "created_at"),
        Index("ix_intel_past_questions_created", "tenant_id", "created_at"),
    )


TABLES = ("intel_preferences", "intel_conversation_turns", "intel_past_questions")
