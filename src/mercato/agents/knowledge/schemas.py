"""The knowledge catalog's REST answers (the gRPC service answers the same facts)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from mercato.agents.knowledge.edge_cases import edge_cases
from mercato.agents.knowledge.entities import Entity
from mercato.agents.knowledge.workflows import Workflow
from mercato.kernel.rules import Rule


class FieldOut(BaseModel):
    name: str
    type: str
    description: str
    required: bool
    validations: list[str]
    example: str


class RelationshipOut(BaseModel):
    target: str
    type: str
    description: str
    required: bool


class RuleOut(BaseModel):
    id: str
    name: str
    entity: str
    condition: str
    constraint: str
    severity: str
    status: int
    code: str
    source: str
    """Where the check is written: the function the services call (`module.function`)."""


class EntitySummaryOut(BaseModel):
    name: str
    description: str
    category: str
    agent: str | None
    implemented: bool
    field_count: int


class EntityOut(EntitySummaryOut):
    table: str | None
    fields: list[FieldOut]
    relationships: list[RelationshipOut]
    rules: list[RuleOut]
    edge_cases: list[str]
    """`ECxxx: name` of the edge cases about this entity."""
    test_scenarios: list[str]


def rule_out(rule: Rule) -> RuleOut:
    return RuleOut(
        id=rule.id,
        name=rule.name,
        entity=rule.entity,
        condition=rule.condition,
        constraint=rule.constraint,
        severity=rule.severity,
        status=rule.status,
        code=rule.code,
        source=rule.source,
    )


def summary_out(entity: Entity) -> EntitySummaryOut:
    return EntitySummaryOut(
        name=entity.name,
        description=entity.description,
        category=entity.category,
        agent=entity.agent,
        implemented=entity.implemented,
        field_count=len(entity.fields),
    )


def entity_out(entity: Entity) -> EntityOut:
    return EntityOut(
        **summary_out(entity).model_dump(),
        table=entity.table,
        fields=[FieldOut(**vars(f)) for f in entity.fields],
        relationships=[RelationshipOut(**vars(r)) for r in entity.relationships],
        rules=[rule_out(r) for r in entity.rules],
        edge_cases=[f"{c.id}: {c.name}" for c in edge_cases(entity=entity.name)],
        test_scenarios=entity.test_scenarios,
    )


class StepOut(BaseModel):
    order: int
    name: str
    description: str
    entity: str
    action: str
    validations: list[str]
    possible_outcomes: list[str]
    performed_by: str | None
    """The function that performs the step (None: Mercato has no such step yet)."""
    performed: bool
    saga_step: str | None
    source: str | None


class WorkflowSummaryOut(BaseModel):
    name: str
    description: str
    implemented: bool
    involved_entities: list[str]
    step_count: int
    steps_performed: int


class WorkflowOut(WorkflowSummaryOut):
    saga: str | None
    steps: list[StepOut]
    business_rules: list[RuleOut]
    missing_rules: list[str]
    test_scenarios: list[str]


def workflow_summary_out(workflow: Workflow) -> WorkflowSummaryOut:
    return WorkflowSummaryOut(
        name=workflow.name,
        description=workflow.spec.description,
        implemented=workflow.implemented,
        involved_entities=list(workflow.spec.involved_entities),
        step_count=len(workflow.steps),
        steps_performed=workflow.steps_performed,
    )


def workflow_out(workflow: Workflow) -> WorkflowOut:
    return WorkflowOut(
        **workflow_summary_out(workflow).model_dump(),
        saga=workflow.spec.saga,
        steps=[
            StepOut(
                order=step.order,
                name=step.spec.name,
                description=step.spec.description,
                entity=step.spec.entity,
                action=step.spec.action,
                validations=list(step.spec.validations),
                possible_outcomes=list(step.spec.possible_outcomes),
                performed_by=step.spec.performed_by,
                performed=step.performed,
                saga_step=step.spec.saga_step,
                source=step.source,
            )
            for step in workflow.steps
        ],
        business_rules=[rule_out(r) for r in workflow.rules],
        missing_rules=workflow.missing_rules,
        test_scenarios=list(workflow.spec.test_scenarios),
    )


class ContextRelationshipOut(BaseModel):
    source_entity: str
    target_entity: str
    relationship_type: str
    description: str
    required: bool


class DomainContextOut(BaseModel):
    context: str
    """The entity, workflow and scenario in plain words, with their rules and edge cases."""
    rules: list[RuleOut]
    relationships: list[ContextRelationshipOut]
    edge_cases: list[str]
    metadata: dict[str, str]


class CoveringTestOut(BaseModel):
    test: str
    outcome: str | None
    """The last recorded result (None: not run since results were recorded)."""
    at: str | None


class EdgeCaseOut(BaseModel):
    id: str
    name: str
    category: str
    severity: str
    entity: str
    workflow: str | None
    description: str
    test_approach: str
    expected_behavior: str
    example_data: dict[str, Any]
    status: str
    """uncovered (no test names it), not_run, passed, failed or skipped."""
    tests: list[CoveringTestOut]


WHOLE = "Always null: the whole list fits one page (the catalog is read from the code)"


class EntityList(BaseModel):
    items: list[EntitySummaryOut]
    next_cursor: Annotated[str | None, Field(description=WHOLE)]


class RuleList(BaseModel):
    items: list[RuleOut]
    next_cursor: Annotated[str | None, Field(description=WHOLE)]


class WorkflowList(BaseModel):
    items: list[WorkflowSummaryOut]
    next_cursor: Annotated[str | None, Field(description=WHOLE)]


class EdgeCaseList(BaseModel):
    items: list[EdgeCaseOut]
    next_cursor: Annotated[str | None, Field(description=WHOLE)]


class SeedPropertyOut(BaseModel):
    number: int
    title: str
    validates: list[str]
    """The seed's requirement ids ("1.1", "20.3")."""
    area: str
    status: str
    """uncovered (no test proves it), not_run, passed, failed or skipped."""
    tests: list[CoveringTestOut]


class SeedPropertyList(BaseModel):
    items: list[SeedPropertyOut]
    next_cursor: Annotated[str | None, Field(description=WHOLE)]


class KnowledgeItemOut(BaseModel):
    id: str
    category: str
    title: str
    content: str
    relevance_score: float
    """Cosine similarity of the MiniLM embeddings (or the BM25 score scaled to 0..1)."""
    metadata: dict[str, str]


class KnowledgeOut(BaseModel):
    query: str
    method: str
    """semantic (MiniLM) or lexical (BM25, when the model's runtime is missing)."""
    items: list[KnowledgeItemOut]
    next_cursor: Annotated[
        str | None, Field(description="Always null: `limit` says how many of the best to answer")
    ]
