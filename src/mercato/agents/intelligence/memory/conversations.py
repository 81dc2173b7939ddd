"""A conversation's context (seed 001 property 32, the storage half): every question asked in
a conversation is remembered with the scope and intents the router read, so a follow-up
("and last month?") starts from the previous question's scope.

A conversation belongs to the user who asked its first question: to anyone else its id is
unknown (`ConversationNotFound`), and nothing of it is read or added."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from mercato.agents.intelligence.ask.scope import Scope
from mercato.agents.intelligence.memory.models import IntelConversationTurn
from mercato.agents.intelligence.memory.problems import ConversationNotFound
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id


@dataclass(frozen=True)
class Turn:
    conversation_id: str
    query_id: str
    question: str
    scope: Scope
    intents: tuple[str, ...]
    asked_at: datetime


async def new_conversation_id() -> str:
    return new_id()


async def remember(
    uow: UnitOfWork,
    *,
    conversation_id: str,
    user_id: str,
    query_id: str,
    question: str,
    scope: Scope,
    intents: Sequence[str],
    now: datetime,
) -> Turn:
    """Add a question to the user's conversation (a new id starts one)."""
    await _refuse_others(uow, conversation_id=conversation_id, user_id=user_id)
    row = IntelConversationTurn(
        id=new_id(),
        conversation_id=conversation_id,
        user_id=user_id,
        query_id=query_id,
        question=question,
        scope=scope.as_dict(),
        intents=[str(intent) for intent in intents],
        created_at=now,
    )
    uow.session.add(row)
    return _turn(row)


async def last_turn(uow: UnitOfWork, *, conversation_id: str, user_id: str) -> Turn | None:
    """The last question of the user's conversation; None for a conversation not begun."""
    row = await uow.session.scalar(
        select(IntelConversationTurn)
        .where(
            IntelConversationTurn.conversation_id == conversation_id,
            IntelConversationTurn.user_id == user_id,
        )
        .order_by(IntelConversationTurn.created_at.desc(), IntelConversationTurn.id.desc())
        .limit(1)
    )
    if row is None:
        await _refuse_others(uow, conversation_id=conversation_id, user_id=user_id)
        return None
    return _turn(row)


async def _refuse_others(uow: UnitOfWork, *, conversation_id: str, user_id: str) -> None:
    """`ConversationNotFound` when another user holds the conversation."""
    other = await uow.session.scalar(
        select(IntelConversationTurn.id)
        .where(
            IntelConversationTurn.conversation_id == conversation_id,
            IntelConversationTurn.user_id != user_id,
        )
        .limit(1)
    )
    if other is not None:
        raise ConversationNotFound(f"No conversation {conversation_id!r} of yours")


def _turn(row: IntelConversationTurn) -> Turn:
    return Turn(
        conversation_id=row.conversation_id,
        query_id=row.query_id,
        question=row.question,
        scope=Scope.from_dict(row.scope),
        intents=tuple(row.intents),
        asked_at=row.created_at,
    )
