"""The knowledge catalog's REST answers (the gRPC service answers the same facts)."""

from __future__ import annotations

from pydantic import BaseModel

from mercato.agents.knowledge.entities import Entity
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
        test_scenarios=entity.test_scenarios,
    )
