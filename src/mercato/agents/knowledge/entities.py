"""The domain's entities, as Mercato implements them: each read from its owning agent's table
(fields, validations, relationships; `model_fields`), with the business rules registered
for it and the test scenarios the generator offers. Entities the platform does not have
yet are described from seed 000 and marked `implemented: false`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from mercato.agents.knowledge.entity_specs import CATEGORIES, SPECS, EntitySpec
from mercato.agents.knowledge.model_fields import (
    EntityField,
    EntityRelationship,
    fields_of,
    table,
)

__all__ = ["CATEGORIES", "Entity", "entities", "entity", "names", "spec"]
from mercato.kernel import rules
from mercato.kernel.rules import Rule


@dataclass(frozen=True)
class Entity:
    name: str
    description: str
    category: str
    agent: str | None
    table: str | None
    implemented: bool
    fields: list[EntityField]
    relationships: list[EntityRelationship]
    rules: list[Rule]
    test_scenarios: list[str] = field(default_factory=list)


_BY_TABLE = {spec.table: spec.name for spec in SPECS if spec.table}
_SOFT_REFERENCES = {
    "customer_id": "customer",
    "user_id": "customer",
    "order_id": "order",
    "cart_id": "cart",
    "product_id": "product",
    "variant_id": "product_variant",
    "payment_id": "payment",
    "category_id": "category",
    "return_id": "return",
}
"""Ids that name another agent's entity without a foreign key (agents own their tables)."""


def names() -> list[str]:
    return [spec.name for spec in SPECS]


def spec(name: str) -> EntitySpec | None:
    return next((s for s in SPECS if s.name == name), None)


def entity(name: str, *, registered: Callable[[], list[Rule]] = rules.registered) -> Entity | None:
    """The entity now: its structure as its table declares it (read once per process) and
    its rules as the registry holds them (`registered()`, read every time)."""
    found = spec(name)
    if found is None:
        return None
    fields, relationships = _structure(name)
    return Entity(
        name=found.name,
        description=found.description,
        category=found.category,
        agent=found.agent,
        table=found.table,
        implemented=found.table is not None,
        fields=list(fields),
        relationships=list(relationships),
        rules=[rule for rule in registered() if rule.entity == name],
        test_scenarios=list(found.test_scenarios),
    )


@cache
def _structure(name: str) -> tuple[tuple[EntityField, ...], tuple[EntityRelationship, ...]]:
    found = spec(name)
    assert found is not None
    if found.table is None:  # described from the seed
        return found.seed_fields, found.seed_relationships
    return tuple(fields_of(found.table)), tuple(_relationships(found))


def entities(category: str | None = None) -> list[Entity]:
    every = [e for e in (entity(name) for name in names()) if e is not None]
    return [e for e in every if category is None or e.category == category]


def _relationships(found: EntitySpec) -> list[EntityRelationship]:
    assert found.table is not None
    own = table(found.table)
    linked: list[EntityRelationship] = []
    seen: set[tuple[str, str]] = set()

    def add(target: str, kind: str, description: str, required: bool) -> None:
        if (target, kind) not in seen and target != found.name:
            seen.add((target, kind))
            linked.append(EntityRelationship(target, kind, description, required))

    for column in own.columns:
        for key in column.foreign_keys:
            target = _BY_TABLE.get(key.column.table.name)
            if target:
                add(target, "belongs_to", f"by {column.name}", not column.nullable)
        soft = _SOFT_REFERENCES.get(column.name)
        if soft and not column.foreign_keys:
            add(
                soft,
                "belongs_to",
                f"by {column.name} (another agent's, no foreign key)",
                not column.nullable,
            )
    for other_table, other in _BY_TABLE.items():
        for column in table(other_table).columns:
            pointing = any(k.column.table.name == found.table for k in column.foreign_keys)
            by_id = _SOFT_REFERENCES.get(column.name) == found.name and not column.foreign_keys
            if (pointing or by_id) and other_table != found.table:
                add(other, "has_many", f"{other}.{column.name}", False)
    return linked
