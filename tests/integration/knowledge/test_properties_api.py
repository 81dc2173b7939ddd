"""Seed 001's properties over HTTP, each with the tests that prove it and how they last
ended."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from mercato.agents.knowledge import test_results
from mercato.kernel.config import Settings
from tests.support.store import store_for


@pytest.fixture
async def client(settings: Settings, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    # given results recorded by an earlier run: every test proving a property passed
    tests = test_results.tests_dir()
    assert tests is not None
    marked = test_results.marked_tests(tests, "seed_property")
    passed = {"outcome": "passed", "at": "2026-12-06T08:00:00+00:00", "duration": 0.5}
    results = tmp_path / "test-results.json"
    results.write_text(json.dumps({t: passed for found in marked.values() for t in found}))
    configured = settings.model_copy(update={"knowledge_test_results": results})
    async with store_for(configured, start=False) as (_, client):
        yield client


async def test_every_property_is_served_with_the_tests_that_prove_it(
    client: httpx.AsyncClient,
) -> None:
    listed = await client.get("/v1/knowledge/properties")

    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["next_cursor"] is None
    by_number = {p["number"]: p for p in body["items"]}
    assert len(by_number) == 84
    proven = [p for p in by_number.values() if p["tests"]]
    assert proven, "the suite proves some of seed 001's properties"
    assert all(p["status"] == "passed" for p in proven)
    assert all(t["outcome"] == "passed" for p in proven for t in p["tests"])
    assert all(p["status"] == "uncovered" for p in by_number.values() if not p["tests"])


async def test_properties_filter_by_area_and_status(client: httpx.AsyncClient) -> None:
    pricing = await client.get(
        "/v1/knowledge/properties", params={"area": "Pricing Intelligence Agent"}
    )
    bogus = await client.get("/v1/knowledge/properties", params={"status": "great"})

    assert [p["number"] for p in pricing.json()["items"]] == [10, 11, 12, 13, 14, 15]
    assert bogus.status_code == 422
    assert bogus.json()["code"] == "validation_failed"
