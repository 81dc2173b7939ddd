"""A request checked and turned into a plan: which scenario each ordinary record has, and
which edge-case records come after them."""

from __future__ import annotations

import os
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass

from mercato.agents.knowledge.testdata.edge_records import (
    RECIPES,
    Recipe,
    applicable_edge_cases,
)
from mercato.agents.knowledge.testdata.formats import micros_of
from mercato.agents.knowledge.testdata.model import (
    DEFAULT_NOW,
    MAX_COUNT,
    GenerationRequest,
    InvalidGenerationRequest,
)
from mercato.agents.knowledge.testdata.scenarios import HAPPY, SCENARIOS, WORKFLOW_MIX, WORKFLOWS

FORMATS = ("json", "csv", "sql")
DIALECTS = ("portable", "sqlite", "postgresql")
TENANT = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class Plan:
    entity: str
    scenarios: list[str]
    """One per ordinary record, in generation order."""
    scenario_counts: dict[str, int]
    edge_cases: list[str]
    output_format: str
    sql_dialect: str
    seed: int
    now: int
    workflow: str | None
    tenant_id: str


def make_plan(request: GenerationRequest, recipes: Mapping[str, Recipe] = RECIPES) -> Plan:
    """The validated request, made concrete; `recipes` are the edge cases it can generate."""
    entity = request.entity
    known = SCENARIOS.get(entity)
    if known is None:
        raise InvalidGenerationRequest(
            "unknown_entity",
            f"no test data for {entity!r}; generated: {', '.join(sorted(SCENARIOS))}",
        )
    count = request.count
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_COUNT:
        raise InvalidGenerationRequest(
            "invalid_count", f"count must be a whole number from 1 to {MAX_COUNT:,}"
        )
    output = str(request.output_format or "json").lower()
    if output not in FORMATS:
        raise InvalidGenerationRequest(
            "invalid_format", f"output format {request.output_format!r}: json, csv or sql"
        )
    dialect = str(request.sql_dialect or "portable").lower()
    if dialect not in DIALECTS:
        raise InvalidGenerationRequest(
            "invalid_sql_dialect", f"SQL dialect {request.sql_dialect!r}: {', '.join(DIALECTS)}"
        )
    workflow = request.workflow or None
    if workflow is not None and workflow not in WORKFLOWS:
        raise InvalidGenerationRequest(
            "unknown_workflow", f"no workflow {workflow!r}; known: {', '.join(WORKFLOWS)}"
        )
    if not TENANT.match(request.tenant_id or ""):
        raise InvalidGenerationRequest(
            "invalid_tenant", "tenant_id must be 1-63 lowercase letters, digits or hyphens"
        )
    now = request.now or DEFAULT_NOW
    if now.tzinfo is None:
        raise InvalidGenerationRequest("invalid_now", "now must be an aware datetime (UTC)")
    counts = _counts(entity, count, request, workflow)
    seed = request.seed if request.seed is not None else int.from_bytes(os.urandom(8), "big")
    order = [name for name, n in counts.items() for _ in range(n)]
    random.Random(f"{seed}:order").shuffle(order)
    return Plan(
        entity=entity,
        scenarios=order,
        scenario_counts={name: n for name, n in counts.items() if n},
        edge_cases=_edge_cases(entity, request, workflow, recipes),
        output_format=output,
        sql_dialect=dialect,
        seed=seed,
        now=micros_of(now),
        workflow=workflow,
        tenant_id=request.tenant_id,
    )


def _check_scenario(entity: str, name: str) -> None:
    if name not in SCENARIOS[entity]:
        raise InvalidGenerationRequest(
            "unknown_scenario",
            f"{entity} has no scenario {name!r}; known: {', '.join(sorted(SCENARIOS[entity]))}",
        )


def _counts(
    entity: str, count: int, request: GenerationRequest, workflow: str | None
) -> dict[str, int]:
    """Scenario → records: the counts asked, then the rest spread evenly over the scenarios
    named without counts, else over the workflow's mix, else happy_path."""
    counts: dict[str, int] = {}
    for name, n in dict(request.scenario_counts).items():
        _check_scenario(entity, name)
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise InvalidGenerationRequest(
                "invalid_scenario_counts", f"{name}: a count is a whole number from 0"
            )
        counts[name] = counts.get(name, 0) + n
    asked = sum(counts.values())
    if asked > count:
        raise InvalidGenerationRequest(
            "invalid_scenario_counts",
            f"the scenario counts add up to {asked:,}, more than the {count:,} records asked",
        )
    rest = count - asked
    named = [name for name in dict.fromkeys(request.scenarios) if name not in counts]
    for name in named:
        _check_scenario(entity, name)
    if rest and named:
        share, extra = divmod(rest, len(named))
        for index, name in enumerate(named):
            counts[name] = share + (1 if index < extra else 0)
    elif rest:
        mix = WORKFLOW_MIX.get(workflow or "", {}).get(entity) or {HAPPY: 1}
        counts.update(_spread(rest, mix, counts))
    return counts


def _spread(total: int, weights: dict[str, int], counts: dict[str, int]) -> dict[str, int]:
    """`total` over the weights by largest remainders (added to what `counts` has)."""
    weight = sum(weights.values())
    exact = {name: total * w / weight for name, w in weights.items()}
    shares = {name: int(value) for name, value in exact.items()}
    left = total - sum(shares.values())
    for name in sorted(exact, key=lambda n: (shares[n] - exact[n], n))[:left]:
        shares[name] += 1
    return {name: counts.get(name, 0) + n for name, n in shares.items()}


def _edge_cases(
    entity: str, request: GenerationRequest, workflow: str | None, recipes: Mapping[str, Recipe]
) -> list[str]:
    chosen: list[str] = []
    for case_id in request.edge_cases:
        recipe = recipes.get(case_id)
        if recipe is None:
            from mercato.agents.knowledge.edge_cases import edge_case

            code = "edge_case_not_generatable" if edge_case(case_id) else "unknown_edge_case"
            raise InvalidGenerationRequest(
                code,
                f"{case_id} cannot be generated as records"
                if edge_case(case_id)
                else f"no edge case {case_id!r}",
            )
        if entity not in recipe.entities:
            raise InvalidGenerationRequest(
                "edge_case_not_generatable",
                f"{case_id} is generated for {', '.join(recipe.entities)}, not {entity}",
            )
        chosen.append(case_id)
    if request.include_edge_cases:
        chosen += applicable_edge_cases(entity, workflow, recipes)
    return sorted(set(chosen))
