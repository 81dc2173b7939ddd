"""The assistant API's requests and answers (the contract of seed 004's chat)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from mercato.kernel.schemas import RequestModel

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ParseIn(RequestModel):
    text: Text


class IntentOut(BaseModel):
    name: str
    confidence: float = Field(description="Calibrated: the share of such guesses that are right")


class EntityOut(BaseModel):
    type: str
    value: str
    start: int = Field(description="Character offset in the text (inclusive)")
    end: int = Field(description="Character offset in the text (exclusive)")
    product_id: str | None = None
    category_id: str | None = None


class ParseOut(BaseModel):
    intent: IntentOut
    intent_ranking: list[IntentOut]
    entities: list[EntityOut]


class PaymentIn(RequestModel):
    """A payment source the UI collected for a checkout confirmation, as `POST /v1/checkout`
    takes it: a provider's token, or a card turned into a token at once (never stored)."""

    provider: Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,32}$")] = "sandbox"
    token: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = None
    card: dict[str, Any] | None = None


class MessageIn(RequestModel):
    text: Text
    conversation_id: Annotated[str, StringConstraints(min_length=1, max_length=36)] | None = None
    payment: PaymentIn | None = None


class ReplyOut(BaseModel):
    conversation_id: str
    reply: str
    intent: IntentOut
    entities: list[EntityOut]
    actions: list[dict[str, Any]] = Field(
        description="What was done this turn (a cart line added, an order cancelled)"
    )
    cards: list[dict[str, Any]] = Field(
        description="What a UI shows: product, cart, order, confirmation, ticket, faq, link, "
        "payment_form"
    )
    quick_replies: list[str]
    seq: int
    via: str = Field(description="`offline` (Mercato's own understanding) or `llm`")


class MessageOut(BaseModel):
    seq: int
    role: str = Field(description="shopper, assistant or staff")
    text: str
    intent: str | None
    created_at: datetime
    payload: dict[str, Any]


class ConversationOut(BaseModel):
    conversation_id: str | None
    items: list[MessageOut]
    next_cursor: str | None


class MemoryEntryOut(BaseModel):
    id: str
    kind: str = Field(description="preference (stated) or affinity (inferred from signals)")
    key: str
    value: str
    weight: float
    source: str
    updated_at: datetime


class MemoryOut(BaseModel):
    items: list[MemoryEntryOut]
    next_cursor: str | None
