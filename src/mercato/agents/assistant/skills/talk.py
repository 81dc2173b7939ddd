"""Small talk and the way back to shopping: greetings, thanks, goodbyes, and a polite
redirect for anything that is not about this store (never an action)."""

from __future__ import annotations

from mercato.agents.assistant.nlu.parser import Understanding
from mercato.agents.assistant.reply import Reply
from mercato.agents.assistant.turn import Turn
from mercato.agents.identity import service as identity

STARTERS = ["Show me hoodies", "Where is my order?", "What's your returns policy?"]


async def greeting(turn: Turn, u: Understanding) -> Reply:
    name = None
    if turn.principal.kind == "user":
        async with turn.read() as uow:
            contact = await identity.contact_of(uow, user_id=turn.principal.id)
        name = contact[1].split()[0] if contact and contact[1] else None
    hello = f"Hi {name}!" if name else "Hi!"
    return Reply(
        f"{hello} I can find products, manage your cart, check out, track orders "
        "and answer questions about the shop. What can I do for you?",
        quick_replies=STARTERS,
    )


async def goodbye(turn: Turn, u: Understanding) -> Reply:
    return Reply("Bye for now! Your cart and this conversation will be here when you come back.")


async def thanks(turn: Turn, u: Understanding) -> Reply:
    return Reply("You're welcome! Anything else?", quick_replies=["No, that's all", *STARTERS[:2]])


async def out_of_scope(turn: Turn, u: Understanding) -> Reply:
    return Reply(
        "I can only help with shopping here: products, your cart, orders, returns "
        "and questions about the shop.",
        quick_replies=STARTERS,
    )


async def unsure(turn: Turn, u: Understanding) -> Reply:
    """A message understood too little to act on: ask again, offering the likely meanings."""
    return Reply(
        "Sorry, I didn't quite get that. Could you say it another way?",
        quick_replies=STARTERS,
    )
