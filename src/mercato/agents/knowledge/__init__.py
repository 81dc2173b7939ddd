"""The knowledge agent (seed 000, issue 6): the live domain catalog (entities read from the
agents' tables, business rules as registered, workflows linked to the code performing them,
edge cases linked to the tests exercising them), the knowledge query, rule-checked test-data
generation, and the gRPC services (`ecommerce.domain.v1`, `testdata.v1`) that serve it all."""

from __future__ import annotations

from pathlib import Path

import structlog
from fastapi import APIRouter

from mercato.agents.knowledge import patterns
from mercato.agents.knowledge.api import router
from mercato.agents.knowledge.api_properties import router as properties_router
from mercato.agents.knowledge.cli import cli
from mercato.kernel.agent import Agent
from mercato.kernel.bootstrap import Kernel

log = structlog.get_logger("mercato.knowledge")


def setup(kernel: Kernel) -> None:
    """The client of the external Test Data Agent generation delegates to, if one is named."""
    target = kernel.settings.test_data_agent
    if target:
        from mercato.agents.knowledge.rpc.test_data_client import TestDataAgentClient

        client = TestDataAgentClient(target, timeout=kernel.settings.test_data_agent_timeout)
        kernel.provide(TestDataAgentClient, client)


async def start(kernel: Kernel) -> None:
    """Read the remembered test-data patterns; serve gRPC when this process should."""
    await patterns.refresh(kernel, force=True)
    if kernel.settings.serve_grpc:
        from mercato.agents.knowledge.rpc import server

        try:
            await server.start(kernel, host=kernel.settings.host, port=kernel.settings.grpc_port)
        except server.PortInUseError as exc:  # HTTP still serves; `mercato grpc` exits on it
            log.warning("grpc_not_served", error=str(exc))


async def stop(kernel: Kernel) -> None:
    from mercato.agents.knowledge.rpc import server

    await server.stop(kernel)
    if kernel.settings.test_data_agent:
        from mercato.agents.knowledge.rpc.test_data_client import TestDataAgentClient

        client = kernel.wiring.take(TestDataAgentClient)
        if client is not None:
            await client.close()


routes = APIRouter()
routes.include_router(router)
routes.include_router(properties_router)

agent = Agent(
    name="knowledge",
    description="The live domain catalog: entities, business rules, edge cases, workflows, "
    "knowledge query, test data, gRPC",
    router=routes,
    cli=cli,
    setup=setup,
    on_start=start,
    on_stop=stop,
    web=Path(__file__).parent / "web",
)
