"""A generation request is checked before anything is made: bad ones are refused with a
stable code, and the records are shared out over the scenarios as asked."""

from __future__ import annotations

import gc
from collections import Counter
from typing import Any

import pytest

from mercato.agents.knowledge import workflow_specs
from mercato.agents.knowledge.testdata import (
    GenerationRequest,
    InvalidGenerationRequest,
    generatable_entities,
    generate,
    paused_gc,
    scenario_description,
    scenario_names,
)
from mercato.agents.knowledge.testdata.scenarios import WORKFLOWS


def refused(**request: Any) -> str:
    with pytest.raises(InvalidGenerationRequest) as caught:
        generate(GenerationRequest(**{"entity": "order", "count": 5, **request}))
    assert str(caught.value)  # a message for people
    return caught.value.code


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        ({"entity": "spaceship"}, "unknown_entity"),
        ({"count": 0}, "invalid_count"),
        ({"count": 100_001}, "invalid_count"),
        ({"scenario_counts": {"teleported": 1}}, "unknown_scenario"),
        ({"scenarios": ["teleported"]}, "unknown_scenario"),
        ({"scenario_counts": {"high_value": 6}}, "invalid_scenario_counts"),
        ({"scenario_counts": {"high_value": -1}}, "invalid_scenario_counts"),
        ({"output_format": "xml"}, "invalid_format"),
        ({"workflow": "time_travel"}, "unknown_workflow"),
        ({"edge_cases": ["EC999"]}, "unknown_edge_case"),
        ({"edge_cases": ["EC001"]}, "edge_case_not_generatable"),
        ({"edge_cases": ["EC011"]}, "edge_case_not_generatable"),  # a customer's, not an order's
        ({"tenant_id": "Not A Store"}, "invalid_tenant"),
        ({"sql_dialect": "oracle"}, "invalid_sql_dialect"),
    ],
)
def test_a_bad_request_is_refused_with_a_stable_code(request_: dict[str, Any], code: str) -> None:
    assert refused(**request_) == code


def test_entities_and_their_scenarios_are_listed_with_what_each_changes() -> None:
    assert generatable_entities() == ["cart", "customer", "order", "payment", "product"]
    for entity in generatable_entities():
        names = scenario_names(entity)
        assert names[0] == "happy_path"
        assert all(scenario_description(entity, name) for name in names)
    asked = {"high_value", "single_item", "max_items", "abandoned", "multi_currency"}
    assert asked <= set(scenario_names("order"))
    assert asked <= set(scenario_names("cart"))
    assert {"card_declined", "full_refund", "international"} <= set(scenario_names("order"))
    assert {"card_declined", "full_refund"} <= set(scenario_names("payment"))
    assert scenario_names("spaceship") == []


def test_the_workflows_are_the_catalogs() -> None:
    assert set(WORKFLOWS) == {spec.name for spec in workflow_specs.WORKFLOWS}


def test_counts_come_first_then_the_rest_is_happy_path() -> None:
    result = generate(GenerationRequest("order", 10, {"high_value": 3, "single_item": 2}, seed=1))
    assert result.scenario_counts == {"high_value": 3, "single_item": 2, "happy_path": 5}
    assert Counter(r["scenario"] for r in result.records) == result.scenario_counts
    assert result.record_count == 10


def test_scenarios_without_counts_share_the_rest_evenly() -> None:
    result = generate(
        GenerationRequest(
            "order", 11, {"card_declined": 2}, scenarios=["international", "full_refund"], seed=1
        )
    )
    assert result.scenario_counts == {"card_declined": 2, "international": 5, "full_refund": 4}


def test_a_scenario_named_twice_counts_once_and_a_counted_one_keeps_its_count() -> None:
    twice = generate(GenerationRequest("order", 4, scenarios=["high_value", "high_value"], seed=1))
    assert twice.scenario_counts == {"high_value": 4}
    both = generate(
        GenerationRequest(
            "order", 6, {"high_value": 1}, scenarios=["high_value", "single_item"], seed=1
        )
    )
    assert both.scenario_counts == {"high_value": 1, "single_item": 5}


def test_a_workflow_mixes_the_records_no_scenario_was_asked_for() -> None:
    result = generate(GenerationRequest("cart", 10, workflow="cart_abandonment", seed=1))
    assert result.scenario_counts == {"abandoned": 6, "happy_path": 4}
    returns = generate(GenerationRequest("order", 20, workflow="return_flow", seed=1))
    assert set(returns.scenario_counts) == {"happy_path", "full_refund", "partial_refund"}
    assert {r["status"] for r in returns.records} == {"delivered"}
    checkout = generate(
        GenerationRequest("order", 20, workflow="checkout", scenarios=["happy_path"], seed=1)
    )
    assert {r["status"] for r in checkout.records} == {"confirmed"}


def test_the_format_is_case_insensitive() -> None:
    assert generate(GenerationRequest("customer", 2, output_format="JSON", seed=1)).data[0] == "["
    assert generate(GenerationRequest("customer", 2, output_format="Sql", seed=1)).data[:2] == "--"


def test_generate_leaves_the_garbage_collector_alone_and_paused_gc_restores_it() -> None:
    """`generate` runs in a thread of the server: it must not switch the process's collector
    off. `paused_gc()` is for processes that only generate, and puts back what it found."""
    assert gc.isenabled()
    seen: list[bool] = []
    generate(
        GenerationRequest("customer", 2, seed=1), progress=lambda _: seen.append(gc.isenabled())
    )
    assert seen == [True] and gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()
