"""The domain context: an entity, a workflow and a scenario told in plain words from the
live catalog, with the rules and edge cases it draws on."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from mercato.kernel.config import Settings
from tests.support.store import store_for


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with store_for(settings, start=False) as (_, client):
        yield client


async def test_the_context_of_payment_in_checkout_names_its_rules_and_edge_cases(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get(
        "/v1/knowledge/context",
        params={"entity": "payment", "workflow": "checkout", "scenario": "card_declined"},
    )

    assert answer.status_code == 200, answer.text
    context = answer.json()
    assert len(context["context"]) > 100
    assert "Entity payment" in context["context"]
    assert "Workflow checkout" in context["context"]
    assert "card declined" in context["context"]
    assert {"BR004", "BR007", "BR008"} <= {r["id"] for r in context["rules"]}
    assert any(case.startswith("EC003") for case in context["edge_cases"])
    assert ("payment", "order", "belongs_to") in {
        (r["source_entity"], r["target_entity"], r["relationship_type"])
        for r in context["relationships"]
    }


async def test_without_a_subject_the_context_is_an_overview(client: httpx.AsyncClient) -> None:
    answer = await client.get("/v1/knowledge/context")

    assert answer.status_code == 200
    assert "Entities:" in answer.json()["context"]


async def test_an_unknown_subject_is_a_404(client: httpx.AsyncClient) -> None:
    answer = await client.get("/v1/knowledge/context", params={"workflow": "teleport"})

    assert answer.status_code == 404
    assert answer.json()["code"] == "unknown_subject"
