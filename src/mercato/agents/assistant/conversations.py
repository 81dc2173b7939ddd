"""Conversations and their messages: opened for a shopper (a user, or a guest's session),
resumed by id (another shopper's is 404, like a missing one), each message numbered in order;
the dialogue's state saved with a version claim, so two turns at once never interleave their
state (the later one is told `conversation_busy` and nothing of it is written)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from mercato.agents.assistant.models import Conversation, Message
from mercato.agents.assistant.problems import ConversationBusy, ConversationNotFound
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

HISTORY = 50
"""How many of the last messages a conversation's answer carries."""


@dataclass(frozen=True)
class MessageView:
    id: str
    seq: int
    role: str
    text: str
    intent: str | None
    confidence: float | None
    payload: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class Said:
    """A message to write."""

    role: str
    text: str
    intent: str | None = None
    confidence: float | None = None
    payload: dict[str, Any] | None = None


def _owns(principal: Principal, conversation: Conversation) -> bool:
    if principal.kind == "user":
        return conversation.user_id == principal.id
    return principal.kind == "guest" and conversation.session_id == principal.session_id


async def find(uow: UnitOfWork, *, conversation_id: str, principal: Principal) -> Conversation:
    found = await uow.session.get(Conversation, conversation_id)
    if found is None or not _owns(principal, found):
        raise ConversationNotFound(f"no conversation {conversation_id!r}")
    return found


async def open_for(
    uow: UnitOfWork, *, principal: Principal, conversation_id: str | None, now: datetime
) -> tuple[Conversation, bool]:
    """The conversation named (the shopper's), or a new one (True)."""
    if conversation_id is not None:
        return await find(uow, conversation_id=conversation_id, principal=principal), False
    conversation = Conversation(
        id=new_id(),
        user_id=principal.id if principal.kind == "user" else None,
        session_id=principal.session_id if principal.kind == "guest" else None,
        state={},
        turns=0,
        version=0,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(conversation)
    await uow.session.flush()
    return conversation, True


async def record(
    uow: UnitOfWork,
    *,
    conversation: Conversation,
    seen_version: int,
    state: dict[str, Any] | None,
    said: list[Said],
    now: datetime,
) -> list[MessageView]:
    """Write a turn's messages (and its new state, when `state` is given) if the
    conversation is still at the version the turn read; `ConversationBusy` otherwise."""
    values: dict[str, Any] = {
        "version": Conversation.version + 1,
        "turns": Conversation.turns + len(said),
        "updated_at": now,
    }
    if state is not None:
        values["state"] = state
    result = await uow.session.execute(
        update(Conversation)
        .where(Conversation.id == conversation.id, Conversation.version == seen_version)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise ConversationBusy(
            "another message of this conversation was answered meanwhile: send again"
        )
    written = []
    for offset, message in enumerate(said):
        row = Message(
            id=new_id(),
            conversation_id=conversation.id,
            seq=conversation.turns + offset,
            role=message.role,
            text=message.text,
            intent=message.intent,
            confidence=message.confidence,
            payload=message.payload or {},
            created_at=now,
        )
        uow.session.add(row)
        written.append(_view(row))
    await uow.session.flush()
    return written


async def append(
    uow: UnitOfWork, *, conversation_id: str, said: Said, now: datetime
) -> MessageView | None:
    """A message from outside the dialogue (staff's answer): written whatever the version,
    retried on a concurrent turn by the caller's retry of the event. None if the
    conversation is gone."""
    conversation = await uow.session.get(Conversation, conversation_id)
    if conversation is None:
        return None
    return (
        await record(
            uow,
            conversation=conversation,
            seen_version=conversation.version,
            state=None,
            said=[said],
            now=now,
        )
    )[0]


async def history(
    uow: UnitOfWork, *, conversation_id: str, after: int | None = None, limit: int = HISTORY
) -> list[MessageView]:
    """The last `limit` messages (those after `after`, if given), oldest first."""
    query = select(Message).where(Message.conversation_id == conversation_id)
    if after is not None:
        query = query.where(Message.seq > after)
    rows = list(await uow.session.scalars(query.order_by(Message.seq.desc()).limit(limit)))
    return [_view(m) for m in reversed(rows)]


async def latest(uow: UnitOfWork, *, principal: Principal) -> Conversation | None:
    """The shopper's most recent conversation (what a reconnecting widget resumes)."""
    query = select(Conversation)
    if principal.kind == "user":
        query = query.where(Conversation.user_id == principal.id)
    elif principal.kind == "guest" and principal.session_id:
        query = query.where(Conversation.session_id == principal.session_id)
    else:
        return None
    found: Conversation | None = await uow.session.scalar(
        query.order_by(Conversation.updated_at.desc(), Conversation.id.desc()).limit(1)
    )
    return found


async def promote(uow: UnitOfWork, *, session_id: str, user_id: str) -> int:
    """A guest's conversations become its user's (seed 004's session promotion)."""
    result = await uow.session.execute(
        update(Conversation)
        .where(Conversation.session_id == session_id, Conversation.user_id.is_(None))
        .values(user_id=user_id)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _view(row: Message) -> MessageView:
    return MessageView(
        id=row.id,
        seq=row.seq,
        role=row.role,
        text=row.text,
        intent=row.intent,
        confidence=row.confidence,
        payload=row.payload or {},
        created_at=row.created_at,
    )
