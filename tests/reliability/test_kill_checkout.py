"""Checkout survives SIGKILL: a real `mercato serve` is killed while checkouts run, at each
step of their saga, and restarted. After every restart each order ends either confirmed
(stock allocated, payment authorized at the gateway) or cancelled (stock released, nothing
left authorized at the gateway); no stock is lost and no authorization is left without its
confirmed order."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from mercato.agents.inventory.models import Reservation, StockLevel
from mercato.agents.orders.models import Order, OrderLine
from mercato.agents.payments.models import Payment
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.saga_models import SagaInstance
from tests.conftest import eventually
from tests.integration.checkout.conftest import DECLINED, GOOD, body, new_key
from tests.integration.identity.conftest import ADMIN
from tests.reliability.test_kill_the_bus import _settings_or_skip

pytestmark = pytest.mark.reliability

TRIALS = {"sqlite": 9, "postgres": 6}
"""15 kills in all, each point of `TARGETS` in turn (22 until the suite outgrew its time)."""
SHOPPERS = 4
TARGETS = (("placing", -1), ("running", 1), ("compensating", 0))
"""Where the kills aim, in turn: during `place` (whose transaction also writes the saga's
row, so no row shows it: the kill comes a few milliseconds after the checkouts are sent),
during `pay` (at the gateway or recording its answer), and while a declined checkout's
`place` is being undone."""


class Server:
    """`mercato serve` as a real process on a free port."""

    def __init__(self, settings: Settings) -> None:
        env = {**os.environ, "MERCATO_LOG_LEVEL": "WARNING"}
        for name, value in settings.model_dump(
            mode="json", exclude={"database_url", "broker_url"}
        ).items():
            if isinstance(value, list | dict):
                env[f"MERCATO_{name.upper()}"] = json.dumps(value)
            elif value is not None:
                env[f"MERCATO_{name.upper()}"] = str(value)
        env["MERCATO_DATABASE_URL"] = settings.resolved_database_url
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        mercato = Path(sys.executable).parent / "mercato"
        self.process = subprocess.Popen(
            [str(mercato), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--no-grpc"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(settings.data_dir / f"serve-{self.port}.log").open("wb"),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._ready():
                return
            if self.process.poll() is not None:
                log = (settings.data_dir / f"serve-{self.port}.log").read_text()[-2000:]
                raise AssertionError(f"mercato serve exited with {self.process.returncode}: {log}")
            time.sleep(0.05)
        raise AssertionError("mercato serve was not ready within 60 s")

    def _ready(self) -> bool:
        try:
            return httpx.get(f"{self.base}/health/ready", timeout=1).status_code == 200
        except httpx.HTTPError:  # not listening yet
            return False

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.kill()


async def _product(client: httpx.AsyncClient, stock: int) -> dict[str, Any]:
    created = await client.post(
        "/v1/products",
        json={
            "name": "Trial mug",
            "status": "active",
            "variants": [{"sku": "TRIAL-1", "price": "10.00"}],
        },
        headers=ADMIN,
    )
    assert created.status_code == 201, created.text
    location = await client.post(
        "/v1/inventory/locations",
        json={"code": "MAIN", "name": "Main", "kind": "warehouse"},
        headers=ADMIN,
    )
    assert location.status_code == 201, location.text
    received = await client.post(
        "/v1/inventory/adjustments",
        json={
            "sku": "TRIAL-1",
            "location_id": location.json()["id"],
            "delta": stock,
            "reason": "received",
        },
        headers=ADMIN,
    )
    assert received.status_code == 201, received.text
    return dict(created.json()["variants"][0])


async def _shopper(
    client: httpx.AsyncClient, variant_id: str, quantity: int
) -> tuple[dict[str, Any], dict[str, str]]:
    session = await client.post("/v1/sessions", json={})
    headers = {"X-Session-Token": session.json()["session_token"]}
    cart = (await client.post("/v1/carts", headers=headers)).json()
    added = await client.post(
        f"/v1/carts/{cart['id']}/items",
        json={"variant_id": variant_id, "quantity": quantity},
        headers=headers,
    )
    assert added.status_code == 200, added.text
    return added.json(), headers


async def _check_out(
    client: httpx.AsyncClient, cart: dict[str, Any], headers: dict[str, str], number: str
) -> None:
    with contextlib.suppress(httpx.HTTPError):  # the server died under it: the trial's aim
        await client.post(
            "/v1/checkout",
            json=body(cart, number),
            headers={**headers, "Idempotency-Key": new_key()},
        )


async def _saga_states(kernel: Kernel) -> Counter[tuple[str, int]]:
    async with kernel.uow(writes=False) as uow:
        rows = await uow.session.execute(select(SagaInstance.status, SagaInstance.step))
        return Counter((status, step) for status, step in rows)


async def _strike_at(
    kernel: Kernel, target: tuple[str, int], server: Server, rng: random.Random
) -> None:
    """Kill the server as soon as a checkout is in `target` (status, step), or soon after."""
    if target[0] == "placing":
        await asyncio.sleep(rng.uniform(0.005, 0.04))
        server.kill()
        return
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        states = await _saga_states(kernel)
        if states[target] > 0:
            break
        await asyncio.sleep(0.002)
    await asyncio.sleep(rng.uniform(0, 0.02))
    server.kill()


async def _settled(kernel: Kernel) -> bool:
    states = await _saga_states(kernel)
    return all(status in {"completed", "compensated"} for status, _ in states)


async def _check_invariants(kernel: Kernel, stocked: int) -> Counter[str]:
    """Every order confirmed with its stock allocated and its payment authorized, or
    cancelled with nothing held or authorized; on hand untouched, reserved = confirmed."""
    async with kernel.uow(writes=False) as uow:
        opts = {"all_tenants": True}
        orders = list(await uow.session.scalars(select(Order).execution_options(**opts)))
        lines = list(await uow.session.scalars(select(OrderLine).execution_options(**opts)))
        reservations = list(
            await uow.session.scalars(select(Reservation).execution_options(**opts))
        )
        payments = list(await uow.session.scalars(select(Payment).execution_options(**opts)))
        [level] = list(await uow.session.scalars(select(StockLevel).execution_options(**opts)))
    quantity = Counter[str]()
    for line in lines:
        quantity[line.order_id] += line.quantity
    held = Counter[str]()
    for reservation in reservations:
        if reservation.status in {"active", "allocated"}:
            held[reservation.reference] += reservation.quantity
    paid = {p.order_id: p for p in payments}
    gateway = await _gateway_authorizations(kernel)
    for order in orders:
        payment = paid.get(order.id)
        if order.status == "confirmed":
            assert held[order.id] == quantity[order.id], order.id
            assert payment is not None and payment.status == "authorized", order.id
            assert gateway.get(order.id) == "authorized", (order.id, gateway.get(order.id))
        else:
            assert order.status == "cancelled", (order.id, order.status)
            assert held[order.id] == 0, order.id
            if payment is not None:
                assert payment.status != "authorized", order.id
                assert gateway.get(order.id) != "authorized", order.id
    confirmed = sum(quantity[o.id] for o in orders if o.status == "confirmed")
    assert (level.on_hand, level.reserved) == (stocked, confirmed)
    authorized = {oid for oid, status in gateway.items() if status == "authorized"}
    assert authorized <= {p.order_id for p in payments if p.status == "authorized"}
    return Counter(o.status for o in orders)


async def _gateway_authorizations(kernel: Kernel) -> dict[str, str]:
    """The sandbox gateway's own ledger: order id (its reference) → its authorization's
    state."""
    from mercato.agents.payments.providers.sandbox import ledger_states

    return await ledger_states(kernel.settings)


@pytest.mark.parametrize("stack", ["sqlite", "postgres"])
@pytest.mark.edge_case("EC023")
async def test_checkouts_killed_at_each_saga_step_end_confirmed_or_cancelled(
    stack: str,
    make_settings: Callable[..., Settings],
    servers: list[Server],
) -> None:
    _settings_or_skip(make_settings, stack)
    settings = make_settings(
        stack,
        sandbox_gateway_url=None,  # the deployment's default: PostgreSQL when scaled
        sandbox_gateway_latency=0.05,
        fraud_velocity_per_ip=100_000,
        fraud_velocity_per_card=100_000,
    )
    kernel = Kernel.build(settings)
    rng = random.Random(20261129)
    struck: Counter[tuple[str, int]] = Counter()
    stocked = 1_000
    try:
        server = Server(settings)
        servers.append(server)
        async with httpx.AsyncClient(base_url=server.base, timeout=30) as client:
            variant = await _product(client, stocked)
        for trial in range(TRIALS[stack]):
            # given shoppers checking out on a server that is killed at a step of their saga
            async with httpx.AsyncClient(base_url=server.base, timeout=30) as client:
                shoppers = [
                    await _shopper(client, variant["id"], 1 + n % 3) for n in range(SHOPPERS)
                ]
                # one shopper in four has a declined card: their saga compensates
                running = [
                    asyncio.create_task(_check_out(client, c, h, DECLINED if n == 3 else GOOD))
                    for n, (c, h) in enumerate(shoppers)
                ]
                await _strike_at(kernel, TARGETS[trial % len(TARGETS)], server, rng)
                await asyncio.gather(*running)
            struck.update(
                k for k in await _saga_states(kernel) if k[0] in {"running", "compensating"}
            )
            # when a new server starts
            server = Server(settings)
            servers.append(server)

            # then every checkout ends, and ends whole
            await eventually(lambda: _settled(kernel), within=30)
            await _check_invariants(kernel, stocked)
        outcomes = await _check_invariants(kernel, stocked)
        assert outcomes["confirmed"] > 0 and outcomes["cancelled"] > 0, outcomes
        assert ("running", 1) in struck, struck
        assert ("running", 0) not in struck, struck  # a saga's row comes with its first step
    finally:
        await kernel.stop()
