"""The return saga survives SIGKILL: a real `mercato serve` refunding many inspected returns
at once (some to the card, some to store credit, a slow gateway) is killed while the sagas
run, at each of their steps in turn, and restarted; the new process resumes them. Staff
refund again what was left inspected (a saga killed before its first step committed, or
one that compensated). In the end every return is refunded exactly once: the payment's and
the gateway's refunded amounts are the returns' `refunded_to_payment`, store credit their
`refunded_to_credit`, and each restocked unit is in the ledger once."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from mercato.agents.inventory.models import Movement
from mercato.agents.payments.models import Payment
from mercato.agents.payments.providers.sandbox import SandboxProvider, sandbox_url
from mercato.agents.returns.models import CreditAccount, CreditEntry, Return, ReturnLine
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.saga_models import SagaInstance
from tests.conftest import eventually
from tests.integration.identity.conftest import ADMIN
from tests.integration.returns.conftest import ReturnsShop
from tests.reliability.test_kill_checkout import Server, servers  # noqa: F401 - the fixture
from tests.reliability.test_kill_the_bus import _settings_or_skip
from tests.support.store import store_for

pytestmark = pytest.mark.reliability

RETURNS = 6
"""Inspected returns refunded at once, each of one unit of its own line."""
KILLS = 3
TARGETS = (("running", 2), ("running", 1), ("early", 0))
"""Where the kills aim, in turn: while `settle` is at the gateway (restock committed), right
after `begin`, and a few milliseconds after the refunds are sent (some sagas not started)."""


async def _inspected_returns(settings: Settings) -> tuple[str, list[str]]:
    """A delivered order of RETURNS lines, each returned (every other one for store credit),
    received and inspected, made in this process; (order id, return ids)."""
    async with store_for(settings) as (kernel, client):
        shop = ReturnsShop(kernel, client)
        await shop.set_up()
        products = [await shop.product(f"{7 + n}.25", stock=5) for n in range(RETURNS)]
        order, guest = await shop.delivered(*((p, 1) for p in products))
        made = []
        for n, line in enumerate(order["lines"]):
            resolution = "store_credit" if n % 2 else "refund"
            ret = await shop.asked(
                order["id"], {line["id"]: 1}, headers=guest, resolution=resolution
            )
            await shop.acted(ret["id"], "receive")
            await shop.acted(ret["id"], "inspect", {"condition": "original"})
            made.append(ret["id"])
    return order["id"], made


async def _refund(client: httpx.AsyncClient, return_id: str) -> None:
    with contextlib.suppress(httpx.HTTPError):  # the server died under it: the trial's aim
        await client.post(f"/v1/returns/{return_id}/refund", headers=ADMIN)


async def _sagas(kernel: Kernel) -> Counter[tuple[str, int]]:
    async with kernel.uow(writes=False) as uow:
        rows = await uow.session.execute(
            select(SagaInstance.status, SagaInstance.step)
            .where(SagaInstance.saga == "return_refund")
            .execution_options(all_tenants=True)
        )
        return Counter((status, step) for status, step in rows)


async def _settled(kernel: Kernel) -> bool:
    return all(s in {"completed", "compensated"} for s, _ in await _sagas(kernel))


async def _strike(
    kernel: Kernel, target: tuple[str, int], server: Server, rng: random.Random
) -> None:
    if target[0] == "early":
        await asyncio.sleep(rng.uniform(0.01, 0.05))
    else:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if (await _sagas(kernel))[target]:
                break
            await asyncio.sleep(0.002)
        await asyncio.sleep(rng.uniform(0, 0.02))
    server.kill()


async def _rows(kernel: Kernel, model: Any) -> list[Any]:
    async with kernel.uow(writes=False) as uow:
        found = await uow.session.scalars(select(model).execution_options(all_tenants=True))
        return list(found)


async def _gateway_refunded(settings: Settings, order_id: str) -> Decimal:
    provider = SandboxProvider(sandbox_url(settings))
    try:
        rows = await provider.ledger.all_authorizations()
    finally:
        await provider.close()
    return sum((Decimal(r["refunded"]) for r in rows if r["reference"] == order_id), Decimal(0))


async def _check(kernel: Kernel, settings: Settings, order_id: str) -> Counter[str]:
    """Whatever each return's state, the money and the stock agree with it, once."""
    returns = await _rows(kernel, Return)
    lines = {line.return_id: line for line in await _rows(kernel, ReturnLine)}
    [payment] = await _rows(kernel, Payment)
    refunded = [r for r in returns if r.status == "refunded"]
    for ret in returns:
        assert ret.status in {"inspected", "refunded"}, (ret.number, ret.status)
    # the payment and the gateway refunded what the returns say, once
    to_card = sum((r.refunded_to_payment for r in refunded), Decimal(0))
    assert payment.refunded_amount == to_card
    assert await _gateway_refunded(settings, order_id) == to_card
    # store credit is what the returns gave, one entry each
    to_credit = sum((r.refunded_to_credit for r in refunded), Decimal(0))
    assert sum((a.balance for a in await _rows(kernel, CreditAccount)), Decimal(0)) == to_credit
    entries = Counter(e.reference for e in await _rows(kernel, CreditEntry))
    assert entries == Counter(r.id for r in refunded if r.refunded_to_credit > 0)
    for ret in refunded:
        assert ret.refunded_to_payment + ret.refunded_to_credit == ret.refund_amount, ret.number
        assert (ret.refunded_to_credit > 0) == (ret.resolution == "store_credit"), ret.number
    # each refunded return's unit is back in stock once; the others' not at all
    movements = await _rows(kernel, Movement)
    for ret in returns:
        net = sum(m.on_hand_delta for m in movements if ret.number in (m.note or ""))
        assert net == (lines[ret.id].received_quantity if ret.status == "refunded" else 0), (
            ret.number,
            net,
        )
    return Counter(r.status for r in returns)


