"""`mercato analytics rebuild`: the read models, lost or wrong, built again from the event
store (of every store, or of one)."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import text
from typer.testing import CliRunner

from mercato.agents.analytics.models import TABLES
from mercato.cli import app
from mercato.kernel.config import Settings
from tests.integration.analytics.conftest import Store, store_settings
from tests.integration.cli.test_demo import demo_env
from tests.support.store import store_for

runner = CliRunner()


async def trade(settings: Settings) -> None:
    """A day's orders: one kept, one cancelled, one partly refunded."""
    async with store_for(settings) as (kernel, client):
        store = Store(kernel, client)
        product = await store.product("11.00")
        await store.order((product, 2))
        await store.cancel(await store.order((product, 1)))
        assert (await store.refund(await store.order((product, 3)), "2.50")).status_code == 201
        await store.settled()


async def reports(settings: Settings) -> list[dict[str, Any]]:
    async with store_for(settings, start=False) as (kernel, client):
        store = Store(kernel, client)
        return [await store.report(name) for name in ("sales", "orders", "funnel", "inventory")]


async def lose_read_models(settings: Settings) -> None:
    """Lose the read models behind the agent's back (a restore, a bug)."""
    async with store_for(settings, start=False) as (kernel, _), kernel.db.engine.begin() as raw:
        conn = await raw.execution_options(all_tenants=True)
        for table in TABLES:
            if table != "analytics_settings":
                await conn.execute(text(f"DELETE FROM {table}"))


def test_rebuild_brings_back_what_the_read_models_lost(settings: Settings) -> None:
    # given a store whose read models followed a day's trading
    settings = store_settings(settings)
    asyncio.run(trade(settings))
    before = asyncio.run(reports(settings))
    assert before[0]["totals"]["orders"] == 2 and before[0]["totals"]["refunds"] == "2.50"
    # and then lost them
    asyncio.run(lose_read_models(settings))
    assert asyncio.run(reports(settings))[0]["totals"]["orders"] == 0
    # when they are rebuilt
    rebuilt = runner.invoke(app, ["analytics", "rebuild"], env=demo_env(settings))
    # then every report is what it was
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "analytics_orders" in rebuilt.output and "events replayed" in rebuilt.output
    assert asyncio.run(reports(settings)) == before
    # and rebuilding one store again changes nothing
    again = runner.invoke(
        app, ["analytics", "rebuild", "--store", "default"], env=demo_env(settings)
    )
    assert again.exit_code == 0, again.output
    assert asyncio.run(reports(settings)) == before


def test_rebuild_names_a_store_that_does_not_exist(settings: Settings) -> None:
    refused = runner.invoke(
        app, ["analytics", "rebuild", "--store", "nowhere"], env=demo_env(settings)
    )
    assert refused.exit_code != 0
    assert "no store named 'nowhere'" in refused.output
