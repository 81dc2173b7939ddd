"""The knowledge query ranks the catalog by meaning (offline MiniLM), or by words when the
model's runtime is missing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from mercato.agents.knowledge import search
from mercato.kernel.config import Settings
from tests.support.store import store_for


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with store_for(settings, start=False) as (_, client):
        yield client


async def test_a_question_in_plain_words_finds_the_edge_case_it_describes(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get(
        "/v1/knowledge/query", params={"q": "customer pays twice by double clicking"}
    )

    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["method"] == "semantic"
    assert found["items"][0]["id"] == "EC003"
    scores = [item["relevance_score"] for item in found["items"]]
    assert scores == sorted(scores, reverse=True)
    assert 0 < scores[0] <= 1


async def test_the_query_keeps_to_the_categories_asked(client: httpx.AsyncClient) -> None:
    answer = await client.get(
        "/v1/knowledge/query",
        params={"q": "how many items can a cart contain", "category": "rule", "limit": 3},
    )

    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert len(items) == 3
    assert {item["category"] for item in items} == {"rule"}
    assert items[0]["id"] in {"BR001", "BR003"}


async def test_an_unknown_category_is_refused(client: httpx.AsyncClient) -> None:
    answer = await client.get("/v1/knowledge/query", params={"q": "x", "category": "poems"})

    assert answer.status_code == 422
    assert answer.json()["code"] == "unknown_category"


def test_without_the_model_the_words_rank_the_documents() -> None:
    # given an index whose model cannot be loaded (no runtime)
    index = search.Index(load_encoder=lambda: None)

    # when asking
    hits, method = index.search(
        "double payment submission idempotency", categories=["edge_case"], limit=3
    )

    # then BM25 answers, with the matching edge case first
    assert method == "lexical"
    assert hits[0].document.id == "EC003"
