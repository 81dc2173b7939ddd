"""The assistant's commands and queries: understanding a message (`parse`, no side effects),
a turn of a conversation (`converse`: understand, build the context, route to a skill,
remember, record), a conversation's history, and a shopper's memory. Other agents reach
the assistant through its events only; this module is for its own edges (HTTP, WebSocket)
and the LLM path."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import structlog

from mercato.agents.assistant import conversations, dialogue, memory
from mercato.agents.assistant.conversations import MessageView, Said
from mercato.agents.assistant.lexicons import Lexicons
from mercato.agents.assistant.llm.brain import Brain
from mercato.agents.assistant.nlu.found import Entity
from mercato.agents.assistant.nlu.parser import Understanding, understand
from mercato.agents.assistant.problems import SessionRequired
from mercato.agents.assistant.reply import Reply
from mercato.agents.assistant.turn import Turn
from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel

log = structlog.get_logger("mercato.assistant")
__all__ = ["Answer", "Entity", "MessageView", "converse", "forget", "history", "parse", "recall"]


@dataclass(frozen=True)
class Answer:
    """A turn's outcome, as the edges send it."""

    conversation_id: str
    reply: Reply
    intent: str
    confidence: float
    entities: list[Entity]
    seq: int
    """The reply's number in the conversation."""
    via: str = "offline"
    """`offline` (Mercato's own understanding) or `llm`."""
    notices: list[str] = field(default_factory=list)


def shopper_of(principal: Principal) -> None:
    if principal.kind == "user" or (principal.kind == "guest" and principal.session_id):
        return
    raise SessionRequired()


async def parse(kernel: Kernel, *, store: str, text: str) -> Understanding:
    async with kernel.uow(writes=False) as uow:
        gazetteer = await kernel.deps(Lexicons).of(uow, store)
    await Turn.pause()
    return understand(text, gazetteer)


async def converse(
    kernel: Kernel,
    *,
    principal: Principal,
    text: str,
    conversation_id: str | None,
    payment: dict[str, Any] | None = None,
) -> Answer:
    shopper_of(principal)
    now = kernel.clock.now()
    async with kernel.uow() as uow:
        conversation, created = await conversations.open_for(
            uow, principal=principal, conversation_id=conversation_id, now=now
        )
        if created:
            await uow.commit()
        seen = conversation.version
        state = copy.deepcopy(conversation.state or {})
        gazetteer = await kernel.deps(Lexicons).of(uow, principal.tenant_id)
        owner = _owner(principal)
        remembered = await memory.recall(uow, owner)
    await Turn.pause()
    understood = understand(text, gazetteer)
    turn = Turn(
        kernel=kernel,
        principal=principal,
        conversation_id=conversation.id,
        state=state,
        now=now,
        gazetteer=gazetteer,
        remembered=remembered,
        payment=payment,
    )
    reply, intent, via = await _respond(kernel, turn, understood)
    async with kernel.uow() as uow:
        written = await conversations.record(
            uow,
            conversation=conversation,
            seen_version=seen,
            state=turn.state,
            said=[
                Said(
                    "shopper",
                    text,
                    understood.intent,
                    understood.confidence,
                    {"entities": [_entity(e) for e in understood.entities]},
                ),
                Said("assistant", reply.text, intent, None, _payload(reply)),
            ],
            now=now,
        )
        if owner is not None:
            for _, key, value in turn.learned:
                await memory.prefer(uow, owner, key, value, now=now)
        await uow.commit()
    await Turn.pause()
    return Answer(
        conversation_id=conversation.id,
        reply=reply,
        intent=understood.intent,
        confidence=understood.confidence,
        entities=understood.entities,
        seq=written[-1].seq,
        via=via,
    )


async def _respond(kernel: Kernel, turn: Turn, understood: Understanding) -> tuple[Reply, str, str]:
    """The LLM's answer when one is configured and the turn is free-form; Mercato's own
    otherwise, and whenever the LLM cannot answer (its budget spent, the provider down or
    slow). A pending question or confirmation is always Mercato's to read."""
    model = kernel.deps(Brain).model
    if model is not None and turn.pending is None and not understood.steering:
        from mercato.agents.assistant.llm import run as llm  # only with an LLM: its import is slow

        try:
            reply, intents = await llm.answer(turn, model, understood.text)
            return reply, intents[-1] if intents else understood.intent, "llm"
        except llm.BudgetSpent:
            log.info("assistant_llm_budget_spent", store=turn.principal.tenant_id)
        except Exception as exc:  # any provider failure: answered offline within the turn
            log.warning("assistant_llm_failed", error=repr(exc)[:300])
    reply, intent = await dialogue.respond(turn, understood)
    return reply, intent, "offline"


async def history(
    kernel: Kernel, *, principal: Principal, conversation_id: str | None, after: int | None = None
) -> tuple[str | None, list[MessageView]]:
    """A conversation's messages (the shopper's latest conversation when none is named)."""
    shopper_of(principal)
    async with kernel.uow(writes=False) as uow:
        if conversation_id is None:
            latest = await conversations.latest(uow, principal=principal)
            if latest is None:
                return None, []
            conversation_id = latest.id
        else:
            await conversations.find(uow, conversation_id=conversation_id, principal=principal)
        return conversation_id, await conversations.history(
            uow, conversation_id=conversation_id, after=after
        )


async def recall(kernel: Kernel, *, principal: Principal) -> list[memory.Entry]:
    owner = _owner(principal)
    if owner is None:
        raise SessionRequired()
    async with kernel.uow(writes=False) as uow:
        return await memory.entries(uow, owner)


async def forget(kernel: Kernel, *, principal: Principal, entry_id: str | None = None) -> int:
    owner = _owner(principal)
    if owner is None:
        raise SessionRequired()
    async with kernel.uow() as uow:
        count = await memory.forget(uow, owner, entry_id=entry_id)
        await uow.commit()
    return count


def _owner(principal: Principal) -> str | None:
    if principal.kind == "user":
        return f"user:{principal.id}"
    if principal.kind == "guest" and principal.session_id:
        return f"guest:{principal.session_id}"
    return None


def _entity(e: Entity) -> dict[str, Any]:
    return {"type": e.type, "value": e.value, "start": e.start, "end": e.end, **e.extra}


def _payload(reply: Reply) -> dict[str, Any]:
    return {"actions": reply.actions, "cards": reply.cards, "quick_replies": reply.quick_replies}
