"""The assistant's tables: conversations (with where the dialogue stands), their messages,
what it remembers of each shopper, and the tokens each store's LLM turns have used."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mercato.kernel.db import Base, TenantScoped, UTCDateTime


class Conversation(TenantScoped, Base):
    __tablename__ = "assistant_conversations"
    __table_args__ = (
        Index("ix_assistant_conversations_user", "tenant_id", "user_id", "updated_at"),
        Index("ix_assistant_conversations_session", "tenant_id", "session_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str | None] = mapped_column(String(36))
    session_id: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Where the dialogue stands: the products last shown, what it waits for (a slot, a
    confirmation), the cart and the order it talks about."""
    turns: Mapped[int] = mapped_column(Integer, default=0)
    """How many messages it holds: the next one's `seq`."""
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Message(TenantScoped, Base):
    __tablename__ = "assistant_messages"
    __table_args__ = (UniqueConstraint("tenant_id", "conversation_id", "seq"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))
    """shopper, assistant or staff."""
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(40))
    confidence: Mapped[float | None] = mapped_column(Float)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Entities of a shopper's message; actions, cards and quick replies of a reply."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Memory(TenantScoped, Base):
    """One thing remembered of a shopper (`owner`: `user:<id>` or `guest:<session id>`):
    a preference they stated ("size M", "no wool") or an affinity their signals show
    (a brand, a category, a colour, a price band), with its weight."""

    __tablename__ = "assistant_memories"
    __table_args__ = (UniqueConstraint("tenant_id", "owner", "kind", "key", "value"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))
    """preference (stated) or affinity (inferred)."""
    key: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    source: Mapped[str] = mapped_column(String(32))
    """stated, view, cart, purchase."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Usage(TenantScoped, Base):
    """The LLM's tokens a store used in a month (its budget is counted against this)."""

    __tablename__ = "assistant_usage"
    __table_args__ = (UniqueConstraint("tenant_id", "month"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    tokens: Mapped[int] = mapped_column(Integer, default=0)
    turns: Mapped[int] = mapped_column(Integer, default=0)
    warned: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
