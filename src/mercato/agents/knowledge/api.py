"""The knowledge catalog over HTTP, under /v1/knowledge (readable by anyone: it describes
the platform, never a store's data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from mercato.agents.knowledge import entities, workflows
from mercato.agents.knowledge.entities import CATEGORIES
from mercato.agents.knowledge.schemas import (
    EntityOut,
    EntitySummaryOut,
    RuleOut,
    WorkflowOut,
    WorkflowSummaryOut,
    entity_out,
    rule_out,
    summary_out,
    workflow_out,
    workflow_summary_out,
)
from mercato.kernel import rules
from mercato.kernel.auth import Principal, public
from mercato.kernel.errors import NotFound

router = APIRouter(prefix="/knowledge", tags=["knowledge"])
Anyone = Annotated[Principal, Depends(public())]


class UnknownEntity(NotFound):
    code = "unknown_entity"


class UnknownWorkflow(NotFound):
    code = "unknown_workflow"


@router.get("/entities", response_model=list[EntitySummaryOut])
async def list_entities(
    _: Anyone, category: Annotated[str | None, Query(pattern=f"^({'|'.join(CATEGORIES)})$")] = None
) -> list[EntitySummaryOut]:
    """Every entity of the domain: Mercato's own (read from their tables) and those it does
    not implement yet (`implemented: false`)."""
    return [summary_out(e) for e in entities.entities(category)]


@router.get("/entities/{name}", response_model=EntityOut)
async def get_entity(name: str, _: Anyone) -> EntityOut:
    """An entity's fields (type, required, validations, example), relationships, business
    rules and test scenarios."""
    found = entities.entity(name)
    if found is None:
        raise UnknownEntity(f"no entity {name!r}; known: {', '.join(entities.names())}")
    return entity_out(found)


@router.get("/rules", response_model=list[RuleOut])
async def list_rules(
    _: Anyone, entity: Annotated[str | None, Query(max_length=64)] = None
) -> list[RuleOut]:
    """The business rules as the code registers and enforces them (BR…)."""
    return [rule_out(r) for r in rules.registered() if entity is None or r.entity == entity]


@router.get("/workflows", response_model=list[WorkflowSummaryOut])
async def list_workflows(
    _: Anyone, entity: Annotated[str | None, Query(max_length=64)] = None
) -> list[WorkflowSummaryOut]:
    """checkout, return_flow, cart_abandonment, inventory_sync (seed 000), as performed."""
    return [workflow_summary_out(w) for w in workflows.workflows(entity)]


@router.get("/workflows/{name}", response_model=WorkflowOut)
async def get_workflow(name: str, _: Anyone) -> WorkflowOut:
    """A workflow's steps, each with the code (and saga step) that performs it, its
    validations and outcomes; the rules it needs, and which are not written yet."""
    found = workflows.workflow(name)
    if found is None:
        raise UnknownWorkflow(f"no workflow {name!r}; known: {', '.join(workflows.names())}")
    return workflow_out(found)
