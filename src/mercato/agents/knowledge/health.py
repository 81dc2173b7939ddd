"""The knowledge agent's components, each checked when asked (seed 000's HealthCheck).

- catalog: the entity and workflow descriptions build from the code;
- rules: the business-rule registry holds rules;
- database: the database answers (patterns live there);
- knowledge_index: the MiniLM model loads (without it the query ranks by words: degraded);
- test_data_generator: Mercato's generator makes one order that passes every rule;
- test_data_agent: the external agent, when `MERCATO_TEST_DATA_AGENT` names one (down is
  degraded: Mercato's own generator answers instead).

Overall: healthy when all are; unhealthy when the catalog, the rules or the generator fail
(the service cannot answer truthfully); degraded otherwise.
"""

from __future__ import annotations

import asyncio

from mercato.agents.knowledge import entities, workflows
from mercato.agents.knowledge.search import Index
from mercato.agents.knowledge.testdata import GenerationRequest, generate
from mercato.kernel import rules
from mercato.kernel.bootstrap import Kernel

ESSENTIAL = ("catalog", "rules", "test_data_generator")
CHECK_SECONDS = 5.0


async def component_health(
    kernel: Kernel, *, index: Index, include_agent: bool = True
) -> tuple[str, dict[str, str]]:
    """The overall status and each component's (`healthy`, or `degraded: why`,
    `unhealthy: why`), `index` being the knowledge index the service answers from;
    `include_agent=False` leaves the external Test Data Agent out."""
    components = {
        "catalog": _catalog(),
        "rules": "healthy" if rules.registered() else "unhealthy: no rule is registered",
        "database": await _database(kernel),
        "knowledge_index": await _index(index),
        "test_data_generator": await _generator(),
    }
    if include_agent and kernel.settings.test_data_agent:
        components["test_data_agent"] = await _test_data_agent(kernel)
    states = {name: value.split(":", 1)[0] for name, value in components.items()}
    if all(state == "healthy" for state in states.values()):
        return "healthy", components
    if any(states[name] != "healthy" for name in ESSENTIAL):
        return "unhealthy", components
    return "degraded", components


def _catalog() -> str:
    try:
        described = entities.entities()
        flows = workflows.workflows()
    except Exception as exc:
        return f"unhealthy: {exc!r}"
    return "healthy" if described and flows else "unhealthy: the catalog is empty"


async def _database(kernel: Kernel) -> str:
    try:
        await asyncio.wait_for(kernel.db.ping(), timeout=CHECK_SECONDS)
    except Exception as exc:
        return f"unhealthy: {exc.__class__.__name__}"
    return "healthy"


async def _index(index: Index) -> str:
    model = await asyncio.to_thread(index.model)
    return "healthy" if model is not None else "degraded: lexical ranking (model unavailable)"


async def _generator() -> str:
    try:
        result = await asyncio.to_thread(generate, GenerationRequest(entity="order", count=1))
    except Exception as exc:
        return f"unhealthy: {exc!r}"
    if result.coherence_score < 1.0:
        return f"unhealthy: a generated order broke a rule (coherence {result.coherence_score})"
    return "healthy"


async def _test_data_agent(kernel: Kernel) -> str:
    from mercato.agents.knowledge.rpc.test_data_client import TestDataAgentClient

    status = await kernel.deps(TestDataAgentClient).health()
    return "healthy" if status == "healthy" else f"degraded: {status}"
