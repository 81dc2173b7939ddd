"""Real time: `WS /v1/analytics/ws` pushes the store's KPIs when it opens and again after an
order (on a real server, in the test's loop); only staff may open it; how far analytics is
behind the events is on `/metrics`."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
import websockets

from mercato.app import create_app
from tests.conftest import ADMIN_KEY
from tests.integration.analytics.conftest import Store
from tests.integration.identity.conftest import sign_up


@pytest.fixture
async def served(store: Store) -> AsyncIterator[str]:
    """The store's app on a real port: the dashboard stream's address."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(kernel=store.kernel), log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    deadline = time.monotonic() + 10
    while not server.started:  # uvicorn offers a flag, no event, to wait on
        if time.monotonic() > deadline or task.done():
            raise RuntimeError("the server did not start")
        await asyncio.sleep(0.01)
    yield f"ws://127.0.0.1:{port}/v1/analytics/ws"
    server.should_exit = True
    await task
    sock.close()


async def frame(ws: Any) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
    return found


def today_of(kpis: dict[str, Any]) -> dict[str, Any]:
    [today] = [row for row in kpis["rows"] if row["scope"] == "today"]
    return today


async def test_the_dashboard_gets_kpis_on_connect_and_after_an_order(
    store: Store, served: str
) -> None:
    product = await store.product("15.00")
    async with websockets.connect(f"{served}?token={ADMIN_KEY}") as ws:
        # given a dashboard that got today's KPIs when it connected
        first = await frame(ws)
        assert first["type"] == "kpis" and first["report"] == "kpis"
        assert today_of(first)["orders"] == 0
        # when a guest orders
        placed = await store.order((product, 2))
        # then an update arrives with the order counted
        while True:
            update = await frame(ws)
            if today_of(update)["orders"] == 1:
                break
        assert today_of(update)["revenue"] == placed["order"]["total"]
        # and the socket still answers
        await ws.send(json.dumps({"type": "ping"}))
        assert (await frame(ws)) == {"type": "pong"}


async def test_the_token_may_come_in_the_first_message(store: Store, served: str) -> None:
    async with websockets.connect(served) as ws:
        await ws.send(json.dumps({"type": "auth", "token": ADMIN_KEY}))
        assert (await frame(ws))["type"] == "kpis"
        await ws.send(json.dumps({"type": "shout"}))
        assert (await frame(ws))["code"] == "invalid_message"


async def test_a_bad_token_is_refused_before_the_socket_opens(served: str) -> None:
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(f"{served}?token=not-a-token") as ws:
            await ws.recv()


async def test_a_bad_first_message_closes_the_socket(served: str) -> None:
    async with websockets.connect(served) as ws:
        await ws.send(json.dumps({"type": "auth", "token": "not-a-token"}))
        with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_a_merchant_may_not_watch_the_stores_kpis(store: Store, served: str) -> None:
    merchant = await sign_up(store.client, "merchant", merchant_id="m-1")
    async with websockets.connect(served) as ws:
        await ws.send(json.dumps({"type": "auth", "token": merchant.access_token}))
        with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_an_unknown_store_is_refused(served: str) -> None:
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(f"{served}?token={ADMIN_KEY}&tenant=Not_A_Store") as ws:
            await ws.recv()


async def test_the_event_lag_is_on_metrics(store: Store) -> None:
    # given an order analytics has taken up
    product = await store.product("9.00")
    await store.order((product, 1))
    await store.settled()
    # then /metrics has the lag of the events it handled
    metrics = (await store.client.get("/metrics")).text
    counts = [
        float(line.split()[-1])
        for line in metrics.splitlines()
        if line.startswith("mercato_analytics_event_lag_seconds_count")
    ]
    assert counts and counts[0] > 0
    assert 'mercato_analytics_event_lag_seconds_bucket{le="10.0"}' in metrics
