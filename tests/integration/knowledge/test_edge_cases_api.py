"""The edge cases over HTTP: the seed's and Mercato's, filtered, each with the tests that
name it and how they last ended."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from mercato.kernel.config import Settings
from tests.support.store import store_for


@pytest.fixture
async def client(settings: Settings, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    # given results recorded by an earlier test run: EC003's checkout test passed
    results = tmp_path / "test-results.json"
    node = (
        "tests/integration/checkout/test_checkout.py"
        "::test_the_same_request_again_replays_the_first_answer[sqlite]"
    )
    passed = {"outcome": "passed", "at": "2026-11-29T12:00:00+00:00", "duration": 1.0}
    results.write_text(json.dumps({node: passed}))
    configured = settings.model_copy(update={"knowledge_test_results": results})
    async with store_for(configured, start=False) as (_, client):
        yield client


async def test_every_seed_edge_case_is_served_with_its_coverage(client: httpx.AsyncClient) -> None:
    listed = await client.get("/v1/knowledge/edge-cases")

    assert listed.status_code == 200, listed.text
    by_id = {c["id"]: c for c in listed.json()["items"]}
    assert {f"EC{n:03d}" for n in range(1, 19)} <= set(by_id)
    assert any(int(i[2:]) >= 19 for i in by_id)  # Mercato's own
    ec003 = by_id["EC003"]
    assert ec003["entity"] == "payment" and ec003["severity"] == "critical"
    assert ec003["status"] == "passed"
    assert any(t["outcome"] == "passed" for t in ec003["tests"])
    assert by_id["EC016"]["status"] == "not_run"  # covered by the reviews' tests, not run here


async def test_edge_cases_filter_by_entity_workflow_category_and_severity(
    client: httpx.AsyncClient,
) -> None:
    orders = (await client.get("/v1/knowledge/edge-cases", params={"entity": "order"})).json()[
        "items"
    ]
    critical_checkout = (
        await client.get(
            "/v1/knowledge/edge-cases", params={"workflow": "checkout", "severity": "critical"}
        )
    ).json()["items"]

    assert orders and all(c["entity"] == "order" for c in orders)
    assert "EC002" in {c["id"] for c in orders}
    assert critical_checkout
    assert all(
        c["workflow"] == "checkout" and c["severity"] == "critical" for c in critical_checkout
    )
