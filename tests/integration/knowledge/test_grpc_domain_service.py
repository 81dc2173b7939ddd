"""`ecommerce.domain.v1.EcommerceDomainService` answers from the live catalog, over a real
gRPC connection (in this process; tests/e2e/test_seed_proto_client.py calls it with a client
generated from the seed's own proto text)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from mercato.agents.knowledge.edge_cases import edge_case
from mercato.agents.knowledge.proto import ecommerce_domain_pb2 as pb
from mercato.agents.knowledge.proto import ecommerce_domain_pb2_grpc as rpc
from mercato.agents.knowledge.rpc import server
from mercato.agents.knowledge.search import Index
from mercato.kernel.config import Settings
from mercato.kernel.rules import registered
from tests.support.store import store_for


@asynccontextmanager
async def serving(settings: Settings, **options: Any) -> AsyncIterator[grpc.aio.Channel]:
    """A channel to the services of a store started with `server.start(…, **options)`."""
    async with store_for(settings, start=False) as (kernel, _):
        port = await server.start(kernel, host="127.0.0.1", port=0, **options)
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as opened:
            yield opened


@pytest.fixture
async def channel(settings: Settings) -> AsyncIterator[grpc.aio.Channel]:
    async with serving(settings) as opened:
        yield opened


@pytest.fixture
def stub(channel: grpc.aio.Channel) -> rpc.EcommerceDomainServiceStub:
    return rpc.EcommerceDomainServiceStub(channel)


async def test_the_entities_listed_are_the_catalogs(stub: rpc.EcommerceDomainServiceStub) -> None:
    listed = await stub.ListEntities(pb.ListEntitiesRequest())

    names = {e.name for e in listed.entities}
    assert {"cart", "cart_item", "order", "payment", "customer", "product"} <= names
    order = next(e for e in listed.entities if e.name == "order")
    assert order.category == "transactional"
    assert order.field_count >= 8

    financial = await stub.ListEntities(pb.ListEntitiesRequest(category="financial"))
    assert {e.category for e in financial.entities} == {"financial"}


async def test_an_entity_carries_the_parts_asked_for(stub: rpc.EcommerceDomainServiceStub) -> None:
    full = await stub.GetEntity(
        pb.EntityRequest(
            entity_name="order",
            include_relationships=True,
            include_rules=True,
            include_edge_cases=True,
        )
    )
    bare = await stub.GetEntity(pb.EntityRequest(entity_name="order"))

    fields = {f.name: f for f in full.entity.fields}
    assert {"id", "number", "status", "total", "currency"} <= fields.keys()
    assert fields["total"].example
    assert {r.id for r in full.entity.rules} >= {"BR005", "BR006"}
    assert any(r.target_entity == "customer" for r in full.entity.relationships)
    assert any(c.startswith("EC002") for c in full.entity.edge_cases)
    assert full.entity.test_scenarios
    assert len(bare.entity.fields) == len(full.entity.fields)
    assert not bare.entity.rules and not bare.entity.relationships and not bare.entity.edge_cases


async def test_a_rule_reads_as_the_registry_holds_it(stub: rpc.EcommerceDomainServiceStub) -> None:
    answer = await stub.GetEntity(pb.EntityRequest(entity_name="payment", include_rules=True))

    br004 = next(r for r in answer.entity.rules if r.id == "BR004")
    registered_br004 = next(r for r in registered() if r.id == "BR004")
    assert br004.constraint == registered_br004.constraint
    assert br004.severity == "error"
    assert registered_br004.source in br004.description


async def test_unknown_entities_and_workflows_are_not_found(
    stub: rpc.EcommerceDomainServiceStub,
) -> None:
    calls = [
        stub.GetEntity(pb.EntityRequest(entity_name="unicorn")),
        stub.GetWorkflow(pb.WorkflowRequest(workflow_name="teleport")),
        stub.GetDomainContext(pb.DomainContextRequest(entity="unicorn")),
        stub.GetEdgeCases(pb.EdgeCasesRequest(workflow="teleport")),
    ]
    for call in calls:
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await call
        assert raised.value.code() == grpc.StatusCode.NOT_FOUND


async def test_requests_it_cannot_answer_as_asked_are_invalid(
    stub: rpc.EcommerceDomainServiceStub,
) -> None:
    calls = [
        stub.ListEntities(pb.ListEntitiesRequest(category="mythology")),
        stub.GetEdgeCases(pb.EdgeCasesRequest(category="astrology")),
        stub.QueryKnowledge(pb.KnowledgeRequest(query="refunds", max_results=500)),
        stub.QueryKnowledge(pb.KnowledgeRequest(query="   ")),
        stub.QueryKnowledge(pb.KnowledgeRequest(query="refunds", categories=["poems"])),
        stub.GetDomainContext(pb.DomainContextRequest(entity="order", aspects=["gossip"])),
    ]
    for call in calls:
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await call
        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_the_checkout_workflow_names_its_steps(stub: rpc.EcommerceDomainServiceStub) -> None:
    answer = await stub.GetWorkflow(
        pb.WorkflowRequest(workflow_name="checkout", include_steps=True, include_edge_cases=True)
    )
    summaries = await stub.ListWorkflows(pb.ListWorkflowsRequest())

    flow = answer.workflow
    assert len(flow.steps) >= 5
    assert [s.order for s in flow.steps] == list(range(1, len(flow.steps) + 1))
    assert any("Performed by mercato." in s.description for s in flow.steps)
    assert {"cart", "order", "payment"} <= set(flow.involved_entities)
    assert flow.edge_cases
    assert {w.name for w in summaries.workflows} == {
        "checkout",
        "return_flow",
        "cart_abandonment",
        "inventory_sync",
    }


async def test_edge_cases_filter_and_keep_their_example_data(
    stub: rpc.EcommerceDomainServiceStub,
) -> None:
    answer = await stub.GetEdgeCases(pb.EdgeCasesRequest(entity="order"))

    ids = [c.id for c in answer.edge_cases]
    assert "EC002" in ids
    assert {c.entity for c in answer.edge_cases} == {"order"}
    for sent in answer.edge_cases:
        written = edge_case(sent.id)
        assert written is not None
        assert sent.example_data.keys() == written.example_data.keys()
        for key, value in written.example_data.items():
            wire = sent.example_data[key]
            assert wire == value if isinstance(value, str) else json.loads(wire) == value


async def test_the_domain_context_speaks_of_the_rules_it_lists(
    stub: rpc.EcommerceDomainServiceStub,
) -> None:
    answer = await stub.GetDomainContext(
        pb.DomainContextRequest(request_id="r-1", entity="payment", workflow="checkout")
    )
    only_rules = await stub.GetDomainContext(
        pb.DomainContextRequest(entity="payment", aspects=["rules"])
    )

    assert answer.request_id == "r-1"
    assert len(answer.context) > 100
    assert "BR004" in {r.id for r in answer.rules}
    assert "BR004" in answer.context
    assert answer.relationships and answer.edge_cases
    assert answer.metadata["entity"] == "payment"
    assert only_rules.rules and not only_rules.relationships and not only_rules.edge_cases


async def test_a_question_finds_the_double_payment_edge_case(
    stub: rpc.EcommerceDomainServiceStub,
) -> None:
    answer = await stub.QueryKnowledge(
        pb.KnowledgeRequest(query="customer pays twice by double clicking", max_results=3)
    )

    assert answer.items[0].id == "EC003"
    assert len(answer.items) == 3
    assert 0 < answer.items[0].relevance_score <= 1
    assert answer.summary


async def test_generated_orders_pass_the_rules(stub: rpc.EcommerceDomainServiceStub) -> None:
    answer = await stub.GenerateTestData(
        pb.GenerateTestDataRequest(
            request_id="g-1",
            entity="order",
            count=50,
            output_format="JSON",
            scenario_counts={"happy_path": 40, "high_value": 10},
        )
    )

    assert answer.success, answer.error
    records = json.loads(answer.data)
    assert answer.record_count == len(records) == 50
    assert answer.metadata.coherence_score == 1.0
    assert dict(answer.metadata.scenario_counts) == {"happy_path": 40, "high_value": 10}
    assert answer.metadata.generation_path == "mercato-generator"
    assert "BR005" in answer.metadata.domain_context_used


async def test_a_bad_count_or_format_generates_nothing(
    stub: rpc.EcommerceDomainServiceStub,
) -> None:
    for request in (
        pb.GenerateTestDataRequest(entity="order", count=0),
        pb.GenerateTestDataRequest(entity="order", count=5, output_format="XML"),
        pb.GenerateTestDataRequest(entity="unicorn", count=5),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await stub.GenerateTestData(request)
        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        code = (raised.value.details() or "").split(":", 1)[0]
        assert code in {"invalid_count", "invalid_format", "unknown_entity"}


async def test_data_too_large_for_one_message_is_refused(settings: Settings) -> None:
    # given a server whose answers carry at most 10 kB of data
    async with serving(settings, max_data_bytes=10_000) as channel:
        stub = rpc.EcommerceDomainServiceStub(channel)
        # when asked for more than that
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await stub.GenerateTestData(pb.GenerateTestDataRequest(entity="order", count=20))
        # then it refuses (and smaller answers still come)
        small = await stub.GenerateTestData(pb.GenerateTestDataRequest(entity="order", count=1))

    assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "smaller batches" in (raised.value.details() or "")
    assert small.record_count == 1


async def test_health_checks_each_component(
    stub: rpc.EcommerceDomainServiceStub, channel: grpc.aio.Channel
) -> None:
    answer = await stub.HealthCheck(pb.HealthCheckRequest())
    standard = await health_pb2_grpc.HealthStub(channel).Check(
        health_pb2.HealthCheckRequest(service="ecommerce.domain.v1.EcommerceDomainService")
    )

    assert answer.status == "healthy", dict(answer.components)
    assert set(answer.components) >= {
        "catalog",
        "rules",
        "database",
        "knowledge_index",
        "test_data_generator",
    }
    assert standard.status == health_pb2.HealthCheckResponse.SERVING


async def test_health_is_degraded_without_the_embedding_model(settings: Settings) -> None:
    # given a server whose knowledge index cannot load its model
    without_model = Index(load_encoder=lambda: None)
    async with serving(settings, index=without_model) as channel:
        # when asked for its health
        answer = await rpc.EcommerceDomainServiceStub(channel).HealthCheck(pb.HealthCheckRequest())
    # then it is degraded (the query ranks by words), not down

    assert answer.status == "degraded"
    assert answer.components["knowledge_index"].startswith("degraded")
