"""The workflows come from the running code: each step names the function that performs it,
resolved in the process, so a step whose code is gone shows as not performed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from mercato.agents.knowledge import workflow_specs, workflows
from mercato.kernel.config import Settings
from tests.support.store import store_for


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with store_for(settings, start=False) as (_, client):
        yield client


async def test_the_four_workflows_of_the_seed_are_listed(client: httpx.AsyncClient) -> None:
    listed = await client.get("/v1/knowledge/workflows")

    assert listed.status_code == 200, listed.text
    by_name = {w["name"]: w for w in listed.json()["items"]}
    assert set(by_name) == {"checkout", "return_flow", "cart_abandonment", "inventory_sync"}
    assert by_name["return_flow"]["implemented"] is True
    assert by_name["checkout"]["implemented"] is True


async def test_checkout_steps_name_the_saga_steps_and_functions_that_perform_them(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/v1/knowledge/workflows/checkout")

    assert answer.status_code == 200, answer.text
    checkout = answer.json()
    assert checkout["saga"] == "checkout"
    steps = {s["name"]: s for s in checkout["steps"]}
    assert len(steps) >= 5
    payment = steps["payment_processing"]
    assert payment["performed"] is True
    assert payment["saga_step"] == "pay"
    assert payment["performed_by"] == "mercato.agents.payments.service.authorize_at_gateway"
    assert payment["source"].startswith("mercato/agents/payments/")
    assert "payment_declined" in payment["possible_outcomes"]
    assert steps["confirmation_notice"]["performed"] is False  # no notifications agent yet
    assert {r["id"] for r in checkout["business_rules"]} >= {"BR002", "BR004", "BR005"}
    assert checkout["missing_rules"] == []


async def test_the_return_flow_names_the_returns_code_and_its_rules(
    client: httpx.AsyncClient,
) -> None:
    returns = (await client.get("/v1/knowledge/workflows/return_flow")).json()

    assert returns["saga"] == "return_refund"
    assert {r["id"] for r in returns["business_rules"]} == {"BR009", "BR010"}
    assert returns["missing_rules"] == []
    steps = {s["name"]: s for s in returns["steps"]}
    assert all(step["performed"] for step in steps.values())
    assert steps["return_request"]["performed_by"] == (
        "mercato.agents.returns.service.request_return"
    )
    assert steps["refund_processing"]["saga_step"] == "settle"


def test_rules_a_workflow_needs_but_no_code_registers_are_reported_missing() -> None:
    # given a workflow that needs a rule no agent registers
    spec = workflow_specs.RETURN_FLOW
    needing = workflow_specs.WorkflowSpec(
        spec.name,
        spec.description,
        spec.steps,
        spec.involved_entities,
        (*spec.business_rules, "BR998"),
    )

    # when the catalog describes it
    described = workflows.describe(needing)

    # then the registered rules are listed and the other is reported missing
    assert [r.id for r in described.rules] == ["BR009", "BR010"]
    assert described.missing_rules == ["BR998"]


async def test_an_unknown_workflow_is_a_404(client: httpx.AsyncClient) -> None:
    answer = await client.get("/v1/knowledge/workflows/no_such_flow")

    assert answer.status_code == 404
    assert answer.json()["code"] == "unknown_workflow"


def test_a_step_whose_code_is_gone_shows_as_not_performed() -> None:
    # given the checkout's reservation step pointing at a function that does not exist
    moved = workflow_specs.StepSpec(
        "inventory_reservation",
        "moved",
        "inventory",
        "update",
        performed_by="mercato.agents.inventory.service.no_such_function",
    )
    spec = workflow_specs.CHECKOUT
    changed = workflow_specs.WorkflowSpec(
        spec.name, spec.description, (moved, *spec.steps[2:]), spec.involved_entities
    )

    # when the catalog describes that checkout
    checkout = workflows.describe(changed)

    # then that step is not performed, and says so; the steps whose code exists are
    assert (checkout.steps[0].performed, checkout.steps[0].source) == (False, None)
    assert all(step.performed for step in checkout.steps[1:] if step.spec.performed_by)


def test_every_step_that_names_code_names_code_that_exists() -> None:
    for workflow in workflows.workflows():
        for step in workflow.steps:
            if step.spec.performed_by is not None:
                assert step.performed, f"{workflow.name}.{step.spec.name}: {step.spec.performed_by}"
