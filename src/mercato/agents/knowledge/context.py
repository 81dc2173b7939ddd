"""The domain context a test writer (or a test-generating model) needs for an entity, a
workflow and a scenario, in plain words, with the rules, relationships and edge cases it
draws on. Everything comes from the live catalog, so the text says what the code does."""

from __future__ import annotations

from dataclasses import dataclass, field

from mercato.agents.knowledge import entities, workflows
from mercato.agents.knowledge.edge_cases import EdgeCase, edge_cases
from mercato.agents.knowledge.model_fields import EntityRelationship
from mercato.kernel.rules import Rule


class UnknownSubjectError(LookupError):
    """The entity or workflow asked about does not exist."""


@dataclass(frozen=True)
class DomainContext:
    context: str
    rules: list[Rule]
    relationships: list[tuple[str, EntityRelationship]]
    """(source entity, its relationship)."""
    edge_cases: list[EdgeCase]
    metadata: dict[str, str] = field(default_factory=dict)


def domain_context(
    *, entity: str | None = None, workflow: str | None = None, scenario: str | None = None
) -> DomainContext:
    """`UnknownSubjectError` for an entity or workflow the catalog does not have."""
    parts: list[str] = []
    found_rules: dict[str, Rule] = {}
    relationships: list[tuple[str, EntityRelationship]] = []
    cases: dict[str, EdgeCase] = {}
    if entity:
        described = entities.entity(entity)
        if described is None:
            raise UnknownSubjectError(f"no entity {entity!r}")
        parts.append(entity_text(described))
        found_rules.update({r.id: r for r in described.rules})
        relationships += [(described.name, r) for r in described.relationships]
        cases.update({c.id: c for c in edge_cases(entity=entity)})
    if workflow:
        flow = workflows.workflow(workflow)
        if flow is None:
            raise UnknownSubjectError(f"no workflow {workflow!r}")
        parts.append(workflow_text(flow))
        found_rules.update({r.id: r for r in flow.rules})
        cases.update({c.id: c for c in edge_cases(workflow=workflow)})
    if scenario:
        parts.append(f"Scenario: {scenario.replace('_', ' ')}.")
    if found_rules:
        parts.append(
            "Business rules: "
            + " ".join(f"{r.id} ({r.severity}): {r.constraint}." for r in found_rules.values())
        )
    if cases:
        parts.append(
            "Edge cases to test: "
            + " ".join(f"{c.id} {c.name}: {c.expected_behavior}." for c in cases.values())
        )
    if not parts:
        parts.append(_overview())
    return DomainContext(
        context="\n\n".join(parts),
        rules=sorted(found_rules.values(), key=lambda r: r.id),
        relationships=relationships,
        edge_cases=sorted(cases.values(), key=lambda c: c.id),
        metadata={
            "entity": entity or "",
            "workflow": workflow or "",
            "scenario": scenario or "",
            "source": "mercato live catalog",
        },
    )


def entity_text(entity: entities.Entity) -> str:
    owner = (
        f"owned by the {entity.agent} agent"
        if entity.agent
        else "described from seed 000, no Mercato agent owns it"
    )
    required = [f.name for f in entity.fields if f.required]
    links = ", ".join(f"{r.type} {r.target}" for r in entity.relationships) or "none"
    return (
        f"Entity {entity.name} ({entity.category}, {owner}): {entity.description}. "
        f"Fields: {', '.join(f'{f.name} ({f.type})' for f in entity.fields)}. "
        f"Required: {', '.join(required) or 'none'}. Relationships: {links}. "
        f"Test scenarios: {', '.join(entity.test_scenarios) or 'none'}."
    )


def workflow_text(flow: workflows.Workflow) -> str:
    steps = "; ".join(
        f"{s.order}. {s.spec.name} on {s.spec.entity} ({s.spec.description}; outcomes: "
        f"{', '.join(s.spec.possible_outcomes)})"
        + ("" if s.performed else " [no Mercato code performs it]")
        for s in flow.steps
    )
    saga = f" It runs as the {flow.spec.saga} saga." if flow.spec.saga else ""
    return f"Workflow {flow.name}: {flow.spec.description}.{saga} Steps: {steps}."


def _overview() -> str:
    names = ", ".join(entities.names())
    flows = ", ".join(workflows.names())
    return f"Mercato's commerce domain. Entities: {names}. Workflows: {flows}."
