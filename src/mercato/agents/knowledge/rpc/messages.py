"""The live catalog as `ecommerce.domain.v1` messages (seed 000's contract)."""

from __future__ import annotations

import json
from typing import Any

from mercato.agents.knowledge import entities, workflows
from mercato.agents.knowledge.edge_case_data import EdgeCase
from mercato.agents.knowledge.edge_cases import edge_cases
from mercato.agents.knowledge.model_fields import EntityRelationship
from mercato.agents.knowledge.proto import ecommerce_domain_pb2 as pb
from mercato.kernel.rules import Rule


def rule_message(rule: Rule) -> pb.BusinessRule:
    return pb.BusinessRule(
        id=rule.id,
        name=rule.name,
        description=(
            f"{rule.constraint}. Enforced by {rule.source}; when broken the API answers "
            f"{rule.status} {rule.code}."
        ),
        entity=rule.entity,
        condition=rule.condition,
        constraint=rule.constraint,
        severity=rule.severity,
    )


def relationship_message(source: str, relationship: EntityRelationship) -> pb.EntityRelationship:
    return pb.EntityRelationship(
        source_entity=source,
        target_entity=relationship.target,
        relationship_type=relationship.type,
        description=relationship.description,
        required=relationship.required,
    )


def edge_case_label(case: EdgeCase) -> str:
    return f"{case.id}: {case.name}"


def edge_case_message(case: EdgeCase) -> pb.EdgeCase:
    """`example_data` is a string map on the wire: strings as they are, anything else as
    JSON (`{"quantity": "0"}` reads as the JSON number 0)."""
    return pb.EdgeCase(
        id=case.id,
        name=case.name,
        description=case.description,
        category=case.category.value,
        entity=case.entity,
        workflow=case.workflow or "",
        test_approach=case.test_approach,
        example_data={key: _text(value) for key, value in case.example_data.items()},
        expected_behavior=case.expected_behavior,
        severity=case.severity.value,
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def entity_message(
    entity: entities.Entity, *, relationships: bool, rules: bool, cases: bool
) -> pb.Entity:
    """Fields and test scenarios always; the rest as the request asks."""
    return pb.Entity(
        name=entity.name,
        description=_described(entity),
        fields=[
            pb.EntityField(
                name=f.name,
                type=f.type,
                description=f.description,
                required=f.required,
                validations=f.validations,
                example=f.example,
            )
            for f in entity.fields
        ],
        rules=[rule_message(r) for r in entity.rules] if rules else [],
        relationships=(
            [relationship_message(entity.name, r) for r in entity.relationships]
            if relationships
            else []
        ),
        edge_cases=[edge_case_label(c) for c in edge_cases(entity=entity.name)] if cases else [],
        test_scenarios=entity.test_scenarios,
    )


def _described(entity: entities.Entity) -> str:
    if entity.implemented:
        return entity.description
    return f"{entity.description} (described from seed 000: Mercato has no {entity.name} yet)"


def entity_summary(entity: entities.Entity) -> pb.EntitySummary:
    return pb.EntitySummary(
        name=entity.name,
        description=_described(entity),
        category=entity.category,
        field_count=len(entity.fields),
    )


def workflow_message(flow: workflows.Workflow, *, steps: bool, cases: bool) -> pb.Workflow:
    return pb.Workflow(
        name=flow.name,
        description=flow.spec.description,
        steps=[step_message(s) for s in flow.steps] if steps else [],
        involved_entities=flow.spec.involved_entities,
        rules=[rule_message(r) for r in flow.rules],
        edge_cases=([edge_case_label(c) for c in edge_cases(workflow=flow.name)] if cases else []),
        test_scenarios=flow.spec.test_scenarios,
    )


def step_message(step: workflows.Step) -> pb.WorkflowStep:
    """The wire has no field for the code performing a step: the description names it."""
    spec = step.spec
    performer = (
        f" Performed by {spec.performed_by}"
        + (f" (saga step {spec.saga_step})" if spec.saga_step else "")
        + "."
        if step.performed
        else " Mercato does not perform this step yet."
    )
    return pb.WorkflowStep(
        order=step.order,
        name=spec.name,
        description=spec.description + performer,
        entity=spec.entity,
        action=spec.action,
        validations=spec.validations,
        possible_outcomes=spec.possible_outcomes,
    )


def workflow_summary(flow: workflows.Workflow) -> pb.WorkflowSummary:
    return pb.WorkflowSummary(
        name=flow.name,
        description=flow.spec.description,
        step_count=len(flow.steps),
        involved_entities=flow.spec.involved_entities,
    )
