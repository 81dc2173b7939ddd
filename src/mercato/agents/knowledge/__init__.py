"""The knowledge agent (seed 000, issue 6; being built): the live domain catalog of entities
read from the agents' tables, the business rules as registered, and (to come) workflows,
edge cases, knowledge query, test-data generation and the gRPC service."""

from __future__ import annotations

from mercato.agents.knowledge.api import router
from mercato.kernel.agent import Agent

agent = Agent(
    name="knowledge",
    description="The live domain catalog: entities, business rules, edge cases, workflows",
    router=router,
)
