"""The assistant agent: the conversational orchestrator of seed 004. It understands a message
offline (an intent classifier and an entity extractor shipped with Mercato, `nlu/`), builds
the context (the conversation, the cart, recent orders, memory), routes to its skills, which
call the other agents' services, and answers with words, cards and quick replies, over HTTP
or a WebSocket. Money-moving actions wait for the shopper's yes."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from mercato.agents.assistant import rules as _rules  # registers BR021
from mercato.agents.assistant.api import USE
from mercato.agents.assistant.api import router as api_router
from mercato.agents.assistant.cli import cli
from mercato.agents.assistant.handlers import handlers
from mercato.agents.assistant.lexicons import Lexicons
from mercato.agents.assistant.live import TOPIC, Announcer, LiveConversations
from mercato.agents.assistant.llm.brain import Brain, model_for
from mercato.agents.assistant.ws import router as ws_router
from mercato.kernel.agent import Agent
from mercato.kernel.auth import grant
from mercato.kernel.bootstrap import Kernel

del _rules

grant("guest", USE)
grant("customer", USE)
grant("merchant", USE)
grant("support", USE)

router = APIRouter()
router.include_router(api_router)
router.include_router(ws_router)


def setup(kernel: Kernel) -> None:
    live = LiveConversations()
    kernel.provide(LiveConversations, live)
    kernel.provide(Lexicons, Lexicons())
    kernel.provide(Brain, Brain(model_for(kernel.settings)))
    kernel.provide(Announcer, Announcer(kernel.broadcast.publish))
    kernel.broadcast.subscribe(TOPIC, live.deliver)


agent = Agent(
    name="assistant",
    description="The shopping assistant: understanding, dialogue, skills over the agents, memory",
    router=router,
    cli=cli,
    handlers=handlers,
    setup=setup,
    web=Path(__file__).parent / "web",
    tables=[
        "assistant_conversations",
        "assistant_messages",
        "assistant_memories",
        "assistant_usage",
    ],
)
