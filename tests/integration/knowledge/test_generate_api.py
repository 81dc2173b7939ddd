"""POST /v1/knowledge/generate, and the patterns good generations leave for the query."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import pytest
from sqlalchemy import func, select, text

from mercato.agents.knowledge import patterns
from mercato.agents.knowledge.models import TestDataPattern
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from tests.integration.identity.conftest import ADMIN
from tests.support.store import store_for


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[tuple[Kernel, httpx.AsyncClient]]:
    async with store_for(settings, start=False) as opened:
        yield opened


async def _pattern_rows(kernel: Kernel) -> int:
    async with kernel.uow(writes=False) as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(TestDataPattern)) or 0)


async def test_orders_come_with_their_scenarios_and_measured_coherence(
    store: tuple[Kernel, httpx.AsyncClient],
) -> None:
    _, client = store

    answer = await client.post(
        "/v1/knowledge/generate",
        json={"entity": "order", "count": 20, "scenarios": {"high_value": 5}, "seed": 7},
    )
    again = await client.post(
        "/v1/knowledge/generate",
        json={"entity": "order", "count": 20, "scenarios": {"high_value": 5}, "seed": 7},
    )

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["record_count"] == len(body["data"]) == 20
    assert body["scenario_counts"] == {"happy_path": 15, "high_value": 5}
    assert body["coherence_score"] == 1.0
    assert body["generation_path"] == "mercato-generator"
    assert again.json()["data"] == body["data"]


async def test_sql_comes_as_text(store: tuple[Kernel, httpx.AsyncClient]) -> None:
    _, client = store

    answer = await client.post(
        "/v1/knowledge/generate", json={"entity": "order", "count": 3, "format": "sql"}
    )

    assert answer.status_code == 200, answer.text
    assert "INSERT INTO orders" in answer.json()["data"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"entity": "unicorn", "count": 3}, "unknown_entity"),
        ({"entity": "order", "count": 3, "scenarios": {"moon_landing": 1}}, "unknown_scenario"),
        (
            {"entity": "order", "count": 3, "scenarios": {"high_value": 9}},
            "invalid_scenario_counts",
        ),
        ({"entity": "order", "count": 0}, "validation_failed"),
        ({"entity": "order", "count": 3, "format": "xml"}, "validation_failed"),
    ],
)
async def test_a_request_that_cannot_be_generated_is_refused_and_remembers_nothing(
    store: tuple[Kernel, httpx.AsyncClient], body: dict[str, object], code: str
) -> None:
    kernel, client = store

    answer = await client.post("/v1/knowledge/generate", json=body)

    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == code
    assert await _pattern_rows(kernel) == 0


async def test_a_good_generation_becomes_a_pattern_the_query_finds(
    store: tuple[Kernel, httpx.AsyncClient],
) -> None:
    # given a generation of international orders that all passed the rules
    kernel, client = store
    made = await client.post(
        "/v1/knowledge/generate",
        json={"entity": "order", "count": 10, "scenarios": {"international": 10}},
    )
    assert made.json()["coherence_score"] == 1.0
    # when someone asks how to get such data
    answer = await client.get(
        "/v1/knowledge/query",
        params={
            "q": "test data for orders shipped to another country",
            "category": "test_data_pattern",
        },
    )
    # then the pattern answers, and it is kept for every process
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert items[0]["id"] == "pattern:order:-:international"
    assert items[0]["metadata"]["scenario"] == "international"
    assert await _pattern_rows(kernel) == 1
    patterns.KNOWN.replace([])
    await patterns.refresh(kernel, force=True)
    assert [p.id for p in patterns.known()] == ["order:-:international"]


async def test_a_pattern_the_database_cannot_keep_does_not_fail_the_request(
    store: tuple[Kernel, httpx.AsyncClient],
) -> None:
    kernel, client = store
    # given a database that cannot take a pattern now (its table is not there)
    async with _table_moved_away(kernel, TestDataPattern.__tablename__):
        # when a good generation is asked for
        answer = await client.post(
            "/v1/knowledge/generate", json={"entity": "customer", "count": 4}
        )
        # then the data comes all the same, and no pattern is remembered
        assert answer.status_code == 200, answer.text
        assert len(answer.json()["data"]) == 4
        assert patterns.known() == []
    assert await _pattern_rows(kernel) == 0


@asynccontextmanager
async def _table_moved_away(kernel: Kernel, name: str) -> AsyncIterator[None]:
    """A real fault for the store: the table is renamed away, then put back."""
    async with kernel.db.engine.begin() as conn:
        await conn.execute(text(f"ALTER TABLE {name} RENAME TO {name}_away"))
    try:
        yield
    finally:
        async with kernel.db.engine.begin() as conn:
            await conn.execute(text(f"ALTER TABLE {name}_away RENAME TO {name}"))


# -- who may generate how much ---------------------------------------------------------


async def test_an_anonymous_caller_may_generate_a_little_but_not_in_bulk(
    store: tuple[Kernel, httpx.AsyncClient],
) -> None:
    kernel, client = store
    limit = kernel.settings.generate_anonymous_max
    # given an anonymous caller: up to the limit is served
    small = await client.post("/v1/knowledge/generate", json={"entity": "customer", "count": limit})
    assert small.status_code == 200, small.text
    patterns_before = await _pattern_rows(kernel)
    # when it asks for more than the limit, or the 10,000 of a probe
    for count in (limit + 1, 10_000):
        refused = await client.post(
            "/v1/knowledge/generate", json={"entity": "order", "count": count}
        )
        # then it is told to bring credentials, and nothing was generated or remembered
        assert refused.status_code == 401, refused.text
        assert refused.json()["code"] == "bulk_generation_needs_credentials"
    assert await _pattern_rows(kernel) == patterns_before


async def test_a_shopper_may_not_generate_in_bulk_but_staff_and_api_keys_may(
    store: tuple[Kernel, httpx.AsyncClient],
) -> None:
    kernel, client = store
    bulk = {"entity": "customer", "count": kernel.settings.generate_anonymous_max + 1}
    session = await client.post("/v1/sessions")
    guest = {"x-session-token": session.json()["session_token"]}
    refused = await client.post("/v1/knowledge/generate", json=bulk, headers=guest)
    assert (refused.status_code, refused.json()["code"]) == (403, "bulk_generation_forbidden")
    made = await client.post(
        "/v1/admin/api-keys", json={"name": "qa", "roles": ["system"]}, headers=ADMIN
    )
    key = {"authorization": f"Bearer {made.json()['key']}"}
    for headers in (ADMIN, key):
        served = await client.post("/v1/knowledge/generate", json=bulk, headers=headers)
        assert served.status_code == 200, served.text
        assert served.json()["record_count"] == bulk["count"]


async def test_generations_have_their_own_rate_limit(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(rate_limit_generate="2/minute")
    async with store_for(settings, start=False) as (_, client):
        body = {"entity": "customer", "count": 1}
        answers = [await client.post("/v1/knowledge/generate", json=body) for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 429]
        # while the other routes of the same caller still answer
        assert (await client.get("/v1/knowledge/entities")).status_code == 200
