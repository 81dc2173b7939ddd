"""The assistant's HTTP routes: parse → service → answer. The WebSocket is `ws.py`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from mercato.agents.assistant import service
from mercato.agents.assistant.problems import (
    ConversationBusy,
    ConversationNotFound,
    MemoryEntryNotFound,
    SessionRequired,
)
from mercato.agents.assistant.schemas import (
    ConversationOut,
    EntityOut,
    IntentOut,
    MemoryEntryOut,
    MemoryOut,
    MessageIn,
    MessageOut,
    ParseIn,
    ParseOut,
    ReplyOut,
)
from mercato.agents.assistant.service import Answer
from mercato.kernel.auth import CurrentPrincipal, PermissionCheck, Principal, public
from mercato.kernel.errors import Unauthorized
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

router = APIRouter(tags=["assistant"])
USE = "assistant:use"


class ShopperCheck(PermissionCheck):
    """`require("assistant:use")`, telling an anonymous caller how to start (401
    `session_required`) rather than only that credentials are missing."""

    async def __call__(self, request: Request, principal: CurrentPrincipal) -> Principal:
        try:
            return await super().__call__(request, principal)
        except Unauthorized:
            if principal.kind == "anonymous":
                raise SessionRequired() from None
            raise


Anyone = Annotated[Principal, Depends(public())]
Chatting = Annotated[Principal, Depends(ShopperCheck(USE))]


def entities_out(entities: list[service.Entity]) -> list[EntityOut]:
    return [
        EntityOut(
            type=e.type,
            value=e.value,
            start=e.start,
            end=e.end,
            product_id=e.extra.get("product_id"),
            category_id=e.extra.get("category_id"),
        )
        for e in entities
    ]


def reply_out(answer: Answer) -> ReplyOut:
    return ReplyOut(
        conversation_id=answer.conversation_id,
        reply=answer.reply.text,
        intent=IntentOut(name=answer.intent, confidence=answer.confidence),
        entities=entities_out(answer.entities),
        actions=answer.reply.actions,
        cards=answer.reply.cards,
        quick_replies=answer.reply.quick_replies,
        seq=answer.seq,
        via=answer.via,
    )


@router.post("/assistant/parse", response_model=ParseOut)
async def parse(body: ParseIn, kernel: KernelDep, who: Anyone) -> ParseOut:
    """A message's intent (calibrated confidence, the next likeliest) and entities with their
    character spans. Nothing is written; anyone may call it."""
    understood = await service.parse(kernel, store=who.tenant_id, text=body.text)
    return ParseOut(
        intent=IntentOut(name=understood.intent, confidence=understood.confidence),
        intent_ranking=[IntentOut(name=n, confidence=c) for n, c in understood.ranking],
        entities=entities_out(understood.entities),
    )


@router.post(
    "/assistant/messages",
    response_model=ReplyOut,
    responses=problems(SessionRequired, ConversationNotFound, ConversationBusy),
)
async def send_message(body: MessageIn, kernel: KernelDep, who: Chatting) -> ReplyOut:
    """A shopper's message and the assistant's reply, in a conversation (a new one without
    `conversation_id`). Guests chat with `X-Session-Token`; signed-in shoppers with their
    bearer token. Checkout, cancelling and address changes are only done on a "yes" to
    the confirmation they ask for; a checkout's "yes" carries `payment`."""
    answer = await service.converse(
        kernel,
        principal=who,
        text=body.text,
        conversation_id=body.conversation_id,
        payment=body.payment.model_dump(exclude_none=True) if body.payment else None,
    )
    return reply_out(answer)


@router.get(
    "/assistant/conversations/latest",
    response_model=ConversationOut,
    responses=problems(SessionRequired),
)
async def latest_conversation(
    kernel: KernelDep, who: Chatting, after: Annotated[int | None, Query(ge=-1)] = None
) -> ConversationOut:
    """The shopper's most recent conversation (what a chat widget resumes), its last messages."""
    conversation_id, said = await service.history(
        kernel, principal=who, conversation_id=None, after=after
    )
    return _conversation(conversation_id, said)


@router.get(
    "/assistant/conversations/{conversation_id}",
    response_model=ConversationOut,
    responses=problems(SessionRequired, ConversationNotFound),
)
async def get_conversation(
    conversation_id: str,
    kernel: KernelDep,
    who: Chatting,
    after: Annotated[
        int | None, Query(ge=-1, description="Only the messages after this `seq`")
    ] = None,
) -> ConversationOut:
    """A conversation's messages, oldest first (the last 50): the shopper's, the assistant's
    and staff's answers to a hand-off."""
    conversation_id_, said = await service.history(
        kernel, principal=who, conversation_id=conversation_id, after=after
    )
    return _conversation(conversation_id_, said)


def _conversation(conversation_id: str | None, said: list[service.MessageView]) -> ConversationOut:
    return ConversationOut(
        conversation_id=conversation_id,
        items=[
            MessageOut(
                seq=m.seq,
                role=m.role,
                text=m.text,
                intent=m.intent,
                created_at=m.created_at,
                payload=m.payload,
            )
            for m in said
        ],
        next_cursor=None,
    )


@router.get("/me/memory", response_model=MemoryOut, responses=problems(SessionRequired))
async def my_memory(kernel: KernelDep, who: Chatting) -> MemoryOut:
    """What the assistant remembers of you: preferences you stated, affinities your views,
    cart and purchases show."""
    entries = await service.recall(kernel, principal=who)
    return MemoryOut(items=[MemoryEntryOut(**vars(e)) for e in entries], next_cursor=None)


@router.delete("/me/memory", status_code=204, responses=problems(SessionRequired))
async def forget_me(kernel: KernelDep, who: Chatting) -> Response:
    """Forget everything remembered of you."""
    await service.forget(kernel, principal=who)
    return Response(status_code=204)


@router.delete(
    "/me/memory/{entry_id}",
    status_code=204,
    responses=problems(SessionRequired, MemoryEntryNotFound),
)
async def forget_one(entry_id: str, kernel: KernelDep, who: Chatting) -> Response:
    """Forget one thing remembered of you."""
    if not await service.forget(kernel, principal=who, entry_id=entry_id):
        raise MemoryEntryNotFound(f"no memory entry {entry_id!r}")
    return Response(status_code=204)
