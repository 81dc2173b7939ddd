"""`ecommerce.domain.v1.EcommerceDomainService` (seed 000), answered from the live catalog.

Errors are gRPC statuses (a client reads them from the RpcError it gets): NOT_FOUND for an
unknown entity or workflow, INVALID_ARGUMENT for a request the catalog cannot answer as asked
(an unknown category or aspect, a bad count, scenario or format: the detail starts with the
generator's stable code, e.g. `invalid_count: …`), RESOURCE_EXHAUSTED for generated data too
large for one message (ask in batches).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any, TypeAlias

import grpc

from mercato.agents.knowledge import entities, patterns, workflows
from mercato.agents.knowledge.context import UnknownSubjectError, domain_context
from mercato.agents.knowledge.edge_case_data import EdgeCaseCategory
from mercato.agents.knowledge.edge_cases import edge_cases
from mercato.agents.knowledge.entities import CATEGORIES as ENTITY_CATEGORIES
from mercato.agents.knowledge.generation import Generation, generate_test_data
from mercato.agents.knowledge.health import component_health
from mercato.agents.knowledge.proto import ecommerce_domain_pb2 as pb
from mercato.agents.knowledge.proto import ecommerce_domain_pb2_grpc as rpc
from mercato.agents.knowledge.rpc.limits import MAX_DATA_BYTES, refuse_if_oversized
from mercato.agents.knowledge.rpc.messages import (
    edge_case_label,
    edge_case_message,
    entity_message,
    entity_summary,
    relationship_message,
    rule_message,
    workflow_message,
    workflow_summary,
)
from mercato.agents.knowledge.search import CATEGORIES as SEARCHED
from mercato.agents.knowledge.search import INDEX, Index
from mercato.agents.knowledge.testdata import GenerationRequest, InvalidGenerationRequest
from mercato.kernel.bootstrap import Kernel

Context: TypeAlias = "grpc.aio.ServicerContext[Any, Any]"
ASPECTS = ("rules", "relationships", "edge_cases")
MAX_RESULTS = 50


class DomainService(rpc.EcommerceDomainServiceServicer):
    def __init__(
        self, kernel: Kernel, *, index: Index = INDEX, max_data_bytes: int = MAX_DATA_BYTES
    ) -> None:
        self.kernel = kernel
        self.index = index
        self.max_data_bytes = max_data_bytes

    async def GetDomainContext(
        self, request: pb.DomainContextRequest, context: Context
    ) -> pb.DomainContextResponse:
        """The entity/workflow/scenario in words, with its rules, relationships and edge
        cases; `aspects` (of rules, relationships, edge_cases) narrows the lists returned."""
        unknown = set(request.aspects) - set(ASPECTS)
        if unknown:
            await context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"unknown aspects {sorted(unknown)}; known: {list(ASPECTS)}",
            )
        try:
            found = domain_context(
                entity=request.entity or None,
                workflow=request.workflow or None,
                scenario=request.scenario or None,
            )
        except UnknownSubjectError as exc:
            await context.abort(grpc.StatusCode.NOT_FOUND, str(exc))
        wanted = set(request.aspects or ASPECTS)
        return pb.DomainContextResponse(
            request_id=request.request_id,
            context=found.context,
            rules=[rule_message(r) for r in found.rules] if "rules" in wanted else [],
            relationships=(
                [relationship_message(s, r) for s, r in found.relationships]
                if "relationships" in wanted
                else []
            ),
            edge_cases=(
                [edge_case_label(c) for c in found.edge_cases] if "edge_cases" in wanted else []
            ),
            metadata=found.metadata,
        )

    async def QueryKnowledge(
        self, request: pb.KnowledgeRequest, context: Context
    ) -> pb.KnowledgeResponse:
        """Ranked by meaning (MiniLM) or, without the model, by words; `max_results` 0 means
        10."""
        if not request.query.strip():
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, "query is empty")
        if not 0 <= request.max_results <= MAX_RESULTS:
            await context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"max_results must be between 1 and {MAX_RESULTS} (0: 10)",
            )
        unknown = set(request.categories) - set(SEARCHED)
        if unknown:
            await context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"unknown categories {sorted(unknown)}; known: {list(SEARCHED)}",
            )
        await patterns.refresh(self.kernel)
        hits, method = await asyncio.to_thread(
            self.index.search,
            request.query,
            categories=list(request.categories),
            limit=request.max_results or 10,
        )
        return pb.KnowledgeResponse(
            request_id=request.request_id,
            items=[
                pb.KnowledgeItem(
                    id=h.document.id,
                    category=h.document.category,
                    title=h.document.title,
                    content=h.document.content,
                    relevance_score=h.score,
                    metadata={**h.document.metadata, "method": method},
                )
                for h in hits
            ],
            summary=f"{len(hits)} items ranked by {method} similarity to the query",
        )

    async def GetEntity(self, request: pb.EntityRequest, context: Context) -> pb.EntityResponse:
        found = entities.entity(request.entity_name)
        if found is None:
            await context.abort(
                grpc.StatusCode.NOT_FOUND,
                f"no entity {request.entity_name!r}; known: {', '.join(entities.names())}",
            )
        return pb.EntityResponse(
            entity=entity_message(
                found,
                relationships=request.include_relationships,
                rules=request.include_rules,
                cases=request.include_edge_cases,
            )
        )

    async def GetWorkflow(
        self, request: pb.WorkflowRequest, context: Context
    ) -> pb.WorkflowResponse:
        found = workflows.workflow(request.workflow_name)
        if found is None:
            await context.abort(
                grpc.StatusCode.NOT_FOUND,
                f"no workflow {request.workflow_name!r}; known: {', '.join(workflows.names())}",
            )
        return pb.WorkflowResponse(
            workflow=workflow_message(
                found, steps=request.include_steps, cases=request.include_edge_cases
            )
        )

    async def ListEntities(
        self, request: pb.ListEntitiesRequest, context: Context
    ) -> pb.ListEntitiesResponse:
        if request.category and request.category not in ENTITY_CATEGORIES:
            await context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"unknown category {request.category!r}; known: {', '.join(ENTITY_CATEGORIES)}",
            )
        found = entities.entities(request.category or None)
        return pb.ListEntitiesResponse(entities=[entity_summary(e) for e in found])

    async def ListWorkflows(
        self, request: pb.ListWorkflowsRequest, context: Context
    ) -> pb.ListWorkflowsResponse:
        return pb.ListWorkflowsResponse(
            workflows=[workflow_summary(w) for w in workflows.workflows()]
        )

    async def GetEdgeCases(
        self, request: pb.EdgeCasesRequest, context: Context
    ) -> pb.EdgeCasesResponse:
        """Filtered by entity, workflow and category (empty: any). An unknown entity or
        workflow is NOT_FOUND rather than an empty list, which would read as "no risks"."""
        if request.entity and entities.spec(request.entity) is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, f"no entity {request.entity!r}")
        if request.workflow and request.workflow not in workflows.names():
            await context.abort(grpc.StatusCode.NOT_FOUND, f"no workflow {request.workflow!r}")
        known = [c.value for c in EdgeCaseCategory]
        if request.category and request.category not in known:
            await context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"unknown category {request.category!r}; known: {', '.join(known)}",
            )
        found = edge_cases(
            entity=request.entity, workflow=request.workflow, category=request.category
        )
        return pb.EdgeCasesResponse(edge_cases=[edge_case_message(c) for c in found])

    async def GenerateTestData(
        self, request: pb.GenerateTestDataRequest, context: Context
    ) -> pb.GenerateTestDataResponse:
        request_id = request.request_id or str(uuid.uuid4())
        try:
            generation = await generate_test_data(
                self.kernel,
                GenerationRequest(
                    entity=request.entity,
                    count=request.count,
                    scenario_counts=dict(request.scenario_counts),
                    scenarios=list(request.scenarios),
                    workflow=request.workflow_context or None,
                    include_edge_cases=request.include_edge_cases,
                    output_format=request.output_format or "json",
                ),
                context=request.custom_context,
            )
        except InvalidGenerationRequest as exc:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"{exc.code}: {exc}")
        await refuse_if_oversized(context, generation.data, request.count, self.max_data_bytes)
        return pb.GenerateTestDataResponse(
            request_id=request_id,
            success=True,
            data=generation.data,
            record_count=generation.record_count,
            metadata=_metadata(generation),
        )

    async def HealthCheck(
        self, request: pb.HealthCheckRequest, context: Context
    ) -> pb.HealthCheckResponse:
        """Each component checked now: catalog, rules, database, knowledge index, test-data
        generator and, when one is configured, the external Test Data Agent."""
        status, components = await component_health(self.kernel, index=self.index)
        return pb.HealthCheckResponse(status=status, components=components)


def _metadata(generation: Generation) -> pb.GenerationMetadata:
    return pb.GenerationMetadata(
        generation_path=generation.generation_path,
        llm_tokens_used=0,
        generation_time_ms=generation.generation_time_ms,
        coherence_score=generation.coherence_score,
        domain_context_used=generation.domain_context_used,
        scenario_counts=generation.scenario_counts,
    )
