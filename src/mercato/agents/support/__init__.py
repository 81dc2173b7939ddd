"""The support agent: tickets (open → assigned → waiting on the customer → solved, reopened
by the customer's message), their messages and internal notes, SLA due times by priority and
their breaches; the FAQ and answering a question from it by words and meaning; hand-off from
the shopping assistant (a ticket with the conversation's id and transcript, and its staff
replies announced for the chat). Seed 003 "Support and Chat"."""

from __future__ import annotations

from pathlib import Path

from mercato.agents.support.access import MANAGE, USE
from mercato.agents.support.api import router
from mercato.agents.support.handlers import handlers
from mercato.agents.support.matching import FaqIndex
from mercato.kernel.agent import Agent
from mercato.kernel.auth import grant
from mercato.kernel.bootstrap import Kernel

grant("guest", USE)  # the tickets of their session
grant("customer", USE)  # their own tickets
grant("merchant", USE)
grant("support", USE, MANAGE)  # every ticket, internal notes, the FAQ
grant("system", USE, MANAGE)  # integrations: a helpdesk's sync
# admins hold every permission


def setup(kernel: Kernel) -> None:
    """What this process keeps of each store's FAQ (articles and their vectors)."""
    ttl = kernel.settings.support_faq_cache_seconds
    kernel.provide(FaqIndex, FaqIndex(kernel.broadcast, ttl=ttl))


agent = Agent(
    name="support",
    description="Tickets with SLAs, internal notes and hand-off from the assistant; the FAQ",
    router=router,
    handlers=handlers,
    setup=setup,
    tables=["support_tickets", "support_messages", "support_articles", "support_counters"],
    web=Path(__file__).parent / "web",
)
