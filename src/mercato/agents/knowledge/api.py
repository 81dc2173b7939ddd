"""The knowledge catalog over HTTP, under /v1/knowledge (readable by anyone: it describes
the platform, never a store's data)."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from mercato.agents.knowledge import entities, patterns, test_results, workflows
from mercato.agents.knowledge.context import UnknownSubjectError, domain_context
from mercato.agents.knowledge.edge_cases import coverage_report, edge_cases
from mercato.agents.knowledge.entities import CATEGORIES
from mercato.agents.knowledge.generation import generate_test_data
from mercato.agents.knowledge.schemas import (
    ContextRelationshipOut,
    CoveringTestOut,
    DomainContextOut,
    EdgeCaseList,
    EdgeCaseOut,
    EntityList,
    EntityOut,
    KnowledgeItemOut,
    KnowledgeOut,
    RuleList,
    WorkflowList,
    WorkflowOut,
    entity_out,
    rule_out,
    summary_out,
    workflow_out,
    workflow_summary_out,
)
from mercato.agents.knowledge.search import CATEGORIES as SEARCHED
from mercato.agents.knowledge.search import INDEX
from mercato.agents.knowledge.testdata import GenerationRequest, InvalidGenerationRequest
from mercato.kernel import rules
from mercato.kernel.auth import Principal, grant, public
from mercato.kernel.errors import Forbidden, NotFound, Problem, Unauthorized
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep
from mercato.kernel.schemas import RequestModel

router = APIRouter(prefix="/knowledge", tags=["knowledge"])
Anyone = Annotated[Principal, Depends(public())]
Generator = Annotated[Principal, Depends(public(rate="generate"))]
BULK_PERMISSION = "testdata:bulk"
"""Generating more than `MERCATO_GENERATE_ANONYMOUS_MAX` records in one request: staff
(support, admins) and API keys hold it; anonymous callers, guests and customers do not."""
grant("support", BULK_PERMISSION)
grant("system", BULK_PERMISSION)


class UnknownEntity(NotFound):
    code = "unknown_entity"


class UnknownWorkflow(NotFound):
    code = "unknown_workflow"


@router.get("/entities", response_model=EntityList)
async def list_entities(
    _: Anyone, category: Annotated[str | None, Query(pattern=f"^({'|'.join(CATEGORIES)})$")] = None
) -> EntityList:
    """Every entity of the domain: Mercato's own (read from their tables) and those it does
    not implement yet (`implemented: false`)."""
    return EntityList(items=[summary_out(e) for e in entities.entities(category)], next_cursor=None)


@router.get("/entities/{name}", response_model=EntityOut, responses=problems(UnknownEntity))
async def get_entity(name: str, _: Anyone) -> EntityOut:
    """An entity's fields (type, required, validations, example), relationships, business
    rules and test scenarios."""
    found = entities.entity(name)
    if found is None:
        raise UnknownEntity(f"no entity {name!r}; known: {', '.join(entities.names())}")
    return entity_out(found)


@router.get("/rules", response_model=RuleList)
async def list_rules(
    _: Anyone, entity: Annotated[str | None, Query(max_length=64)] = None
) -> RuleList:
    """The business rules as the code registers and enforces them (BR…)."""
    found = [rule_out(r) for r in rules.registered() if entity is None or r.entity == entity]
    return RuleList(items=found, next_cursor=None)


@router.get("/workflows", response_model=WorkflowList)
async def list_workflows(
    _: Anyone, entity: Annotated[str | None, Query(max_length=64)] = None
) -> WorkflowList:
    """checkout, return_flow, cart_abandonment, inventory_sync (seed 000), as performed."""
    return WorkflowList(
        items=[workflow_summary_out(w) for w in workflows.workflows(entity)], next_cursor=None
    )


@router.get("/workflows/{name}", response_model=WorkflowOut, responses=problems(UnknownWorkflow))
async def get_workflow(name: str, _: Anyone) -> WorkflowOut:
    """A workflow's steps, each with the code (and saga step) that performs it, its
    validations and outcomes; the rules it needs, and which are not written yet."""
    found = workflows.workflow(name)
    if found is None:
        raise UnknownWorkflow(f"no workflow {name!r}; known: {', '.join(workflows.names())}")
    return workflow_out(found)


class UnknownSubject(NotFound):
    code = "unknown_subject"


Name = Annotated[str | None, Query(max_length=64)]


@router.get("/context", response_model=DomainContextOut, responses=problems(UnknownSubject))
async def get_context(
    _: Anyone, entity: Name = None, workflow: Name = None, scenario: Name = None
) -> DomainContextOut:
    """The domain context for an entity, a workflow and a scenario (any of them), in plain
    words with the rules, relationships and edge cases it draws on."""
    try:
        found = domain_context(entity=entity, workflow=workflow, scenario=scenario)
    except UnknownSubjectError as exc:
        raise UnknownSubject(str(exc)) from None
    return DomainContextOut(
        context=found.context,
        rules=[rule_out(r) for r in found.rules],
        relationships=[
            ContextRelationshipOut(
                source_entity=source,
                target_entity=r.target,
                relationship_type=r.type,
                description=r.description,
                required=r.required,
            )
            for source, r in found.relationships
        ],
        edge_cases=[f"{c.id}: {c.name}" for c in found.edge_cases],
        metadata=found.metadata,
    )


@router.get("/edge-cases", response_model=EdgeCaseList)
async def list_edge_cases(
    _: Anyone,
    kernel: KernelDep,
    entity: Name = None,
    workflow: Name = None,
    category: Name = None,
    severity: Name = None,
) -> EdgeCaseList:
    """EC001-EC018 of seed 000 and Mercato's own from EC019, each with the tests that name
    it (`@pytest.mark.edge_case`) and their last recorded results."""
    cases = edge_cases(entity=entity, workflow=workflow, category=category, severity=severity)
    path = test_results.results_path(kernel.settings)
    coverage = {c.id: c for c in coverage_report(results=path, cases=cases)}
    return EdgeCaseList(
        items=[
            EdgeCaseOut(
                **case.as_dict(),
                status=coverage[case.id].status,
                tests=[
                    CoveringTestOut(
                        test=test,
                        outcome=result.outcome if result else None,
                        at=result.at if result else None,
                    )
                    for test, result in coverage[case.id].results.items()
                ],
            )
            for case in cases
        ],
        next_cursor=None,
    )


@router.get("/query", response_model=KnowledgeOut)
async def query(
    _: Anyone,
    kernel: KernelDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="A question")],
    category: Annotated[list[str] | None, Query(description=f"of {', '.join(SEARCHED)}")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> KnowledgeOut:
    """Entities, workflows, rules, edge cases and good test-data patterns ranked by meaning
    for `q` (offline MiniLM embeddings; the first query of a process builds the index, a few
    seconds, unless the gRPC server warmed it)."""
    unknown = set(category or ()) - set(SEARCHED)
    if unknown:
        raise UnknownCategory(f"unknown categories {sorted(unknown)}; known: {list(SEARCHED)}")
    await patterns.refresh(kernel)
    hits, method = await asyncio.to_thread(
        INDEX.search, q, categories=list(category or ()), limit=limit
    )
    return KnowledgeOut(
        query=q,
        method=method,
        items=[
            KnowledgeItemOut(
                id=h.document.id,
                category=h.document.category,
                title=h.document.title,
                content=h.document.content,
                relevance_score=h.score,
                metadata=h.document.metadata,
            )
            for h in hits
        ],
        next_cursor=None,
    )


class UnknownCategory(Problem):
    status, code, title = 422, "unknown_category", "Unknown knowledge category"


REST_MAX_COUNT = 10_000
"""Per HTTP request (the CLI and gRPC go to the generator's own limit)."""


class GenerateIn(RequestModel):
    entity: str = Field(max_length=64, examples=["order"])
    count: int = Field(ge=1, le=REST_MAX_COUNT)
    scenarios: dict[str, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict,
        description="Scenario → records; what they leave of `count` is happy_path",
        examples=[{"happy_path": 40, "high_value": 10}],
    )
    workflow: str | None = Field(default=None, max_length=64)
    include_edge_cases: bool = False
    edge_cases: list[str] = Field(default_factory=list, max_length=50)
    format: Literal["json", "csv", "sql"] = "json"
    seed: int | None = None


class GenerateOut(BaseModel):
    record_count: int
    coherence_score: float
    """Share of the ordinary records passing every applicable rule (measured)."""
    scenario_counts: dict[str, int]
    edge_case_counts: dict[str, int]
    generation_path: str
    generation_time_ms: float
    domain_context_used: str
    format: str
    data: list[dict[str, Any]] | str
    """The records (json), or the CSV or SQL text."""


class InvalidGeneration(Problem):
    status, title = 422, "This test data cannot be generated"


class BulkGenerationNeedsCredentials(Unauthorized):
    code, title = "bulk_generation_needs_credentials", "Large generations need staff or an API key"


class BulkGenerationForbidden(Forbidden):
    code, title = "bulk_generation_forbidden", "Large generations need staff or an API key"


def check_generation_size(principal: Principal, count: int, anonymous_max: int) -> None:
    if count <= anonymous_max or principal.can(BULK_PERMISSION):
        return
    detail = (
        f"{count} records: anyone may generate up to {anonymous_max} per request; more needs "
        "a staff account or an API key"
    )
    if principal.kind == "anonymous":
        raise BulkGenerationNeedsCredentials(detail)
    raise BulkGenerationForbidden(detail)


@router.post(
    "/generate",
    response_model=GenerateOut,
    responses=problems(BulkGenerationNeedsCredentials, BulkGenerationForbidden, InvalidGeneration),
)
async def generate(body: GenerateIn, principal: Generator, kernel: KernelDep) -> Response:
    """Rule-checked test data: records (with their related records) for the scenarios asked,
    edge-case records that each break exactly the rule they name, as JSON, CSV or SQL INSERTs
    for Mercato's own tables. The same seed gives the same data. Up to
    `MERCATO_GENERATE_ANONYMOUS_MAX` (100) records for anyone, up to 10,000 for staff and API
    keys; generations have their own rate limit (`MERCATO_RATE_LIMIT_GENERATE`)."""
    check_generation_size(principal, body.count, kernel.settings.generate_anonymous_max)
    try:
        made = await generate_test_data(
            kernel,
            GenerationRequest(
                entity=body.entity,
                count=body.count,
                scenario_counts=body.scenarios,
                workflow=body.workflow,
                include_edge_cases=body.include_edge_cases,
                edge_cases=body.edge_cases,
                output_format=body.format,
                seed=body.seed,
            ),
        )
    except InvalidGenerationRequest as exc:
        problem = InvalidGeneration(str(exc))
        problem.code = exc.code
        raise problem from None
    summary = GenerateOut(
        record_count=made.record_count,
        coherence_score=made.coherence_score,
        scenario_counts=made.scenario_counts,
        edge_case_counts=made.edge_case_counts,
        generation_path=made.generation_path,
        generation_time_ms=made.generation_time_ms,
        domain_context_used=made.domain_context_used,
        format=body.format,
        data="",
    ).model_dump_json(exclude={"data"})
    # the records are JSON already (checked when another agent made them): spliced in, not
    # parsed and serialized again on the event loop (10,000 orders are ~45 MB)
    data = made.data if body.format == "json" else json.dumps(made.data)
    return Response(summary[:-1] + ',"data":' + data + "}", media_type="application/json")
