"""Mercato as a Test Data Agent (`testdata.v1.TestDataService`, the contract seed 000's client
uses), and Mercato delegating to one when `MERCATO_TEST_DATA_AGENT` names it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator

import grpc
import pytest

from mercato.agents.knowledge.proto import ecommerce_domain_pb2 as domain_pb
from mercato.agents.knowledge.proto import ecommerce_domain_pb2_grpc as domain_rpc
from mercato.agents.knowledge.proto import test_data_pb2 as pb
from mercato.agents.knowledge.proto import test_data_pb2_grpc as rpc
from mercato.agents.knowledge.rpc import server
from mercato.kernel.config import Settings
from tests.support.serve import free_port
from tests.support.store import store_for


@pytest.fixture
async def agent_address(settings: Settings) -> AsyncIterator[str]:
    """A Mercato serving gRPC, standing in for an external Test Data Agent."""
    async with store_for(settings, start=False) as (kernel, _):
        port = await server.start(kernel, host="127.0.0.1", port=0)
        yield f"127.0.0.1:{port}"


@pytest.fixture
async def test_data(agent_address: str) -> AsyncIterator[rpc.TestDataServiceStub]:
    async with grpc.aio.insecure_channel(agent_address) as channel:
        yield rpc.TestDataServiceStub(channel)


async def test_it_generates_as_the_seeds_client_asks(test_data: rpc.TestDataServiceStub) -> None:
    # given the request seed 000's TestDataAgentClient.generate_data builds
    request = pb.GenerateRequest(
        request_id="t-1",
        domain="ecommerce",
        entity="order",
        count=30,
        context="checkout regression suite",
        scenarios=[
            pb.Scenario(name="high_value", count=10, description="big baskets"),
            pb.Scenario(name="single_item", count=5),
        ],
        hints=["realistic"],
        output_format=pb.CSV,
    )
    # when it is sent
    answer = await test_data.GenerateData(request)
    # then the records come back as CSV, every ordinary one passing the rules
    assert answer.success, answer.error
    assert answer.request_id == "t-1"
    rows = list(csv.DictReader(io.StringIO(answer.data)))
    assert answer.record_count == len(rows) == 30
    assert answer.metadata.coherence_score == 1.0
    assert dict(answer.metadata.scenario_counts) == {
        "happy_path": 15,
        "high_value": 10,
        "single_item": 5,
    }
    assert answer.metadata.generation_path == "mercato-generator"


async def test_requests_it_cannot_vouch_for_are_refused(
    test_data: rpc.TestDataServiceStub,
) -> None:
    refused = {
        "custom_schema_unsupported": pb.GenerateRequest(
            entity="widget",
            count=3,
            schema=pb.Schema(fields=[pb.Field(name="colour", type=pb.STRING)]),
        ),
        "scenario_overrides_unsupported": pb.GenerateRequest(
            entity="order",
            count=3,
            scenarios=[pb.Scenario(name="happy_path", count=3, overrides={"total": "0"})],
        ),
        "unsupported_domain": pb.GenerateRequest(domain="supply_chain", entity="order", count=3),
        "invalid_count": pb.GenerateRequest(entity="order", count=-1),
    }
    for code, request in refused.items():
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await test_data.GenerateData(request)
        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert raised.value.details().startswith(code), raised.value.details()


async def test_its_schemas_are_the_entities_it_generates(
    test_data: rpc.TestDataServiceStub,
) -> None:
    answer = await test_data.GetSchemas(pb.GetSchemasRequest(domain="ecommerce"))
    elsewhere = await test_data.GetSchemas(pb.GetSchemasRequest(domain="healthcare"))
    health = await test_data.HealthCheck(pb.HealthCheckRequest())

    order = next(s for s in answer.schemas if s.name == "order")
    assert {"id", "total", "currency"} <= set(order.fields)
    assert order.domain == "ecommerce"
    assert not elsewhere.schemas
    assert health.status == "healthy"
    assert "test_data_generator" in health.components


async def _generate_through(settings: Settings) -> domain_pb.GenerateTestDataResponse:
    async with store_for(settings, start=False) as (kernel, _):
        port = await server.start(kernel, host="127.0.0.1", port=0)
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = domain_rpc.EcommerceDomainServiceStub(channel)
            return await stub.GenerateTestData(
                domain_pb.GenerateTestDataRequest(
                    entity="customer", count=12, output_format="JSON"
                ),
                timeout=30,
            )


async def test_generation_is_delegated_to_the_configured_agent(
    settings: Settings, agent_address: str
) -> None:
    # given a Mercato told to delegate to a Test Data Agent that answers
    delegating = settings.model_copy(update={"test_data_agent": agent_address})
    # when it is asked for data
    answer = await _generate_through(delegating)
    # then the agent generated it, and the metadata says so
    assert answer.success, answer.error
    assert len(json.loads(answer.data)) == 12
    assert answer.metadata.generation_path.startswith(f"test-data-agent@{agent_address}")
    assert answer.metadata.coherence_score == 1.0
    assert "BR011" in answer.metadata.domain_context_used


async def test_a_silent_agent_leaves_mercatos_generator_to_answer(settings: Settings) -> None:
    # given a Mercato told to delegate to an agent nobody runs
    silent = f"127.0.0.1:{free_port()}"
    delegating = settings.model_copy(
        update={"test_data_agent": silent, "test_data_agent_timeout": 2.0}
    )
    # when it is asked for data
    answer = await _generate_through(delegating)
    # then its own generator answers, with a note saying why
    assert answer.success, answer.error
    assert len(json.loads(answer.data)) == 12
    path = answer.metadata.generation_path
    assert path.startswith("mercato-generator (fallback: the Test Data Agent at " + silent)
    assert answer.metadata.coherence_score == 1.0


async def test_health_says_which_agent_is_down(settings: Settings) -> None:
    silent = f"127.0.0.1:{free_port()}"
    delegating = settings.model_copy(update={"test_data_agent": silent})
    async with store_for(delegating, start=False) as (kernel, _):
        port = await server.start(kernel, host="127.0.0.1", port=0)
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            domain = domain_rpc.EcommerceDomainServiceStub(channel)
            as_agent = rpc.TestDataServiceStub(channel)
            health = await domain.HealthCheck(domain_pb.HealthCheckRequest())
            agent_health = await as_agent.HealthCheck(pb.HealthCheckRequest())

    assert health.status == "degraded"
    assert health.components["test_data_agent"].startswith("degraded: unreachable")
    # as a Test Data Agent itself it asks no other agent
    assert agent_health.status == "healthy"
    assert "test_data_agent" not in agent_health.components
