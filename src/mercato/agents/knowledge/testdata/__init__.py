"""Mercato's test-data generator (issue 6, item 8): records of an entity in scenarios, with
the related records they stand on, checked against the registered business rules, as JSON,
CSV or SQL for Mercato's own tables.

    result = generate(GenerationRequest("order", 1000, {"high_value": 50}, seed=7,
                                        output_format="sql"))
    result.coherence_score   # measured: the share of records passing every rule that applies

See docs/adr/0014-test-data-generator.md for the design."""

from __future__ import annotations

from mercato.agents.knowledge.testdata.edge_records import RECIPES, applicable_edge_cases
from mercato.agents.knowledge.testdata.engine import generate, paused_gc
from mercato.agents.knowledge.testdata.model import (
    GenerationRequest,
    GenerationResult,
    GeneratorDefectError,
    InvalidGenerationRequest,
)
from mercato.agents.knowledge.testdata.people import PASSWORD
from mercato.agents.knowledge.testdata.scenarios import (
    generatable_entities,
    scenario_description,
    scenario_names,
)
from mercato.agents.knowledge.testdata.sql_output import statements

__all__ = [
    "PASSWORD",
    "RECIPES",
    "GenerationRequest",
    "GenerationResult",
    "GeneratorDefectError",
    "InvalidGenerationRequest",
    "applicable_edge_cases",
    "generatable_entities",
    "generate",
    "paused_gc",
    "scenario_description",
    "scenario_names",
    "statements",
]
