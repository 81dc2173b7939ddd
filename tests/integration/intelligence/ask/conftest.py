"""A small demo store (24 products, two years of sales history, reviews, competitors' prices
through ingestion) built once for the questions' tests, and a helper that asks a question
over HTTP and waits for its report."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from mercato.demo import seed_demo
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from tests.conftest import build_settings
from tests.integration.identity.conftest import ADMIN
from tests.support.store import store_for

FINISHED = {"done", "partial", "failed"}


@pytest.fixture(scope="package")
def demo_settings(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Settings:
    settings = build_settings("sqlite", tmp_path_factory.mktemp("ask-demo"), sqlite_template, None)
    asyncio.run(seed_demo(settings, products=24, seed=7, pictures=False))
    return settings


@dataclass
class Asker:
    kernel: Kernel
    client: httpx.AsyncClient

    async def ask(
        self,
        question: str,
        *,
        mode: str | None = "quick",
        headers: dict[str, str] = ADMIN,
        conversation_id: str | None = None,
        within: float = 60.0,
    ) -> dict[str, Any]:
        """The question's final state (with its report), as `GET …/queries/{id}` answers."""
        body: dict[str, Any] = {"question": question, "mode": mode}
        if conversation_id:
            body["conversation_id"] = conversation_id
        accepted = await self.client.post("/v1/intelligence/query", json=body, headers=headers)
        assert accepted.status_code == 202, accepted.text
        return await self.wait(accepted.json()["query_id"], headers=headers, within=within)

    async def wait(
        self, query_id: str, *, headers: dict[str, str] = ADMIN, within: float = 60.0
    ) -> dict[str, Any]:
        deadline = time.monotonic() + within
        while True:
            found = await self.client.get(f"/v1/intelligence/queries/{query_id}", headers=headers)
            assert found.status_code == 200, found.text
            state = found.json()
            if state["status"] in FINISHED:
                return state
            assert time.monotonic() < deadline, f"not finished within {within} s: {state}"
            await asyncio.sleep(0.05)


@pytest.fixture
async def asker(demo_settings: Settings) -> AsyncIterator[Asker]:
    async with store_for(demo_settings) as (kernel, client):
        yield Asker(kernel, client)