@pytest.mark.parametrize("stack", ["sqlite", "postgres"])
async def test_refunds_killed_at_each_saga_step_end_refunded_exactly_once(
    stack: str,
    make_settings: Callable[..., Settings],
    servers: list[Server],  # noqa: F811 - the fixture
) -> None:
    _settings_or_skip(make_settings, stack)
    settings = make_settings(
        stack,
        sandbox_gateway_url=None,  # the deployment's default: PostgreSQL when scaled
        sandbox_gateway_latency=0.05,
        returns_review_after=1000,
    )
    order_id, return_ids = await _inspected_returns(settings)
    kernel = Kernel.build(settings)
    rng = random.Random(20261206)
    struck: Counter[tuple[str, int]] = Counter()
    server = Server(settings)
    servers.append(server)
    try:
        for trial in range(KILLS + 1):
            # given a server refunding every return still inspected, killed part-way (the
            # last trial: left to finish)
            async with httpx.AsyncClient(base_url=server.base, timeout=30) as client:
                left = [r.id for r in await _rows(kernel, Return) if r.status == "inspected"]
                refunds = [asyncio.create_task(_refund(client, r)) for r in left]
                if trial < KILLS:
                    await _strike(kernel, TARGETS[trial % len(TARGETS)], server, rng)
                await asyncio.gather(*refunds)
            struck.update(k for k in await _sagas(kernel) if k[0] in {"running", "compensating"})
            if trial < KILLS:
                # when a new server starts, it resumes the sagas the dead one held (and takes
                # the next trial's refunds)
                server = Server(settings)
                servers.append(server)
            # then every saga ends, and the money and the stock agree with the returns
            await eventually(lambda: _settled(kernel), within=30)
            await _check(kernel, settings, order_id)
        server.kill()
        # in the end every return is refunded, once
        assert await _check(kernel, settings, order_id) == Counter(refunded=len(return_ids))
        assert struck, "no kill struck a running saga"
    finally:
        await kernel.stop()
