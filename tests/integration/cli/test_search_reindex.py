"""`mercato search reindex`: a store's index rebuilt from its catalog, whatever it held."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import text
from typer.testing import CliRunner

from mercato.cli import app
from mercato.kernel.config import Settings
from tests.integration.cli.test_demo import demo_env
from tests.support.store import store_for

runner = CliRunner()


async def search(settings: Settings, **params: Any) -> dict[str, Any]:
    async with store_for(settings, start=False) as (_, client):
        answer = await client.get("/v1/search", params=params)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())


async def wipe_index(settings: Settings) -> None:
    """Lose the index's documents behind the agent's back (a restore, a bug)."""
    async with store_for(settings, start=False) as (kernel, _), kernel.db.engine.begin() as raw:
        conn = await raw.execution_options(all_tenants=True)
        await conn.execute(text("DELETE FROM search_facet_values"))
        await conn.execute(text("DELETE FROM search_documents"))
        await conn.execute(text("DELETE FROM search_vectors"))
        if kernel.db.is_sqlite:
            await conn.execute(text("DELETE FROM search_fts"))


def test_reindex_rebuilds_what_the_index_lost(settings: Settings) -> None:
    env = demo_env(settings)
    made = runner.invoke(app, ["demo", "--products", "30", "--no-pictures"], env=env)
    assert made.exit_code == 0, made.output
    before = asyncio.run(search(settings, limit=1))["total_estimate"]
    assert before == 31  # the demo's products and its free sticker pack
    # given an index that lost its documents
    asyncio.run(wipe_index(settings))
    assert asyncio.run(search(settings, limit=1))["total_estimate"] == 0
    # when it is rebuilt
    rebuilt = runner.invoke(app, ["search", "reindex"], env=env)
    # then every sellable product is searchable again, words and facets alike
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "31 products searchable" in rebuilt.output
    assert "31 products' meaning embedded" in rebuilt.output
    found = asyncio.run(search(settings, q="tee", limit=1))
    assert found["total_estimate"] >= 1 and found["facets"]["category"]
    # and by meaning, without a server running to embed them
    meant = asyncio.run(search(settings, q="something to wear", mode="semantic", limit=3))
    assert meant["items"], meant
    assert asyncio.run(search(settings, limit=1))["total_estimate"] == 31


def test_reindex_names_a_store_that_does_not_exist(settings: Settings) -> None:
    refused = runner.invoke(
        app, ["search", "reindex", "--store", "nowhere"], env=demo_env(settings)
    )
    assert refused.exit_code != 0
    assert "no store named 'nowhere'" in refused.output
